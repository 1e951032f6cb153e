// What the page routes are given by the app (src/server/app.ts).
import type { FastifyRequest } from 'fastify';
import type { Declarations, WitnessConfig } from '../../sequencer/index.ts';
import type { Store } from '../../store/index.ts';
import type { TicketVerdict } from '../pow.ts';

export interface WebOptions {
  readonly store: Store;
  readonly sequencer: Declarations;
  /** The log's origin, e.g. `registry.example/log`: its host names the site in examples. */
  readonly origin: string;
  /** The log's verifier key: the receipt check without JavaScript verifies signatures with it. */
  readonly vkey: string;
  /** Spends the budget of this many declarants; else the seconds to wait. */
  readonly admit?: (req: FastifyRequest, declarants: number) => number | undefined;
  /** Spends one confirmation mail of the client's budget; else the seconds to wait. */
  readonly admitMail?: (req: FastifyRequest) => number | undefined;
  /** Who the client is (its address, or its IPv6 network): form tickets are bound to it. */
  readonly clientKey?: (req: FastifyRequest) => string;
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
  ): Promise<void>;
  confirm(id: number, expires: number, token: string): Promise<boolean>;
  unsubscribe(id: number, token: string): Promise<boolean>;
}

/** What the form needs of the proof of work. */
export interface FormPow {
  readonly waitSeconds: number;
  ticket(clientKey: string): string;
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
   * The key of the hashes that stand for client addresses in the sign-in throttle (derived from
   * the signing key, so that every node shares it); a random one per process when absent.
   */
  readonly secret?: Uint8Array | undefined;
  /**
   * Who a client is for the sign-in throttle: its address as the server sees it, widened to what
   * one subscriber controls (an IPv6 /64); the exact address when absent.
   */
  readonly clientKey?: ((req: FastifyRequest) => string) | undefined;
  /** The site's address, printed on the receipts a volunteer prints (as WebOptions.siteUrl). */
  readonly siteUrl?: (() => string) | undefined;
}
