// A C2SP tlog-witness (c2sp.org/tlog-witness): POST /add-checkpoint verifies the log's signature
// and the consistency proof against what it recorded, records the new checkpoint durably, and
// answers with a cosignature/v1 line. Status codes exactly as the spec says.
import Fastify, { type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { outcomeOf, TuidangError } from '../errors/index.ts';
import {
  equalBytes,
  formatSignature,
  LogError,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  parseAddCheckpoint,
  parseCheckpoint,
  parseNote,
  verifyConsistency,
} from '../log/index.ts';
import type { WitnessState } from '../store/index.ts';

export interface WitnessOptions {
  readonly signer: NoteSigner;
  /** Verifiers of the logs this witness follows, by origin. */
  readonly logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  readonly state: WitnessState;
  /**
   * Where unexpected errors are logged: `tuidang witness` gives the registry's JSON-lines logger
   * (src/server/logger.ts). Requests are never logged. Default: nothing logged.
   */
  readonly logger?: Logger;
}

/** A request the spec says to refuse; its HTTP status comes from the table in src/errors. */
class Refusal extends TuidangError<
  'bad-request' | 'unknown-log' | 'bad-signature' | 'size-conflict' | 'bad-proof'
> {
  override name = 'Refusal';
}

/** Checks one add-checkpoint request and, if it passes, returns the cosignature line. */
export function addCheckpoint(body: string, opts: WitnessOptions): string {
  let request: ReturnType<typeof parseAddCheckpoint>;
  let origin: string;
  let size: number;
  let root: Uint8Array;
  try {
    request = parseAddCheckpoint(body);
    const note = parseNote(request.checkpoint);
    ({ origin, treeSize: size, root } = parseCheckpoint(note.text));
  } catch (e) {
    throw new Refusal(
      'bad-request',
      e instanceof LogError ? `${e.message}\n` : 'malformed request\n',
    );
  }
  const verifiers = opts.logs.get(origin);
  if (verifiers === undefined)
    throw new Refusal('unknown-log', `unknown log origin ${JSON.stringify(origin)}\n`);
  let text: string;
  try {
    text = openNote(request.checkpoint, verifiers).text;
  } catch {
    throw new Refusal('bad-signature', 'the checkpoint has no valid signature from the log key\n');
  }
  if (request.oldSize > size)
    throw new Refusal('bad-request', 'old size is larger than the checkpoint size\n');
  opts.state.update(origin, (current) => {
    const currentSize = current?.size ?? 0;
    if (request.oldSize !== currentSize) throw new Refusal('size-conflict', `${currentSize}\n`);
    if (current !== undefined && request.oldSize === size) {
      if (!equalBytes(current.root, root)) throw new Refusal('size-conflict', `${currentSize}\n`);
    } else if (request.oldSize > 0 || request.proof.length > 0) {
      try {
        verifyConsistency(
          request.oldSize,
          size,
          current?.root ?? new Uint8Array(32),
          root,
          request.proof,
        );
      } catch {
        throw new Refusal('bad-proof', 'the consistency proof does not verify\n');
      }
    }
    return { next: { size, root: Uint8Array.from(root) }, result: undefined };
  });
  const signature = opts.signer.sign(new TextEncoder().encode(text));
  return formatSignature({ name: opts.signer.name, keyId: opts.signer.keyId, signature });
}

export async function buildWitnessApp(opts: WitnessOptions): Promise<FastifyInstance> {
  const logger = opts.logger ?? pino({ enabled: false });
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/add-checkpoint', async (req, reply) => {
    try {
      const line = addCheckpoint(typeof req.body === 'string' ? req.body : '', opts);
      return reply.code(200).type('text/plain; charset=utf-8').send(line);
    } catch (e) {
      if (e instanceof Refusal)
        return reply
          .code(outcomeOf(e).status)
          .type(e.code === 'size-conflict' ? 'text/x.tlog.size' : 'text/plain; charset=utf-8')
          .send(e.message);
      // The error alone: nothing of the request (its address, its headers) goes into the line.
      logger.error({ err: e }, `witness: unexpected error: ${(e as Error).message}`);
      return reply.code(500).type('text/plain; charset=utf-8').send('internal error\n');
    }
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).type('text/plain; charset=utf-8').send('not found\n'),
  );
  return app;
}
