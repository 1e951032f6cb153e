// The HTTP server: one Fastify instance with the JSON API, the tlog endpoints and security headers.
// Everything a client sends is hostile here: the URL, repeated parameters, header values, bytes
// that are not UTF-8, bodies that never end, connections that are never closed.
import { isUtf8 } from 'node:buffer';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ClosedError } from '../errors/index.ts';
import { MAX_DECLARANTS } from '../registry/index.ts';
import {
  type Declarations,
  type PublicLog,
  PublishedLogView,
  type WitnessConfig,
} from '../sequencer/index.ts';
import type { Store, VolunteerBudget } from '../store/index.ts';
import type { Operator } from '../web/index.ts';
import { apiRoutes } from './api-routes.ts';
import { carriesForwarding, clientKey, DEFAULT_IPV6_PREFIX, isLoopback } from './client-key.ts';
import { connectionCap } from './connections.ts';
import { healthRoutes, type Readiness } from './health.ts';
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
import { proxiedAddress } from './proxy-protocol.ts';
import { RateLimiter } from './rate-limit.ts';
import { problem } from './schemas.ts';

export interface AppOptions {
  /** The store, for what staff and the declaration form read and write. */
  readonly store: Store;
  /**
   * What the public routes read: the log as last published (src/sequencer/public-log.ts). Without
   * it, everything committed is public at once.
   */
  readonly published?: PublicLog | undefined;
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
  /** Declarations a published statement's month must hold before it is listed (default 100). */
  readonly statementCrowd?: number | undefined;
  /** The witnesses configured, for the about page (the publisher asks them to cosign). */
  readonly witnesses?: readonly WitnessConfig[] | undefined;
  /** Who runs the registry and where its code is, for the home and about pages. */
  readonly operator?: Operator | undefined;
  /** The clock of the staff pages, in milliseconds (tests move it instead of sleeping). */
  readonly now?: () => number;
  /**
   * The staff secret: seals second factors and pending sign-ins, keys the per-account sign-in
   * throttle (random per process when absent). Never keys an address.
   */
  readonly staffSecret?: Uint8Array | undefined;
  /** What `/readyz` checks (database, sequencer, publication); without it, only that it answers. */
  readonly readiness?: Readiness | undefined;
  /** Whether volunteers need a second factor too (default true). */
  readonly volunteerSecondFactor?: boolean | undefined;
  /** What one staff account may declare per hour and per 24 hours (default: DEFAULT_BUDGET). */
  readonly volunteerBudget?: VolunteerBudget | undefined;
}

// 50 declarants with 2,000-character statements in 4-byte UTF-8 fit well below this.
const BODY_LIMIT = 1024 * 1024;

const MAILS_PER_HOUR = 5;
// Proof-of-work challenges a client may ask for a minute (each costs the server one scrypt
// evaluation, a few milliseconds), and forms already declared it may send again (a reload of the
// receipt page answers from a cache, or from the stored receipts): far more than a person needs.
export const CHALLENGES_PER_MINUTE = 20;
export const RESENDS_PER_MINUTE = 10;

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

// A year, as browsers' preload lists expect; not includeSubDomains: other hosts of the operator's
// domain may not serve https.
const HSTS = 'max-age=31536000';

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
  const logger = opts.logger ?? createLogger();
  const problems = errorHandler(logger, sendErrorPage);
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(opts.trustProxy),
    // Our own answer while closing (below): a problem document, like every other refusal.
    return503OnClosing: false,
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
  // A site whose public address is https is only ever reached over TLS (the proxy's own
  // X-Forwarded-Proto aside): browsers are told so (HSTS), and every cookie is Secure.
  const httpsSite = opts.publicUrl?.startsWith('https:') === true;
  // Set on the raw response first, so that they survive even a response Fastify has to replace.
  // While the server stops, requests already taken are answered as usual and new ones get a 503
  // that says to come back (with Connection: close, so that the client reconnects elsewhere).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (req, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(k, v);
    if (httpsSite || req.protocol === 'https')
      reply.raw.setHeader('Strict-Transport-Security', HSTS);
    if (!closing) return;
    reply.header('connection', 'close');
    return problems(new ClosedError(), req, reply);
  });
  // A header value built from the URL or a body (a redirect, a file name) must never make the
  // response fail, and a redirect leads only to a path of this site (never `//host`, `/\\host`):
  // refuse the request instead of writing what Node would throw on or what leads elsewhere.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close'); // the answer to a request taken before
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
  app.setErrorHandler((error, req, reply) =>
    error instanceof EncodingError && !/^\/(api|log)\//.test(req.url)
      ? sendEncodingPage(req, reply)
      : problems(error as Error, req, reply),
  );
  const metrics = opts.metrics ?? createMetrics(() => opts.sequencer.poolDepth);
  metricsRoutes(app, metrics, {
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
  healthRoutes(app, opts.readiness);
  const published = opts.published ?? new PublishedLogView(opts.store);
  logRoutes(app, published, opts.vkey);
  const rateLimit = opts.rateLimit ?? 30;
  const limiter = new RateLimiter(rateLimit, 60_000, Date.now, MAX_DECLARANTS);
  // The site's address for links and printed receipts: TUIDANG_PUBLIC_URL, else where it listens.
  const site = () => siteUrl(app, opts.publicUrl);
  const behindProxy = opts.trustProxy !== undefined && opts.trustProxy !== false;
  // A connection through the PROXY-protocol listener is known by its header (a Tor circuit, or
  // the address HAProxy saw), whatever the request's own headers say.
  const clientOf = (req: FastifyRequest) =>
    clientKey(proxiedAddress(req.raw.socket) ?? req.ip, opts.ipv6Prefix ?? DEFAULT_IPV6_PREFIX);
  const undeclared = undeclaredProxy(logger);
  const limitKey = (req: FastifyRequest) => {
    if (proxiedAddress(req.raw.socket) !== undefined) return clientOf(req);
    if (behindProxy || !isLoopback(req.ip)) return clientOf(req);
    if (!carriesForwarding(req.headers)) return undefined; // the machine itself: not limited
    undeclared.seen();
    return UNDECLARED_PROXY;
  };
  const challenges = new RateLimiter(CHALLENGES_PER_MINUTE);
  const resends = new RateLimiter(RESENDS_PER_MINUTE);
  const admission: Admission = {
    clientKey: clientOf,
    check: (req, declarants) => admit(limiter, limitKey(req), declarants, false),
    take: (req, declarants) => admit(limiter, limitKey(req), declarants, true),
    challenge: (req) => admit(challenges, limitKey(req), 1, true),
    resend: (req) => admit(resends, limitKey(req), 1, true),
  };
  apiRoutes(app, published, opts.sequencer, opts.pow, admission);
  // Confirmation mails a client may cause: a few an hour (each address also gets one a day).
  const mails = new RateLimiter(MAILS_PER_HOUR, 3_600_000);
  webRoutes(app, {
    store: opts.store,
    published,
    sequencer: opts.sequencer,
    origin: opts.origin ?? 'localhost/tuidang',
    vkey: opts.vkey,
    admit: (req, declarants) => admission.take(req, declarants),
    admitResend: (req) => admission.resend(req),
    admitMail: (req) => admit(mails, limitKey(req), 1, true),
    undeclaredProxy: () => undeclared.wasSeen,
    clientKey: clientOf,
    rateLimit,
    pow: opts.pow,
    newsletter: opts.newsletter,
    publicUrl: opts.publicUrl,
    statementCrowd: opts.statementCrowd,
    witnesses: opts.witnesses,
    operator: opts.operator,
    siteUrl: site,
  });
  // Cookies (the staff's only) are Secure on an https site, and on a request that arrived over
  // https (TLS here, or X-Forwarded-Proto from a trusted proxy).
  await app.register(cookie, { parseOptions: { secure: httpsSite ? true : 'auto' } });
  staffRoutes(app, {
    store: opts.store,
    sequencer: opts.sequencer,
    now: opts.now ?? Date.now,
    secret: opts.staffSecret,
    volunteerSecondFactor: opts.volunteerSecondFactor,
    issuer: opts.publicUrl
      ? new URL(opts.publicUrl).host
      : (opts.origin ?? 'tuidang').split('/')[0],
    clientKey: clientOf,
    volunteerBudget: opts.volunteerBudget,
    logger,
    registry: metrics.registry,
    siteUrl: site,
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
  /** Spends one of the client's proof-of-work challenges; else the seconds to wait. */
  challenge(req: FastifyRequest): number | undefined;
  /** Spends one of the client's re-sends of a form already declared; else the seconds to wait. */
  resend(req: FastifyRequest): number | undefined;
}

/**
 * The seconds the client `key` must wait before declaring `declarants`, or undefined; a client
 * with no key (the machine itself: a local test, a benchmark) is not limited.
 */
function admit(
  limiter: RateLimiter,
  key: string | undefined,
  declarants: number,
  spend: boolean,
): number | undefined {
  if (key === undefined) return undefined;
  const r = spend ? limiter.take(key, declarants) : limiter.check(key, declarants);
  return r.ok ? undefined : r.retryAfterSeconds;
}

/**
 * The one client that every request forwarded by an undeclared proxy counts as. A proxy in front
 * without TRUST_PROXY makes every client look like loopback, which is not limited: rather than
 * leave the count open to anyone, all of them share one budget (the site stays up, at the rate of
 * one client) until the operator declares the proxy.
 */
const UNDECLARED_PROXY = 'undeclared-proxy';

function undeclaredProxy(logger: Logger): { seen(): void; readonly wasSeen: boolean } {
  let wasSeen = false;
  return {
    get wasSeen() {
      return wasSeen;
    },
    seen() {
      if (wasSeen) return;
      wasSeen = true;
      logger.warn(
        { setting: 'TRUST_PROXY' },
        "requests arrive through a reverse proxy (they carry X-Forwarded-For, Forwarded or X-Real-IP) but TRUST_PROXY is not set: every client behind the proxy now shares ONE rate limit, so one client can use it up for everyone. Set TRUST_PROXY=1 (or the proxy's address) so that each client is limited on its own",
      );
    },
  };
}

/** TRUST_PROXY as Fastify takes it: a number n means "trust the n nearest hops". */
function trustProxyOption(
  v: false | number | string | undefined,
): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof v === 'number') return (_address, hop) => hop < v;
  return v ?? false;
}
