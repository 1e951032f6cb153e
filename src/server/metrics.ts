// Prometheus metrics (prom-client). Labels are route templates, methods and status codes only:
// never a name, a statement, an address or anything a person typed. They are served only where
// the operator allows it: on a separate listen address (METRICS_LISTEN, e.g. 127.0.0.1:9464) or at
// /metrics with a bearer token (METRICS_TOKEN); otherwise nowhere. Even then, the outcomes of staff
// sign-ins and of erasures are not counted by status: a series of 401s and 303s on /staff/login
// would tell anyone who can read the metrics when a password was guessed.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { WriteMetrics } from '../sequencer/index.ts';
import { VERSION } from './logger.ts';

/** The registry, and the write path's counts (the sequencer calls these). */
export interface Metrics extends WriteMetrics {
  readonly registry: Registry;
}

/**
 * `treeSize`, when given, is read at every scrape: every node of a cluster then reports the log's
 * size, not only the one that commits (without it, the size of this node's last commit).
 */
export function createMetrics(poolDepth: () => number, treeSize?: () => Promise<number>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const batch = new Histogram({
    name: 'tuidang_sequencer_batch_entries',
    help: 'Entries per commit',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384, 65536],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tuidang_sequencer_commit_seconds',
    help: 'Time to integrate, sign and durably commit one batch',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // One read of the size per scrape, shared by the two gauges below (collected in any order).
  let reading: Promise<number | undefined> | undefined;
  const read = () => {
    if (treeSize === undefined) return Promise.resolve(undefined);
    reading ??= treeSize()
      .then(
        (n) => n,
        () => undefined, // the database is unreachable: the write path logs the outage
      )
      .finally(() => setImmediate(() => (reading = undefined)));
    return reading;
  };
  const size = new Gauge({
    name: 'tuidang_log_tree_size',
    help: 'Entries in the log (committed, published or not); see tuidang_log_tree_size_stale',
    registers: [registry],
    async collect() {
      const n = await read();
      if (n !== undefined) this.set(n); // else the last value stands, marked stale
    },
  });
  new Gauge({
    name: 'tuidang_log_tree_size_stale',
    help: 'Whether tuidang_log_tree_size is an old value (1) because the database could not be read at this scrape',
    registers: [registry],
    async collect() {
      if (treeSize !== undefined) this.set((await read()) === undefined ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tuidang_build_info',
    help: 'The running version (label), always 1',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: VERSION }, 1);
  new Gauge({
    name: 'tuidang_sequencer_pool_depth',
    help: 'Declarants waiting to be logged',
    registers: [registry],
    collect() {
      this.set(poolDepth());
    },
  });
  const failures = new Counter({
    name: 'tuidang_write_failures_total',
    help: 'Failures of the write path by stage (each is also logged, with what it affected)',
    labelNames: ['stage'],
    registers: [registry],
  });
  const leader = new Gauge({
    name: 'tuidang_sequencer_leader',
    help: 'Whether this node sequences the log (1) or not (0)',
    registers: [registry],
  });
  const reclaimed = new Counter({
    name: 'tuidang_pending_reclaimed_total',
    help: 'Submissions of nodes that died before answering, logged and then removed from the pending queue',
    registers: [registry],
  });
  // Publications: a required witness quorum that is not met withholds them (docs/operations.md).
  const publications = new Counter({
    name: 'tuidang_publications_total',
    help: 'Publication instants of this node: published, or withheld for want of the required witness quorum',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const quorumMet = new Gauge({
    name: 'tuidang_publication_quorum_met',
    help: 'Whether the last publication of this node met the required witness quorum (1) or was withheld (0)',
    registers: [registry],
  });
  const cosignatures = new Gauge({
    name: 'tuidang_publication_cosignatures',
    help: 'Witness cosignatures on the last checkpoint this node published or tried to publish',
    registers: [registry],
  });
  return {
    registry,
    publication(outcome, count) {
      publications.inc({ outcome });
      quorumMet.set(outcome === 'published' ? 1 : 0);
      cosignatures.set(count);
    },
    commit(entries, seconds, treeSize) {
      batch.observe(entries);
      latency.observe(seconds);
      size.set(treeSize);
    },
    failure(stage) {
      failures.inc({ stage });
    },
    leader(leading) {
      leader.set(leading ? 1 : 0);
    },
    treeSize(n) {
      size.set(n);
    },
    reclaimed(rows) {
      reclaimed.inc(rows);
    },
  };
}

// Routes whose outcome by status would say something about a person or an account.
const QUIET_ROUTES = /^\/staff(\/|$)|\/erase$/;

/** The status label of a response: its code, except on quiet routes (5xx stays visible). */
export function statusLabel(route: string, status: number): string {
  if (!QUIET_ROUTES.test(route)) return String(status);
  return status >= 500 ? '5xx' : 'any';
}

export interface MetricsAccess {
  /** Serve /metrics on the app to requests bearing this token (METRICS_TOKEN). */
  readonly token?: string | undefined;
}

export function metricsRoutes(
  app: FastifyInstance,
  metrics: Metrics,
  access: MetricsAccess = {},
): void {
  const requests = new Counter({
    name: 'tuidang_http_requests_total',
    help: 'HTTP requests by route template, method and status (staff and erase routes: 5xx or any)',
    labelNames: ['route', 'method', 'status'],
    registers: [metrics.registry],
  });
  const duration = new Histogram({
    name: 'tuidang_http_request_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route template (e.g. /:lang/declare), never the URL a person typed.
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: req.method, status: statusLabel(route, reply.statusCode) });
    duration.observe({ route }, reply.elapsedTime / 1000);
  });
  const token = access.token;
  if (token === undefined || token === '') return;
  const expected = Buffer.from(`Bearer ${token}`);
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return reply.callNotFound();
    return reply
      .header('Cache-Control', 'no-store')
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });
}

/** A separate HTTP server for the metrics alone, on an address the operator keeps private. */
export async function metricsServer(metrics: Metrics, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) =>
        res
          .writeHead(200, {
            'content-type': metrics.registry.contentType,
            'cache-control': 'no-store',
          })
          .end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
