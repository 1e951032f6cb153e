// The HTTP server: one Fastify instance with the JSON API, the tlog endpoints and security headers.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Declarations } from '../sequencer/index.ts';
import type { Store } from '../store/index.ts';
import { sendNotFoundPage, webRoutes } from '../web/routes.ts';
import { apiRoutes } from './api-routes.ts';
import { logRoutes } from './log-routes.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics, metricsRoutes } from './metrics.ts';
import { errorHandler, notFound } from './problem.ts';
import { problem } from './schemas.ts';

export interface AppOptions {
  readonly store: Store;
  readonly sequencer: Declarations;
  /** The log's verifier key, served at /log/vkey. */
  readonly vkey: string;
  /** The log's origin; its host names the site in the pages' examples. */
  readonly origin?: string;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

// 50 declarants with 2,000-character statements in 4-byte UTF-8 fit well below this.
const BODY_LIMIT = 1024 * 1024;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  // No request logging: Fastify's would record client addresses, which this service never keeps.
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    return503OnClosing: true,
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header(
      'Content-Security-Policy',
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Access-Control-Allow-Origin', '*'); // the log and API are public data
  });
  const logger = opts.logger ?? createLogger();
  app.setErrorHandler(errorHandler(logger));
  metricsRoutes(app, opts.metrics ?? createMetrics(() => opts.sequencer.poolDepth));
  app.setNotFoundHandler((req, reply) =>
    /^\/(api|log)\//.test(req.url) ? notFound(req, reply) : sendNotFoundPage(req, reply),
  );
  // Route schemas document the API and speed up responses; src/registry validates requests.
  app.setValidatorCompiler(() => () => true);
  app.addSchema(problem);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tuidang registry API',
        version: '1',
        description:
          'Declarations into a verifiable log. The log itself is served as C2SP tlog-tiles under /log/.',
      },
    },
  });
  logRoutes(app, opts.store, opts.vkey);
  apiRoutes(app, opts.store, opts.sequencer);
  webRoutes(app, {
    store: opts.store,
    sequencer: opts.sequencer,
    origin: opts.origin ?? 'localhost/tuidang',
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
