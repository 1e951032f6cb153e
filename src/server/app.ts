// The HTTP server: one Fastify instance with the JSON API, the tlog endpoints and security headers.
// Everything a client sends is hostile here: the URL, repeated parameters, header values, bytes
// that are not UTF-8, bodies that never end, connections that are never closed.
import { isUtf8 } from 'node:buffer';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { ClosedError } from '../errors/index.ts';
import {
  type Declarations,
  type PublicLog,
  PublishedLogView,
  type WitnessConfig,
} from '../sequencer/index.ts';
import type { Store, VolunteerBudget } from '../store/index.ts';
import type { Operator } from '../web/index.ts';
import { admissions, type Clients } from './admission.ts';
import { apiRoutes } from './api-routes.ts';
import { clientKey, isLoopback } from './client-key.ts';
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
import type { StaffOptions, WebOptions } from './pages/options.ts';
import type { ProofOfWork } from './pow.ts';
import { errorHandler, HttpError, isApiOrLogPath, notFound } from './problem.ts';
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
  const app = fastifyFor(opts, timeouts);
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
  securityHooks(app, httpsSite, problems);
  utf8Parsers(app);
  app.setErrorHandler((error, req, reply) =>
    error instanceof EncodingError && !isApiOrLogPath(req.url)
      ? sendEncodingPage(req, reply)
      : problems(error as Error, req, reply),
  );
  const metrics = opts.metrics ?? createMetrics(() => opts.sequencer.poolDepth);
  metricsRoutes(app, metrics, { token: opts.metricsToken });
  app.setNotFoundHandler((req, reply) =>
    isApiOrLogPath(req.url) ? notFound(req, reply) : sendNotFoundPage(req, reply),
  );
  await openApi(app);
  healthRoutes(app, opts.readiness);
  const published = opts.published ?? new PublishedLogView(opts.store);
  logRoutes(app, published, opts.vkey);
  const clients = admissions(opts, logger);
  apiRoutes(app, published, opts.sequencer, opts.pow, clients.admission);
  // The site's address for links and printed receipts: TUIDANG_PUBLIC_URL, else where it listens.
  const site = () => siteUrl(app, opts.publicUrl);
  webRoutes(app, webOptions(opts, published, clients, site));
  // Cookies (the staff's only) are Secure on an https site, and on a request that arrived over
  // https (TLS here, or X-Forwarded-Proto from a trusted proxy).
  await app.register(cookie, { parseOptions: { secure: httpsSite ? true : 'auto' } });
  staffRoutes(app, staffOptions(opts, logger, metrics, clients, site));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/** The Fastify instance: limits and timeouts, and a problem document for a malformed URL. */
function fastifyFor(opts: AppOptions, timeouts: Timeouts): FastifyInstance {
  return Fastify({
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
    // A URL that is not valid %-encoding, before any route: a problem with the security headers,
    // or for a page's address (a link broken in a chat message, say) the error page.
    frameworkErrors: (error, req, res) => {
      const reply = res as unknown as FastifyReply;
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
      if (!isApiOrLogPath(req.url)) return sendErrorPage(req, reply, 400);
      return reply.code(400).type('application/problem+json').send({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'This address is not valid.',
        code: error.code,
      });
    },
  });
}

/**
 * The security headers on every response, a 503 for requests that arrive while the server stops,
 * and no header value that would make a response fail or lead off the site.
 */
function securityHooks(
  app: FastifyInstance,
  httpsSite: boolean,
  problems: ReturnType<typeof errorHandler>,
): void {
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
}

/** JSON and form bodies, read as UTF-8 or refused (EncodingError). */
function utf8Parsers(app: FastifyInstance): void {
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
}

/** The OpenAPI document: route schemas document the API; src/registry validates requests. */
async function openApi(app: FastifyInstance): Promise<void> {
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
}

/** The pages' options, from the app's. */
function webOptions(
  opts: AppOptions,
  published: PublicLog,
  clients: Clients,
  site: () => string,
): WebOptions {
  const { admission } = clients;
  return {
    store: opts.store,
    published,
    sequencer: opts.sequencer,
    origin: opts.origin ?? 'localhost/tuidang',
    vkey: opts.vkey,
    admit: (req, declarants) => admission.take(req, declarants),
    admitResend: (req) => admission.resend(req),
    admitMail: clients.mail,
    undeclaredProxy: clients.undeclaredProxy,
    clientKey: admission.clientKey,
    rateLimit: clients.rateLimit,
    pow: opts.pow,
    newsletter: opts.newsletter,
    publicUrl: opts.publicUrl,
    statementCrowd: opts.statementCrowd,
    witnesses: opts.witnesses,
    operator: opts.operator,
    siteUrl: site,
  };
}

/** The staff pages' options, from the app's. */
function staffOptions(
  opts: AppOptions,
  logger: Logger,
  metrics: Metrics,
  clients: Clients,
  site: () => string,
): StaffOptions {
  return {
    store: opts.store,
    sequencer: opts.sequencer,
    now: opts.now ?? Date.now,
    secret: opts.staffSecret,
    volunteerSecondFactor: opts.volunteerSecondFactor,
    issuer: opts.publicUrl
      ? new URL(opts.publicUrl).host
      : (opts.origin ?? 'tuidang').split('/')[0],
    clientKey: clients.admission.clientKey,
    volunteerBudget: opts.volunteerBudget,
    logger,
    registry: metrics.registry,
    siteUrl: site,
  };
}

/** TRUST_PROXY as Fastify takes it: a number n means "trust the n nearest hops". */
function trustProxyOption(
  v: false | number | string | undefined,
): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof v === 'number') return (_address, hop) => hop < v;
  return v ?? false;
}
