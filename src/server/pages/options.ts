// What the page routes are given by the app (src/server/app.ts).
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Declarations, PublicLog, WitnessConfig } from '../../sequencer/index.ts';
import type { Store, VolunteerBudget } from '../../store/index.ts';
import type { Operator } from '../../web/index.ts';
import type { TicketVerdict } from '../pow.ts';

export interface WebOptions {
  /** The store, for the declaration form and the publications (never for the log's state). */
  readonly store: Store;
  /** What the pages show of the log: the state at the last publication, and its tiles. */
  readonly published: PublicLog;
  readonly sequencer: Declarations;
  /** The log's origin, e.g. `registry.example/log`: its host names the site in examples. */
  readonly origin: string;
  /** The log's verifier key: the receipt check without JavaScript verifies signatures with it. */
  readonly vkey: string;
  /** Spends the budget of this many declarants; else the seconds to wait. */
  readonly admit?: (req: FastifyRequest, declarants: number) => number | undefined;
  /** Spends one re-send of a form already declared (answered from a cache); else the seconds to wait. */
  readonly admitResend?: (req: FastifyRequest) => number | undefined;
  /** Spends one confirmation mail of the client's budget; else the seconds to wait. */
  readonly admitMail?: (req: FastifyRequest) => number | undefined;
  /** Who the client is (its address, or its IPv6 network): form tickets are bound to it. */
  readonly clientKey?: (req: FastifyRequest) => string;
  /** Declarants a minute one client may declare (RATE_LIMIT; 0: no limit): /about states it. */
  readonly rateLimit?: number;
  /** Proof of work for the form (pow.ts), if required. */
  readonly pow?: FormPow | undefined;
  /** The newsletter, when SMTP is configured. */
  readonly newsletter?: NewsletterService | undefined;
  /**
   * The site's public address (TUIDANG_PUBLIC_URL), for links in mails and the commands the pages
   * show; else the address the server listens on, for local use.
   */
  readonly publicUrl?: string | undefined;
  /**
   * Declarations a published statement's month must hold before the statement is listed
   * (TUIDANG_STATEMENT_CROWD; src/registry/crowd.ts). Default 100.
   */
  readonly statementCrowd?: number | undefined;
  /** The witnesses configured (TUIDANG_WITNESSES): /about lists them, and which cosigned. */
  readonly witnesses?: readonly WitnessConfig[] | undefined;
  /** Who runs the registry and where its code is (TUIDANG_OPERATOR, …), as configured. */
  readonly operator?: Operator | undefined;
  /** Whether requests came through a reverse proxy that TRUST_PROXY does not declare (all of
   * them then share one rate limit): /about says so to the operator. */
  readonly undeclaredProxy?: () => boolean;
  /** The site's address for links in mails and the feed (TUIDANG_PUBLIC_URL, else the listening
   * address): never taken from a request's Host header. */
  readonly siteUrl: () => string;
}

/** What the newsletter pages need (src/server/newsletter.ts). */
export interface NewsletterService {
  subscribe(
    email: string,
    base: string,
    mail: (link: string) => { subject: string; text: string },
    /** The sign-up page's language prefix: the link opens a page in that language. */
    lang?: string,
  ): Promise<void>;
  confirm(id: number, expires: number, token: string): Promise<boolean>;
  unsubscribe(id: number, token: string): Promise<boolean>;
}

/** What the form needs of the proof of work. */
export interface FormPow {
  /** scrypt evaluations per declarant on average (TUIDANG_POW_COST). */
  readonly cost: number;
  readonly waitSeconds: number;
  ticket(clientKey: string): string;
  /** The ticket sent back, to render the form again with, while it is good; else a fresh one. */
  keepTicket(sent: string | undefined, clientKey: string): string;
  /** Seconds until a ticket may be spent for `declarants` (0: now). */
  ripensIn(ticket: string, clientKey: string, declarants: number): number;
  checkTicket(
    ticket: string | undefined,
    clientKey: string,
    declarants: number,
  ): Promise<TicketVerdict>;
  checkSolution(payload: string | undefined, declarants: number): Promise<boolean>;
}

/** What the staff pages are given. */
export interface StaffOptions {
  readonly store: Store;
  readonly sequencer: Declarations;
  /** The clock, in milliseconds (sessions, sign-in waits and the audit log). */
  readonly now?: () => number;
  /**
   * The staff secret (derived from the signing key, so that every node shares it): it seals TOTP
   * secrets and pending sign-ins, and keys the sign-in throttle's per-account hashes (never an
   * address: those are keyed by a salt that lives in memory). A random one per process when absent.
   */
  readonly secret?: Uint8Array | undefined;
  /** Whether volunteers need a second factor too (TUIDANG_VOLUNTEER_2FA; default true). */
  readonly volunteerSecondFactor?: boolean | undefined;
  /** The name authenticator apps show for this site (the public URL's host; default tuidang). */
  readonly issuer?: string | undefined;
  /**
   * Who a client is for the sign-in throttle: its address as the server sees it, widened to what
   * one subscriber controls (an IPv6 /64); the exact address when absent.
   */
  readonly clientKey?: ((req: FastifyRequest) => string) | undefined;
  /** What one account may declare per hour and per 24 hours (default: DEFAULT_BUDGET). */
  readonly volunteerBudget?: VolunteerBudget | undefined;
  /** Where an account nearing its budget is reported, and counted. */
  readonly logger?: Logger | undefined;
  readonly registry?: Registry | undefined;
  /** The site's address, printed on the receipts a volunteer prints (as WebOptions.siteUrl). */
  readonly siteUrl?: (() => string) | undefined;
}
