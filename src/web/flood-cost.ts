// What a flood of declarations costs, as /about states it: measured figures (bench/stuffing.ts,
// `npm run bench -- stuffing`, on the development machine; docs/abuse.md has the full table) scaled
// by this registry's own settings, so that the page never claims more than its settings buy.

/** One scrypt evaluation (N = 4,096, r = 8: 4 MiB), in CPU-milliseconds of one core of the
 * development machine (a shared virtual machine): a faster processor takes less, and /about says
 * where the figures were measured. */
export const MEASURED_MS = {
  /** node:crypto's scrypt (OpenSSL's C): the fastest solver measured. */
  native: 8.4,
  /** The page's own solver (@noble/hashes) in desktop Chromium. */
  desktopBrowser: 87,
} as const;

/** A mid-range phone against a desktop core, in browser JavaScript (an estimate: bench/stuffing.ts). */
export const PHONE_FACTOR = 5;

export interface FloodCost {
  /** scrypt evaluations a person takes on average: for a large family, and for one person alone. */
  readonly evaluations: readonly [number, number];
  /** Seconds a mid-range phone takes for one person declaring alone (an estimate). */
  readonly phoneSeconds: number;
  /** CPU-seconds per 1,000 entries for the fastest native solver measured: families, one alone. */
  readonly nativePer1000: readonly [number, number];
  /** Seconds a form without JavaScript must be open per person. */
  readonly waitSeconds: number;
  /** People one client may declare a minute (0: no limit). */
  readonly perMinute: number;
}

/**
 * The cost at `cost` evaluations per declarant (TUIDANG_POW_COST): the counter to find is drawn
 * from [cost·n/2, cost·n] and the solver tries it and every one below, so a person alone takes
 * about 0.75·cost + 1 evaluations and a large family about 0.75·cost a person.
 */
export function floodCost(cost: number, waitSeconds: number, perMinute: number): FloodCost {
  const family = 0.75 * cost;
  const alone = 0.75 * cost + 1;
  return {
    evaluations: [Math.round(family), Math.round(alone)],
    phoneSeconds: Math.round((alone * MEASURED_MS.desktopBrowser * PHONE_FACTOR) / 100) / 10,
    nativePer1000: [
      Math.round(family * MEASURED_MS.native),
      Math.round(alone * MEASURED_MS.native),
    ],
    waitSeconds,
    perMinute,
  };
}
