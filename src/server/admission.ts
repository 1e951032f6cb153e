// Who a client is, and how much it may ask of the server: declarants a minute, proof-of-work
// challenges, re-sends of a form, confirmation mails. Limits live in memory (rate-limit.ts) and
// are keyed by the client's address as the server sees it, never stored or logged.
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { MAX_DECLARANTS } from '../registry/index.ts';
import { carriesForwarding, clientKey, DEFAULT_IPV6_PREFIX, isLoopback } from './client-key.ts';
import { proxiedAddress } from './proxy-protocol.ts';
import { RateLimiter } from './rate-limit.ts';

const MAILS_PER_HOUR = 5;
// Proof-of-work challenges a client may ask for a minute (each costs the server one scrypt
// evaluation, a few milliseconds), and forms already declared it may send again (a reload of the
// receipt page answers from a cache, or from the stored receipts): far more than a person needs.
export const CHALLENGES_PER_MINUTE = 20;
export const RESENDS_PER_MINUTE = 10;

/** The app's settings that decide who a client is and what it may do (see AppOptions). */
export interface AdmissionOptions {
  readonly rateLimit?: number | undefined;
  readonly trustProxy?: false | number | string | undefined;
  readonly ipv6Prefix?: number | undefined;
}

/** The limits of every client, and how a request's client is known. */
export interface Clients {
  readonly admission: Admission;
  /** Declarants a minute one client may declare (0: no limit). */
  readonly rateLimit: number;
  /** Spends one confirmation mail of the client's budget; else the seconds to wait. */
  mail(req: FastifyRequest): number | undefined;
  /** Whether requests came through a reverse proxy that TRUST_PROXY does not declare. */
  undeclaredProxy(): boolean;
}

export function admissions(opts: AdmissionOptions, logger: Logger): Clients {
  const rateLimit = opts.rateLimit ?? 30;
  const limiter = new RateLimiter(rateLimit, 60_000, Date.now, MAX_DECLARANTS);
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
  // Confirmation mails a client may cause: a few an hour (each address also gets one a day).
  const mails = new RateLimiter(MAILS_PER_HOUR, 3_600_000);
  return {
    admission,
    rateLimit,
    mail: (req) => admit(mails, limitKey(req), 1, true),
    undeclaredProxy: () => undeclared.wasSeen,
  };
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
