// The arithmetic of staff sign-in throttling, shared by every store: each store reads the rows of
// the keys, applies these functions and writes the result in one transaction. Times are stored
// coarsely, so that a seized database does not tell when anyone tried to sign in: the last
// failure to the hour (keys are forgotten after a day), the end of a wait rounded up to the minute.
import type { SignInThrottle } from './site-store.ts';

/** Seconds to which the time of a key's last failure is rounded down. */
export const FAILURE_GRANULE = 3600;
/** Seconds to which the end of a wait is rounded up (a wait is never shorter than asked). */
export const WAIT_GRANULE = 60;

const failedAt = (now: number) => Math.floor(now / FAILURE_GRANULE) * FAILURE_GRANULE;
const waitUntil = (now: number, wait: number) =>
  wait <= 0 ? 0 : Math.ceil((now + wait) / WAIT_GRANULE) * WAIT_GRANULE;

export interface ThrottleRow {
  readonly key: string;
  /** Failures counted, since the last one older than `forgetSeconds`. */
  readonly failures: number;
  /** POSIX seconds of the last counted failure, rounded down to the hour. */
  readonly at: number;
  /** POSIX seconds before which the key must wait (0: none), rounded up to the minute. */
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
      return {
        key,
        failures,
        at: failedAt(now),
        until: waitUntil(now, throttle.wait(key, failures)),
      };
    }),
  };
}

/** A row without the failure last counted (undefined: nothing left to keep). */
export function uncount(row: ThrottleRow, throttle: SignInThrottle): ThrottleRow | undefined {
  const failures = row.failures - 1;
  if (failures <= 0) return undefined;
  // Below the free failures no wait is due; above, the running wait stays (the exact time of the
  // failure before is not kept, and another attempt may have counted since).
  return { ...row, failures, until: throttle.wait(row.key, failures) > 0 ? row.until : 0 };
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
