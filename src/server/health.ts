// Health for load balancers and systemd: `/healthz` says the process lives and its event loop
// answers; `/readyz` says this node can take declarations now: its database answers, its
// sequencer (its own thread, or a node of the cluster) can log them, and the public log is being
// published on time. A node that is not ready answers 503 with the checks that failed, so that a
// load balancer sends its traffic elsewhere while `/log/checkpoint` would still answer 200 from
// memory. Neither says anything about a declaration or a client.
import type { FastifyInstance } from 'fastify';

/** One check: undefined when it holds, else a short sentence for the operator. */
export type Check = () => Promise<string | undefined> | string | undefined;

export interface Readiness {
  readonly checks: Readonly<Record<string, Check>>;
  /** Longest wait for one check before it counts as failed. */
  readonly timeoutMs?: number;
}

/** Runs every check at once, each bounded by the timeout; the failures by name. */
export async function failingChecks(r: Readiness): Promise<Record<string, string>> {
  const timeoutMs = r.timeoutMs ?? 2000;
  const results = await Promise.all(
    Object.entries(r.checks).map(async ([name, check]): Promise<[string, string | undefined]> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
      });
      try {
        return [name, await Promise.race([Promise.resolve().then(check), late])];
      } catch (e) {
        return [name, (e as Error).message || 'failed'];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(results.filter((r): r is [string, string] => r[1] !== undefined));
}

export function healthRoutes(app: FastifyInstance, readiness: Readiness | undefined): void {
  const noStore = { 'cache-control': 'no-store' };
  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) =>
    reply.headers(noStore).send({ status: 'ok' }),
  );
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const failing = readiness ? await failingChecks(readiness) : {};
    const ready = Object.keys(failing).length === 0;
    return reply
      .code(ready ? 200 : 503)
      .headers(noStore)
      .send(ready ? { status: 'ready' } : { status: 'not ready', failing });
  });
}
