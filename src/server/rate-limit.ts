// In-memory rate limits. A client is known only by an HMAC of its address under a random salt that
// lives in memory and changes every UTC day: nothing is stored, nothing can be linked across days,
// and a seized server holds no address at all.
import { createHmac, randomBytes } from 'node:crypto';
import { TuidangError } from '../errors/index.ts';

export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #salt = randomBytes(32);
  #day = '';
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  /** At most `limit` actions per `windowMs` per address; `limit` 0 turns the limiter off. */
  constructor(limit: number, windowMs = 60_000, now: () => number = Date.now) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Takes one action for `address`; returns the seconds to wait if the limit is reached. */
  take(address: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.#limit <= 0) return { ok: true };
    const now = this.#now();
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.#day) {
      this.#day = day;
      this.#salt = randomBytes(32);
      this.#windows.clear();
    }
    if (this.#windows.size > 100_000) {
      for (const [k, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(k);
    }
    const key = createHmac('sha256', this.#salt).update(address).digest('base64');
    let w = this.#windows.get(key);
    if (w === undefined || w.resetAt <= now) {
      w = { count: 0, resetAt: now + this.#windowMs };
      this.#windows.set(key, w);
    }
    if (w.count >= this.#limit)
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
    w.count++;
    return { ok: true };
  }
}

/** Too many requests from one address: 429 with Retry-After. */
export class RateLimitedError extends TuidangError<'rate-limited'> {
  override name = 'RateLimitedError';
  constructor(retryAfterSeconds: number) {
    super(
      'rate-limited',
      `Too many declarations from your connection. Please wait ${retryAfterSeconds} seconds; nothing was recorded.`,
      { retryAfterSeconds },
    );
  }
}
