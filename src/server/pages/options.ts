// What the page routes are given by the app (src/server/app.ts).
import type { FastifyRequest } from 'fastify';
import type { Declarations, WitnessConfig } from '../../sequencer/index.ts';
import type { Store } from '../../store/index.ts';

export interface WebOptions {
  readonly store: Store;
  readonly sequencer: Declarations;
  /** The log's origin, e.g. `registry.example/log`: its host names the site in examples. */
  readonly origin: string;
  /** The log's verifier key: the receipt check without JavaScript verifies signatures with it. */
  readonly vkey: string;
  /** Seconds the client must wait before declaring again, or undefined when it may declare. */
  readonly admit?: (req: FastifyRequest) => number | undefined;
  /** Proof of work for the form (pow.ts), if required. */
  readonly pow?: FormPow | undefined;
  /** The newsletter, when SMTP is configured. */
  readonly newsletter?: NewsletterService | undefined;
  /**
   * The site's public address (TUIDANG_PUBLIC_URL), for links in mails and the commands the pages
   * show; else the address the server listens on, for local use.
   */
  readonly publicUrl?: string | undefined;
  /** The witnesses configured (TUIDANG_WITNESSES): /about lists them, and which cosigned. */
  readonly witnesses?: readonly WitnessConfig[] | undefined;
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
  ticket(): string;
  checkTicket(ticket: string | undefined): Promise<'ok' | 'early' | 'invalid'>;
  checkSolution(payload: string | undefined): Promise<boolean>;
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
}
