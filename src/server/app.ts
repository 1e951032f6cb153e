// The HTTP server: one Fastify instance with the JSON API, the tlog endpoints and security headers.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Declarations, WitnessConfig } from '../sequencer/index.ts';
import type { Store } from '../store/index.ts';
import { apiRoutes } from './api-routes.ts';
import { logRoutes } from './log-routes.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics, metricsRoutes } from './metrics.ts';
import type { Newsletter } from './newsletter.ts';
import { sendErrorPage, sendNotFoundPage, staffRoutes, webRoutes } from './pages/index.ts';
import type { ProofOfWork } from './pow.ts';
import { errorHandler, notFound } from './problem.ts';
import { RateLimitedError, RateLimiter } from './rate-limit.ts';
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
  /** Declarations per minute from one address (0: no limit). */
  readonly rateLimit?: number;
  /** Fastify's trustProxy: set it behind a reverse proxy so that limits apply per client. */
  readonly trustProxy?: boolean | number | string;
  /** Proof of work required of declarations; none when absent. */
  readonly pow?: ProofOfWork | undefined;
  readonly newsletter?: Newsletter | undefined;
  readonly publicUrl?: string | undefined;
  /** The witnesses configured, for the about page (the sequencer asks them to cosign). */
  readonly witnesses?: readonly WitnessConfig[] | undefined;
  /** The clock of the staff pages, in milliseconds (tests move it instead of sleeping). */
  readonly now?: () => number;
  /** The key that hashes client addresses for the staff sign-in throttle (random when absent). */
  readonly staffSecret?: Uint8Array | undefined;
}

// 50 declarants with 2,000-character statements in 4-byte UTF-8 fit well below this.
const BODY_LIMIT = 1024 * 1024;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  // No request logging: Fastify's would record client addresses, which this service never keeps.
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(opts.trustProxy),
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
  app.setErrorHandler(errorHandler(logger, sendErrorPage));
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
  const limiter = new RateLimiter(opts.rateLimit ?? 30);
  const admit = (req: FastifyRequest) =>
    admitDeclaration(limiter, req, opts.trustProxy !== undefined && opts.trustProxy !== false);
  apiRoutes(app, opts.store, opts.sequencer, opts.pow, (req) => {
    const wait = admit(req);
    if (wait !== undefined) throw new RateLimitedError(wait);
  });
  webRoutes(app, {
    store: opts.store,
    sequencer: opts.sequencer,
    origin: opts.origin ?? 'localhost/tuidang',
    vkey: opts.vkey,
    admit,
    pow: opts.pow,
    newsletter: opts.newsletter,
    publicUrl: opts.publicUrl,
    witnesses: opts.witnesses,
  });
  await app.register(cookie);
  staffRoutes(app, {
    store: opts.store,
    sequencer: opts.sequencer,
    now: opts.now ?? Date.now,
    secret: opts.staffSecret,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/**
 * The seconds this client must wait before declaring again, or undefined. Without a trusted proxy,
 * a loopback peer is a local test or a proxy that was not declared: limiting it would limit
 * everyone, so it is not limited (set TRUST_PROXY behind a proxy).
 */
export function admitDeclaration(
  limiter: RateLimiter,
  req: FastifyRequest,
  behindProxy: boolean,
): number | undefined {
  const address = req.ip;
  if (!behindProxy && /^(127\.|::1$|::ffff:127\.)/.test(address)) return undefined;
  const r = limiter.take(address);
  return r.ok ? undefined : r.retryAfterSeconds;
}

/** TRUST_PROXY as Fastify takes it: a number n means "trust the n nearest hops". */
function trustProxyOption(
  v: boolean | number | string | undefined,
): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof v === 'number') return (_address, hop) => hop < v;
  return v ?? false;
}
