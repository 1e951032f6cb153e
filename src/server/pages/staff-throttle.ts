// Throttling of staff sign-in, per (account, address) and per address across accounts. A guesser
// at one address slows down only there: the real moderator signs in from another address as
// usual, and spraying guesses over many accounts from one address is slowed as a whole. The store
// sees keyed hashes only (HMAC with a secret of this registry), never an address or a username
// beside it, and counts every attempt before the password is checked, atomically.
import { createHmac } from 'node:crypto';
import type { SignInThrottle } from '../../store/index.ts';

/** Failures of one account from one address that cost nothing; then the wait doubles from 1 s. */
const PAIR_FREE = 3;
/** Failures from one address over all accounts that cost nothing; then the wait doubles. */
const ADDRESS_FREE = 10;
/** The longest wait: 15 minutes. */
const MAX_WAIT = 900;

const doubling = (free: number, failures: number) =>
  failures < free ? 0 : Math.min(MAX_WAIT, 2 ** (failures - free));

export const SIGN_IN_THROTTLE: SignInThrottle = {
  wait: (key, failures) =>
    doubling(key.startsWith('address:') ? ADDRESS_FREE : PAIR_FREE, failures),
  // A day after the last failure, a key starts again from nothing.
  forgetSeconds: 86_400,
};

export interface SignInKeys {
  /** The account at this address. */
  readonly pair: string;
  /** The address, whatever the account. */
  readonly address: string;
}

/**
 * The throttle keys of a sign-in: HMAC-SHA-256 under `secret` of the address (already widened to
 * what one client controls, e.g. an IPv6 /64) and of the username with it.
 */
export function signInKeys(secret: Uint8Array, username: string, address: string): SignInKeys {
  const mac = (...parts: string[]) =>
    createHmac('sha256', secret).update(parts.join('\0')).digest('base64url');
  return {
    pair: `pair:${mac('pair', username, address)}`,
    address: `address:${mac('address', address)}`,
  };
}
