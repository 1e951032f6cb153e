// Single-use tokens (solved proof-of-work challenges, form tickets, newsletter mail tokens) are
// stored as a hash of their kind and value, with the hour they expire in, never the moment they
// were issued or spent: the ledger says only whether a token was spent. Tokens of one hour are
// dropped together once it has passed, and the table keeps no order of insertion that a seized
// copy could line up with commits (SQLite: no rowid; see docs/timing-privacy.md).
import { createHash } from 'node:crypto';
import { hourCeil } from './store.ts';

export function spentTokenHash(kind: string, token: string): Buffer {
  return createHash('sha256').update(`tuidang/spent/v1\n${kind}\n${token}`).digest();
}

/** What a store keeps of a token's expiry: POSIX seconds, rounded up to the hour. */
export function spentExpiry(expiresAtMs: number): number {
  return hourCeil(Math.ceil(expiresAtMs / 1000));
}

/**
 * When to drop expired tokens: once per hour that starts (all the tokens of an hour expire
 * together), so the ledger holds at most the hours not over yet.
 */
export class SpentPruning {
  #hour = 0;

  /** The POSIX second before which tokens expired, when it is time to drop them; else undefined. */
  due(nowMs: number): number | undefined {
    const hour = Math.floor(nowMs / 3_600_000);
    if (hour === this.#hour) return undefined;
    this.#hour = hour;
    return Math.floor(nowMs / 1000);
  }
}
