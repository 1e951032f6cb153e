// The newsletter: double opt-in by mail, one-click unsubscribe (RFC 8058) in every mail, and
// sending to confirmed subscribers at a bounded rate. Links carry HMAC tokens derived from the
// signing key, so nothing secret is stored and any node can check them. Addresses are never logged.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Store } from '../store/index.ts';

export const TERMS_VERSION = '1';
const CONFIRM_SECONDS = 48 * 3600;

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
    await transport.sendMail({
      from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      headers: mail.headers,
    });
  };
}

export class Newsletter {
  readonly #store: Store;
  readonly #send: SendMail;
  readonly #key: Buffer;
  readonly #now: () => number;

  constructor(store: Store, send: SendMail, seed: Uint8Array, now: () => number = Date.now) {
    this.#store = store;
    this.#send = send;
    this.#key = Buffer.from(
      hkdfSync('sha256', seed, new Uint8Array(0), 'tuidang/newsletter/v1', 32),
    );
    this.#now = now;
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

  /** Records the address as pending and mails it a confirmation link valid 48 hours. */
  async subscribe(
    email: string,
    base: string,
    mail: (link: string) => { subject: string; text: string },
  ): Promise<void> {
    const expires = Math.floor(this.#now() / 1000) + CONFIRM_SECONDS;
    const sub = await this.#store.subscribe(email.trim(), TERMS_VERSION, expires);
    if (sub.status === 'confirmed') return; // says nothing more: the page is the same either way
    const link = `${base}/newsletter/confirm?id=${sub.id}&e=${sub.expires}&t=${this.#token(`confirm:${sub.id}:${sub.expires}`)}`;
    await this.#send({
      to: sub.email,
      ...mail(link),
      headers: this.unsubscribeHeaders(base, sub.id),
    });
  }

  async confirm(id: number, expires: number, token: string): Promise<boolean> {
    if (!this.#check(`confirm:${id}:${expires}`, token) || expires < this.#now() / 1000)
      return false;
    const sub = await this.#store.subscriber(id);
    if (sub === undefined || sub.expires !== expires || sub.status === 'unsubscribed') return false;
    return sub.status === 'confirmed' || this.#store.setSubscriberStatus(id, 'confirmed');
  }

  async unsubscribe(id: number, token: string): Promise<boolean> {
    return (
      this.#check(`unsubscribe:${id}`, token) && this.#store.setSubscriberStatus(id, 'unsubscribed')
    );
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
      const batch = await this.#store.confirmedSubscribers(after, 100);
      if (batch.length === 0) return sent;
      for (const sub of batch) {
        const started = this.#now();
        const footer = `\n\n--\n${this.unsubscribeUrl(base, sub.id)}`;
        await this.#send({
          to: sub.email,
          subject,
          text: text + footer,
          headers: this.unsubscribeHeaders(base, sub.id),
        });
        sent++;
        onProgress?.(sent);
        const wait = 1000 / perSecond - (this.#now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        after = sub.id;
      }
    }
  }
}
