// JSON API under /api/v1/.
import type { FastifyInstance } from 'fastify';
import { MAX_DECLARANTS, parseSubmission } from '../registry/index.ts';
import type { Declarations, PublicLog } from '../sequencer/index.ts';
import type { Admission } from './admission.ts';
import { LogReads } from './log-reads.ts';
import type { ProofOfWork } from './pow.ts';
import { HttpError } from './problem.ts';
import { RateLimitedError } from './rate-limit.ts';
import * as schemas from './schemas.ts';

function size(value: unknown, name: string): number {
  const n =
    typeof value === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw new HttpError(400, `${name} must be a whole number, e.g. ?${name}=10`);
  return n;
}

export function apiRoutes(
  app: FastifyInstance,
  published: PublicLog,
  sequencer: Declarations,
  pow: ProofOfWork | undefined,
  admission?: Admission,
): void {
  const reads = new LogReads(published.readTiles);
  if (pow) {
    app.get('/api/v1/challenge', { schema: schemas.challenge }, async (req, reply) => {
      const raw = (req.query as Record<string, string | undefined>).declarants;
      const n = raw === undefined ? 1 : size(raw, 'declarants');
      if (n < 1 || n > MAX_DECLARANTS)
        throw new HttpError(400, `declarants must be from 1 to ${MAX_DECLARANTS}.`);
      // Each challenge costs the server one scrypt evaluation: a client may ask for a few a minute.
      const wait = admission?.challenge(req);
      if (wait !== undefined) throw new RateLimitedError(wait, 'proof-of-work challenges');
      return reply.header('Cache-Control', 'no-store').send(await pow.challenge(n));
    });
  }

  app.post('/api/v1/declarations', { schema: schemas.declare }, async (req, reply) => {
    // Forms post to the pages (/<lang>/declare); the API takes JSON only.
    if (req.body instanceof URLSearchParams)
      throw new HttpError(415, 'Send the body as application/json.');
    const submission = parseSubmission(req.body, 'web');
    const n = submission.declarants.length;
    // Budget first without spending it, then the work, then the budget: a request that did no
    // work spends no one's budget (a Tor exit or a NAT is shared by many real declarants).
    const wait = admission?.check(req, n);
    if (wait !== undefined) throw new RateLimitedError(wait);
    if (pow && !(await pow.checkSolution(headerValue(req.headers.altcha), n))) {
      throw new HttpError(
        403,
        `Declaring needs a proof of work: solve a challenge from GET /api/v1/challenge?declarants=${n} and send it, base64-encoded as {"challenge","solution"}, in the Altcha header.`,
      );
    }
    const waitAfter = admission?.take(req, n);
    if (waitAfter !== undefined) throw new RateLimitedError(waitAfter);
    const key = req.headers['idempotency-key'];
    if (Array.isArray(key))
      throw new HttpError(400, 'Send one Idempotency-Key header, not several.');
    const receipts = await sequencer.submit(submission, { idempotencyKey: key });
    return reply.code(201).send({ receipts });
  });

  app.get('/api/v1/stats', { schema: schemas.stats }, async (req, reply) => {
    const { json, etag } = reads.stats(await published.state());
    reply.header('ETag', etag).header('Cache-Control', 'no-cache');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    // Already serialised: Fastify sends a buffer as it is.
    return reply.type('application/json; charset=utf-8').send(json);
  });

  app.get('/api/v1/proof/inclusion', { schema: schemas.inclusion }, async (req) => {
    const q = req.query as Record<string, unknown>;
    const index = size(q.index, 'index');
    const treeSize = size(q.treeSize, 'treeSize');
    const current = (await published.state()).treeSize;
    if (treeSize > current)
      throw new HttpError(400, `treeSize ${treeSize} is larger than the log (${current} entries).`);
    if (index >= treeSize)
      throw new HttpError(400, `index ${index} is not in a tree of size ${treeSize}.`);
    return { index, treeSize, inclusionProof: await reads.inclusion(treeSize, index) };
  });

  app.get('/api/v1/proof/consistency', { schema: schemas.consistency }, async (req) => {
    const q = req.query as Record<string, unknown>;
    const from = size(q.from, 'from');
    const to = size(q.to, 'to');
    const current = (await published.state()).treeSize;
    if (to > current)
      throw new HttpError(400, `to=${to} is larger than the log (${current} entries).`);
    if (from > to) throw new HttpError(400, `from=${from} must not be larger than to=${to}.`);
    return { from, to, consistencyProof: await reads.consistency(from, to) };
  });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
