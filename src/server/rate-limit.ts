// In-memory rate limits, as token buckets. A client is known only by an HMAC of its key (see
// client-key.ts) under a random salt that lives in memory and changes every UTC day: nothing is
// stored, nothing can be linked across days, and a seized server holds no address at all.
import { createHmac, randomBytes } from 'node:crypto';
import { TuidangError } from '../errors/index.ts';

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #salt = randomBytes(32);
  #day = '';
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * `limit` units per `windowMs` per client, refilled continuously, at most `burst` (default
   * `limit`) saved up; `limit` 0 turns the limiter off. A unit is whatever the caller counts: a
   * declarant, a mail, a request.
   */
  constructor(limit: number, windowMs = 60_000, now: () => number = Date.now, burst = limit) {
    this.#perMs = limit / windowMs;
    this.#burst = Math.max(limit, burst);
    this.#now = now;
  }

  #bucket(key: string): { tokens: number; at: number } {
    const now = this.#now();
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.#day) {
      this.#day = day;
      this.#salt = randomBytes(32);
      this.#buckets.clear();
    }
    if (this.#buckets.size > 100_000) {
      for (const [k, b] of this.#buckets)
        if (b.tokens + (now - b.at) * this.#perMs >= this.#burst) this.#buckets.delete(k);
    }
    const id = createHmac('sha256', this.#salt).update(key).digest('base64');
    let b = this.#buckets.get(id);
    if (b === undefined) {
      b = { tokens: this.#burst, at: now };
      this.#buckets.set(id, b);
    }
    b.tokens = Math.min(this.#burst, b.tokens + (now - b.at) * this.#perMs);
    b.at = now;
    return b;
  }

  #admission(tokens: number, units: number): Admission {
    if (tokens >= units) return { ok: true };
    // More than a full bucket never fits: say how long until the bucket is full.
    const missing = Math.min(units, this.#burst) - tokens;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / this.#perMs / 1000)) };
  }

  /** Whether `units` could be taken for `key` now, without taking them. */
  check(key: string, units = 1): Admission {
    if (this.#perMs <= 0) return { ok: true };
    return this.#admission(this.#bucket(key).tokens, Math.min(units, this.#burst));
  }

  /** Takes `units` for `key`; if there are not enough, takes nothing and says how long to wait.
   * A request larger than the burst takes the whole bucket when it is full. */
  take(key: string, units = 1): Admission {
    if (this.#perMs <= 0) return { ok: true };
    const b = this.#bucket(key);
    const cost = Math.min(units, this.#burst);
    const r = this.#admission(b.tokens, cost);
    if (r.ok) b.tokens -= cost;
    return r;
  }
}

/** Too many declarants from one client: 429 with Retry-After. */
export class RateLimitedError extends TuidangError<'rate-limited'> {
  override name = 'RateLimitedError';
  constructor(retryAfterSeconds: number, what = 'declarations') {
    super(
      'rate-limited',
      `Too many ${what} from your connection. Please wait ${retryAfterSeconds} seconds; nothing was recorded.`,
      { retryAfterSeconds },
    );
  }
}
