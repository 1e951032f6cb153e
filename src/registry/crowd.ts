// A published statement must not point at its entry. What it shows of the entry is its month
// (never the day, the organisations or the region), and it is listed only when at least `crowd`
// declarations of the public log share that month: then, from the tiles and the statements page
// alone, each statement matches at least `crowd` entries. See docs/timing-privacy.md.
import type { Totals } from './totals.ts';

/** What a statement shows of its entry's day: `2026-12` of `2026-12-02`. */
export function statementMonth(day: string): string {
  return day.slice(0, 7);
}

/**
 * The months in which at least `crowd` declarations are counted (not voided; declared here or
 * imported alike, since a statement does not say which), newest first. Voided entries are left out:
 * anyone can tell them from the log's void entries, so they hide nobody.
 */
export function crowdedMonths(totals: Totals, crowd: number): string[] {
  const perMonth = new Map<string, number>();
  for (const tally of [totals.registered, totals.imported])
    for (const [day, n] of Object.entries(tally.days)) {
      const month = statementMonth(day);
      perMonth.set(month, (perMonth.get(month) ?? 0) + n);
    }
  return [...perMonth]
    .filter(([, n]) => n >= crowd)
    .map(([month]) => month)
    .sort()
    .reverse();
}
