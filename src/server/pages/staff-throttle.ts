// Throttling of staff sign-in. A password is checked only after the attempt is counted, in one
// atomic step with the check of the wait, under four keys:
//
// - account: the username, from every address. After a few failures its password is checked at
//   most once every few minutes, however many addresses the guesses come from.
// - pair: the username at one address; address: one address over all usernames (spraying).
// - code: the username at one address, on the path that gives the second factor with the
//   password. That path checks the code first (cheap, and only a right code leads on to the
//   password), so it is not held by the account's or the address's waits: the real owner, with
//   the authenticator app, signs in while strangers keep the account or the shared address busy.
//
// The store sees keyed hashes only. Keys that involve an address are keyed by a salt that lives
// in this process's memory and changes every UTC day (as the rate limiter's): nothing on disk,
// not even the signing key, lets anyone recover an address from them. Account keys are keyed by
// the staff secret (shared by the nodes of a cluster, so that the per-account limit holds across
// them and across restarts); they name accounts, which the staff table names anyway.
import { createHmac, randomBytes } from 'node:crypto';
import type { SignInThrottle } from '../../store/index.ts';

/** Failures free of wait, then the wait each further failure costs (seconds). */
const POLICY = {
  // From every address together: five checks, then one every three minutes (five per quarter
  // hour; minute rounding of stored times makes it three to four minutes).
  account: { free: 5, wait: () => 180 },
  // Failures of one account from one address: three free, then doubling from 1 s.
  pair: { free: 3, wait: (n: number) => 2 ** n },
  // Failures from one address over all accounts: ten free, then doubling.
  address: { free: 10, wait: (n: number) => 2 ** n },
  // Wrong codes for one account from one address: ten free, then doubling.
  code: { free: 10, wait: (n: number) => 2 ** n },
  // Wrong codes after a right password (one pending sign-in): five, then it is over.
  pending: { free: 5, wait: () => 900 },
} as const;
/** The longest wait: 15 minutes. */
const MAX_WAIT = 900;

type Kind = keyof typeof POLICY;
const kindOf = (key: string): Kind => key.slice(0, key.indexOf(':')) as Kind;

export const SIGN_IN_THROTTLE: SignInThrottle = {
  wait: (key, failures) => {
    const p = POLICY[kindOf(key)] ?? POLICY.pair;
    return failures < p.free ? 0 : Math.min(MAX_WAIT, p.wait(failures - p.free));
  },
  // A day after the last failure, a key starts again from nothing.
  forgetSeconds: 86_400,
};

export interface SignInKeys {
  readonly account: string;
  readonly pair: string;
  readonly address: string;
  readonly code: string;
}

/** Makes the throttle keys of sign-ins; the address salt changes every UTC day. */
export class SignInKeyring {
  readonly #accountSecret: Uint8Array;
  readonly #now: () => number;
  #salt = randomBytes(32);
  #day = '';

  /** `accountSecret`: the staff secret; `now`: the clock, in milliseconds. */
  constructor(accountSecret: Uint8Array, now: () => number) {
    this.#accountSecret = accountSecret;
    this.#now = now;
  }

  /**
   * The keys of a sign-in by `username` from `address` (already widened to what one client
   * controls, e.g. an IPv6 /64).
   */
  keys(username: string, address: string): SignInKeys {
    const day = new Date(this.#now()).toISOString().slice(0, 10);
    if (day !== this.#day) {
      this.#day = day;
      this.#salt = randomBytes(32);
    }
    const mac = (key: Uint8Array, ...parts: string[]) =>
      createHmac('sha256', key).update(parts.join('\0')).digest('base64url');
    return {
      account: `account:${mac(this.#accountSecret, 'account', username)}`,
      pair: `pair:${mac(this.#salt, 'pair', username, address)}`,
      address: `address:${mac(this.#salt, 'address', address)}`,
      code: `code:${mac(this.#salt, 'code', username, address)}`,
    };
  }

  /** The key of one pending sign-in (a right password waiting for its code). */
  pending(id: string): string {
    return `pending:${createHmac('sha256', this.#salt).update(id).digest('base64url')}`;
  }
}
