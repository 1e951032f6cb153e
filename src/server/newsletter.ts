// The newsletter: double opt-in by mail, one-click unsubscribe (RFC 8058) in every mail, and
// sending to confirmed subscribers at a bounded rate. Links carry HMAC tokens derived from the
// signing key, so nothing secret is stored and any node can check them. Addresses are never logged:
// an SMTP error names the recipient in its message and fields, so it is replaced by a MailError
// that carries only the SMTP codes. Anyone can type anyone's address into the form, so an address
// gets at most one confirmation mail a UTC day (the form's page is the same either way).
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { TuidangError } from '../errors/index.ts';
import type { SiteStore } from '../store/index.ts';

export const TERMS_VERSION = '1';
const CONFIRM_SECONDS = 48 * 3600;
/** At most one confirmation mail per address in each such period (a UTC day). */
export const CONFIRMATION_PERIOD_SECONDS = 24 * 3600;

/** A mail that was not sent. Carries no address: only what the SMTP server's codes say. */
export class MailError extends TuidangError<'bad-request' | 'unreachable'> {
  override name = 'MailError';
  /** The server refused the recipient (a 5xx to RCPT TO): the address, not the service, is wrong. */
  readonly rejected: boolean;
  readonly smtpCode: string | undefined;
  readonly responseCode: number | undefined;
  constructor(rejected: boolean, smtpCode?: string, responseCode?: number) {
    super(
      rejected ? 'bad-request' : 'unreachable',
      `${rejected ? 'the SMTP server refused the recipient' : 'the mail could not be handed to the SMTP server'} (${[smtpCode, responseCode].filter((x) => x !== undefined).join(' ') || 'no code'})`,
    );
    this.rejected = rejected;
    this.smtpCode = smtpCode;
    this.responseCode = responseCode;
  }
}

/** A nodemailer error as a MailError: its message, `rejected` and `rejectedErrors` name the
 * recipient, so none of them is kept. */
export function mailError(e: unknown): MailError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  const code = typeof err.code === 'string' ? err.code : undefined;
  const response = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const rejected =
    code === 'EENVELOPE' ||
    (response !== undefined && response >= 500 && /RCPT/i.test(String(err.command)));
  return new MailError(rejected, code, response);
}

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly headers: Record<string, string>;
}

export type SendMail = (mail: Mail) => Promise<void>;

/** A mail sender over SMTP_URL (nodemailer). */
export function smtpSender(url: string, from: string): SendMail {
  const transport = nodemailer.createTransport(url);
  return async (mail) => {
    try {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: mail.headers,
      });
    } catch (e) {
      throw mailError(e);
    }
  };
}

export interface NewsletterOptions {
  readonly now?: () => number;
  /** Failures are logged here, by SMTP code only. */
  readonly logger?: Logger | undefined;
  /** A ledger shared by the nodes (the store's): true the first time a token is spent. */
  readonly spendOnce?: ((token: string, expiresAtMs: number) => Promise<boolean>) | undefined;
}

export class Newsletter {
  readonly #site: SiteStore;
  readonly #send: SendMail;
  readonly #key: Buffer;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #spendOnce: (token: string, expiresAtMs: number) => Promise<boolean>;
  #expiring: NodeJS.Timeout | undefined;

  constructor(
    site: SiteStore,
    send: SendMail,
    seed: Uint8Array,
    options: NewsletterOptions | (() => number) = {},
  ) {
    const opts = typeof options === 'function' ? { now: options } : options;
    this.#site = site;
    this.#send = send;
    this.#key = Buffer.from(
      hkdfSync('sha256', seed, new Uint8Array(0), 'tuidang/newsletter/v1', 32),
    );
    this.#now = opts.now ?? Date.now;
    this.#logger = opts.logger;
    this.#spendOnce = opts.spendOnce ?? memoryLedger(this.#now);
    this.#scheduleExpiry();
  }

  /**
   * Unconfirmed addresses are deleted when their link expires: links expire on the hour, so a
   * sweep just after each hour deletes each of them within seconds of its expiry.
   */
  #scheduleExpiry(): void {
    const now = Date.now();
    const next = (Math.floor(now / 3_600_000) + 1) * 3_600_000 + 1000;
    this.#expiring = setTimeout(() => {
      void this.expire().finally(() => this.#scheduleExpiry());
    }, next - now);
    this.#expiring.unref();
  }

  /** Deletes (and erases from the database's files) the subscriptions whose link expired. */
  async expire(): Promise<number> {
    try {
      return await this.#site.expireSubscribers(Math.floor(this.#now() / 1000));
    } catch (e) {
      this.#logger?.warn(
        { error: (e as Error).name },
        'newsletter: deleting expired subscriptions failed; trying again within the hour',
      );
      return 0;
    }
  }

  close(): void {
    clearTimeout(this.#expiring);
  }

  #token(purpose: string): string {
    return createHmac('sha256', this.#key).update(purpose).digest('base64url');
  }

  #check(purpose: string, token: string): boolean {
    const a = Buffer.from(this.#token(purpose));
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** RFC 8058 headers for a subscriber: the one-click unsubscribe address. */
  unsubscribeHeaders(base: string, id: number): Record<string, string> {
    return {
      'List-Unsubscribe': `<${this.unsubscribeUrl(base, id)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
  }

  unsubscribeUrl(base: string, id: number): string {
    return `${base}/newsletter/unsubscribe?id=${id}&t=${this.#token(`unsubscribe:${id}`)}`;
  }

  /**
   * Records the address as pending and mails it a confirmation link valid 48 hours, unless the
   * address had one the same UTC day (then nothing changes: the link already sent stays valid).
   * Throws a MailError if the mail cannot be sent. `lang`: the language prefix of the sign-up
   * page, so that the link opens a page in the language the person signed up in.
   */
  async subscribe(
    email: string,
    base: string,
    mail: (link: string) => { subject: string; text: string },
    lang?: string,
  ): Promise<void> {
    const address = email.trim();
    const now = this.#now();
    // One token per address and UTC day, keyed by an HMAC of the address: the ledger learns
    // nothing it could give back, and a new day needs no clean-up of the old token.
    const day = Math.floor(now / (CONFIRMATION_PERIOD_SECONDS * 1000));
    const once = `m:${day}:${this.#token(`confirmation-mail:${address.toLowerCase()}`)}`;
    if (!(await this.#spendOnce(once, (day + 2) * CONFIRMATION_PERIOD_SECONDS * 1000))) return;
    await this.expire();
    // On the hour (48 to 49 hours from now): the database keeps no second of a sign-up.
    const expires = Math.ceil((Math.floor(now / 1000) + CONFIRM_SECONDS) / 3600) * 3600;
    const sub = await this.#site.subscribe(address, TERMS_VERSION, expires);
    if (sub.status === 'confirmed') return; // says nothing more: the page is the same either way
    const link = `${base}${lang === undefined ? '' : `/${lang}`}/newsletter/confirm?id=${sub.id}&e=${sub.expires}&t=${this.#token(`confirm:${sub.id}:${sub.expires}`)}`;
    try {
      await this.#send({
        to: sub.email,
        ...mail(link),
        headers: this.unsubscribeHeaders(base, sub.id),
      });
    } catch (e) {
      const err = e instanceof MailError ? e : mailError(e);
      this.#logger?.warn(
        { smtpCode: err.smtpCode, responseCode: err.responseCode, rejected: err.rejected },
        'newsletter: a confirmation mail was not sent',
      );
      throw err;
    }
  }

  async confirm(id: number, expires: number, token: string): Promise<boolean> {
    if (!this.#check(`confirm:${id}:${expires}`, token) || expires < this.#now() / 1000)
      return false;
    const sub = await this.#site.subscriber(id);
    // A link mailed before expiries were kept on the hour names the second; the store, its hour.
    if (
      sub === undefined ||
      (sub.expires !== expires && sub.expires !== Math.ceil(expires / 3600) * 3600) ||
      sub.status === 'unsubscribed'
    )
      return false;
    return sub.status === 'confirmed' || this.#site.setSubscriberStatus(id, 'confirmed');
  }

  /**
   * Deletes the address at once (and erases it from the database's files, as an erasure does).
   * A valid link of an address already gone is still a success: the address is not subscribed.
   */
  async unsubscribe(id: number, token: string): Promise<boolean> {
    if (!this.#check(`unsubscribe:${id}`, token)) return false;
    await this.#site.deleteSubscriber(id);
    return true;
  }

  /** Sends a mail to every confirmed subscriber, at most `perSecond` a second. */
  async sendToAll(
    base: string,
    subject: string,
    text: string,
    perSecond: number,
    onProgress?: (sent: number) => void,
  ): Promise<number> {
    let sent = 0;
    let after = 0;
    for (;;) {
      const batch = await this.#site.confirmedSubscribers(after, 100);
      if (batch.length === 0) return sent;
      for (const sub of batch) {
        const started = this.#now();
        const footer = `\n\n--\n${this.unsubscribeUrl(base, sub.id)}`;
        try {
          await this.#send({
            to: sub.email,
            subject,
            text: text + footer,
            headers: this.unsubscribeHeaders(base, sub.id),
          });
        } catch (e) {
          const err = e instanceof MailError ? e : mailError(e);
          if (!err.rejected) throw err; // the server, not this address: stop
          this.#logger?.warn(
            { responseCode: err.responseCode },
            'newsletter: a subscriber was refused',
          );
          after = sub.id;
          continue;
        }
        sent++;
        onProgress?.(sent);
        const wait = 1000 / perSecond - (this.#now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        after = sub.id;
      }
    }
  }
}

/** One node's spend-once ledger, for stores that keep none. */
function memoryLedger(now: () => number) {
  const spent = new Map<string, number>();
  return async (token: string, expiresAtMs: number): Promise<boolean> => {
    const t = now();
    if (spent.size > 10_000) for (const [k, e] of spent) if (e <= t) spent.delete(k);
    const until = spent.get(token);
    if (until !== undefined && until > t) return false;
    spent.set(token, expiresAtMs);
    return true;
  };
}
