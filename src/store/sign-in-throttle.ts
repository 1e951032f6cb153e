// The arithmetic of staff sign-in throttling, shared by every store: each store reads the rows of
// the keys, applies these functions and writes the result in one transaction.
import type { SignInThrottle } from './store.ts';

export interface ThrottleRow {
  readonly key: string;
  /** Failures counted, since the last one older than `forgetSeconds`. */
  readonly failures: number;
  /** POSIX seconds of the last counted failure. */
  readonly at: number;
  /** POSIX seconds before which the key must wait. */
  readonly until: number;
}

/**
 * An attempt on `keys`: the seconds to wait if any key must still wait (then nothing is to be
 * written), else the rows to write, each with one more failure.
 */
export function countAttempt(
  stored: ReadonlyMap<string, ThrottleRow>,
  keys: readonly string[],
  now: number,
  throttle: SignInThrottle,
): { wait: number; write: ThrottleRow[] } {
  const current = (key: string) => {
    const row = stored.get(key);
    return row === undefined || now - row.at > throttle.forgetSeconds ? undefined : row;
  };
  const wait = Math.max(0, ...keys.map((k) => (current(k)?.until ?? 0) - now));
  if (wait > 0) return { wait, write: [] };
  return {
    wait: 0,
    write: [...new Set(keys)].map((key) => {
      const failures = (current(key)?.failures ?? 0) + 1;
      return { key, failures, at: now, until: now + throttle.wait(key, failures) };
    }),
  };
}

/** A row without the failure last counted (undefined: nothing left to keep). */
export function uncount(row: ThrottleRow, throttle: SignInThrottle): ThrottleRow | undefined {
  const failures = row.failures - 1;
  if (failures <= 0) return undefined;
  return { ...row, failures, until: row.at + throttle.wait(row.key, failures) };
}

/**
 * After a successful sign-in: the `reset` keys start again from nothing, and the `undo` keys lose
 * the failure counted for this attempt. The keys to delete and the rows to write.
 */
export function forgiveAttempt(
  stored: ReadonlyMap<string, ThrottleRow>,
  reset: readonly string[],
  undo: readonly string[],
  throttle: SignInThrottle,
): { remove: string[]; write: ThrottleRow[] } {
  const write = undo.flatMap((key) => {
    const row = reset.includes(key) ? undefined : stored.get(key);
    const kept = row && uncount(row, throttle);
    return kept ? [kept] : [];
  });
  const remove = [...reset, ...undo.filter((key) => !write.some((k) => k.key === key))];
  return { remove, write };
}
