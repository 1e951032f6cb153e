// Prometheus metrics at /metrics (prom-client). Labels are route templates, methods and status
// codes only: never a name, a statement, an address or anything a person typed.
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { WriteMetrics } from '../sequencer/index.ts';

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
  const size = new Gauge({
    name: 'tuidang_log_tree_size',
    help: 'Entries in the log (committed, published or not)',
    registers: [registry],
    async collect() {
      if (treeSize === undefined) return;
      try {
        this.set(await treeSize());
      } catch {
        // The database is unreachable: the last value stands, and the write path logs the outage.
      }
    },
  });
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
  return {
    registry,
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

export function metricsRoutes(app: FastifyInstance, metrics: Metrics): void {
  const requests = new Counter({
    name: 'tuidang_http_requests_total',
    help: 'HTTP requests by route template, method and status',
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
    requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    duration.observe({ route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('Cache-Control', 'no-store')
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics()),
  );
}
