// The HTTP server: one Fastify instance with the JSON API, the tlog endpoints and security headers.
// Everything a client sends is hostile here: the URL, repeated parameters, header values, bytes
// that are not UTF-8, bodies that never end, connections that are never closed.
import { isUtf8 } from 'node:buffer';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { MAX_DECLARANTS } from '../registry/index.ts';
import type { Declarations, WitnessConfig } from '../sequencer/index.ts';
import type { Store } from '../store/index.ts';
import { apiRoutes } from './api-routes.ts';
import { clientKey, DEFAULT_IPV6_PREFIX, isLoopback } from './client-key.ts';
import { connectionCap } from './connections.ts';
import { logRoutes } from './log-routes.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics, metricsRoutes } from './metrics.ts';
import type { Newsletter } from './newsletter.ts';
import { siteUrl } from './pages/home.ts';
import {
  sendEncodingPage,
  sendErrorPage,
  sendNotFoundPage,
  staffRoutes,
  webRoutes,
} from './pages/index.ts';
import type { ProofOfWork } from './pow.ts';
import { errorHandler, HttpError, notFound } from './problem.ts';
import { RateLimiter } from './rate-limit.ts';
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
  /** Serve /metrics to requests with `Authorization: Bearer <token>`; without it, not at all. */
  readonly metricsToken?: string | undefined;
  /** Declarants per minute from one client (0: no limit). */
  readonly rateLimit?: number;
  /** The reverse proxies in front: how many, or their addresses (comma-separated). The client is
   * the rightmost X-Forwarded-For hop that is not one of them, never what the client wrote. */
  readonly trustProxy?: false | number | string;
  /** The prefix length that names one IPv6 client (default 64). */
  readonly ipv6Prefix?: number;
  /** Open connections one address may hold (default 64; 0: no cap; not applied behind a proxy). */
  readonly connectionsPerAddress?: number;
  /** Timeouts in milliseconds; the defaults suit people on slow mobile networks and Tor. */
  readonly timeouts?: Partial<Timeouts>;
  /** Proof of work required of declarations; none when absent. */
  readonly pow?: ProofOfWork | undefined;
  readonly newsletter?: Newsletter | undefined;
  readonly publicUrl?: string | undefined;
  /** The witnesses configured, for the about page (the publisher asks them to cosign). */
  readonly witnesses?: readonly WitnessConfig[] | undefined;
  /** The clock of the staff pages, in milliseconds (tests move it instead of sleeping). */
  readonly now?: () => number;
  /** The key that hashes client addresses for the staff sign-in throttle (random when absent). */
  readonly staffSecret?: Uint8Array | undefined;
}

// 50 declarants with 2,000-character statements in 4-byte UTF-8 fit well below this.
const BODY_LIMIT = 1024 * 1024;

const MAILS_PER_HOUR = 5;

export interface Timeouts {
  /** The whole request, headers and body, must arrive within this. */
  readonly requestMs: number;
  /** The headers must arrive within this. */
  readonly headersMs: number;
  /** A connection with no activity is closed after this. */
  readonly idleMs: number;
  /** An idle keep-alive connection between requests is closed after this. */
  readonly keepAliveMs: number;
}

const TIMEOUTS: Timeouts = {
  requestMs: 30_000,
  headersMs: 15_000,
  idleMs: 30_000,
  keepAliveMs: 5_000,
};

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Access-Control-Allow-Origin': '*', // the log and API are public data
} as const;

// What Node refuses in a header value (it would throw while writing the response).
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * A query string's parameters, each its first value only: a repeated parameter (`?q=a&q=b`)
 * never reaches a route as an array. Keys that would reach Object.prototype are dropped.
 */
export function parseQuery(query: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(query)) if (!(k in out)) out[k] = v;
  return out;
}

/** The body as text if it is well-formed UTF-8 (and, for a form, so is every %-escape). */
function utf8Body(body: Buffer, form: boolean): string {
  if (!isUtf8(body)) throw new EncodingError();
  const text = body.toString('utf8');
  if (form && text.includes('%')) {
    try {
      for (const part of text.split(/[&=]/)) decodeURIComponent(part);
    } catch {
      throw new EncodingError();
    }
  }
  return text;
}

/** A body or form field that is not UTF-8: refused rather than stored as U+FFFD. */
export class EncodingError extends HttpError {
  constructor() {
    super(400, 'The request body is not valid UTF-8; send names and statements as UTF-8.');
    this.name = 'EncodingError';
  }
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const timeouts = { ...TIMEOUTS, ...opts.timeouts };
  // No request logging: Fastify's would record client addresses, which this service never keeps.
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(opts.trustProxy),
    return503OnClosing: true,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: Math.min(30_000, Math.ceil(timeouts.requestMs / 4)),
    },
    routerOptions: { querystringParser: parseQuery },
    // A URL that is not valid %-encoding, before any route: a problem with the security headers.
    frameworkErrors: (error, _req, res) => {
      const reply = res as unknown as FastifyReply;
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
      return reply.code(400).type('application/problem+json').send({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'This address is not valid.',
        code: error.code,
      });
    },
  });
  if (opts.trustProxy === undefined || opts.trustProxy === false)
    connectionCap(
      app.server,
      opts.connectionsPerAddress ?? 64,
      (a) => clientKey(a, opts.ipv6Prefix),
      isLoopback,
    );
  // Set on the raw response first, so that they survive even a response Fastify has to replace.
  app.addHook('onRequest', async (_req, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(k, v);
  });
  // A header value built from the URL or a body (a redirect, a file name) must never make the
  // response fail, and a redirect leads only to a path of this site (never `//host`, `/\\host`):
  // refuse the request instead of writing what Node would throw on or what leads elsewhere.
  app.addHook('onSend', async (_req, reply, payload) => {
    const location = reply.getHeader('location');
    const offSite = location !== undefined && !/^\/(?![/\\])/.test(String(location));
    const invalid = Object.values(reply.getHeaders()).some(
      (v) => typeof v === 'string' && INVALID_HEADER_VALUE.test(v),
    );
    if (!offSite && !invalid) return payload;
    reply.removeHeader('location');
    reply.removeHeader('content-disposition');
    reply.code(400).type('text/plain; charset=utf-8');
    return 'This address is not valid.\n';
  });
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      json(req, utf8Body(body as Buffer, false), done);
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (_req, body, done) => {
      try {
        done(null, new URLSearchParams(utf8Body(body as Buffer, true)));
      } catch (e) {
        done(e as Error, undefined);
      }
    },
  );
  const logger = opts.logger ?? createLogger();
  const problems = errorHandler(logger, sendErrorPage);
  app.setErrorHandler((error, req, reply) =>
    error instanceof EncodingError && !/^\/(api|log)\//.test(req.url)
      ? sendEncodingPage(req, reply)
      : problems(error as Error, req, reply),
  );
  metricsRoutes(app, opts.metrics ?? createMetrics(() => opts.sequencer.poolDepth), {
    token: opts.metricsToken,
  });
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
  const limiter = new RateLimiter(opts.rateLimit ?? 30, 60_000, Date.now, MAX_DECLARANTS);
  const behindProxy = opts.trustProxy !== undefined && opts.trustProxy !== false;
  const clientOf = (req: FastifyRequest) =>
    clientKey(req.ip, opts.ipv6Prefix ?? DEFAULT_IPV6_PREFIX);
  const admission: Admission = {
    clientKey: clientOf,
    check: (req, declarants) => admit(limiter, req, behindProxy, clientOf, declarants, false),
    take: (req, declarants) => admit(limiter, req, behindProxy, clientOf, declarants, true),
  };
  apiRoutes(app, opts.store, opts.sequencer, opts.pow, admission);
  // Confirmation mails a client may cause: a few an hour (each address also gets one a day).
  const mails = new RateLimiter(MAILS_PER_HOUR, 3_600_000);
  webRoutes(app, {
    store: opts.store,
    sequencer: opts.sequencer,
    origin: opts.origin ?? 'localhost/tuidang',
    vkey: opts.vkey,
    admit: (req, declarants) => admission.take(req, declarants),
    admitMail: (req) => admit(mails, req, behindProxy, clientOf, 1, true),
    clientKey: clientOf,
    pow: opts.pow,
    newsletter: opts.newsletter,
    publicUrl: opts.publicUrl,
    witnesses: opts.witnesses,
    siteUrl: () => siteUrl(app, opts.publicUrl),
  });
  await app.register(cookie);
  staffRoutes(app, {
    store: opts.store,
    sequencer: opts.sequencer,
    now: opts.now ?? Date.now,
    secret: opts.staffSecret,
    clientKey: clientOf,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/** Who a client is, and whether it may declare this many declarants now. */
export interface Admission {
  clientKey(req: FastifyRequest): string;
  /** Seconds to wait before `declarants` could be declared, or undefined; spends nothing. */
  check(req: FastifyRequest, declarants: number): number | undefined;
  /** Spends the budget of `declarants`; seconds to wait instead if there is not enough. */
  take(req: FastifyRequest, declarants: number): number | undefined;
}

/**
 * The seconds this client must wait before declaring `declarants`, or undefined. Without a trusted
 * proxy, a loopback peer is a local test or a proxy that was not declared: limiting it would limit
 * everyone, so it is not limited (set TRUST_PROXY behind a proxy).
 */
function admit(
  limiter: RateLimiter,
  req: FastifyRequest,
  behindProxy: boolean,
  clientOf: (req: FastifyRequest) => string,
  declarants: number,
  spend: boolean,
): number | undefined {
  if (!behindProxy && isLoopback(req.ip)) return undefined;
  const key = clientOf(req);
  const r = spend ? limiter.take(key, declarants) : limiter.check(key, declarants);
  return r.ok ? undefined : r.retryAfterSeconds;
}

/** TRUST_PROXY as Fastify takes it: a number n means "trust the n nearest hops". */
function trustProxyOption(
  v: false | number | string | undefined,
): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof v === 'number') return (_address, hop) => hop < v;
  return v ?? false;
}
