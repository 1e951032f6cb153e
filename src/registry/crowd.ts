// A published statement must not point at its entry. What it shows of the entry is its month
// (never the day, the organisations or the region), and it is listed only when at least `crowd`
// declarations of the public log share that month: then, from the tiles and the statements page
// alone, each statement matches at least `crowd` entries. See docs/timing-privacy.md.
import type { Totals } from './totals.ts';

/** What a statement shows of its entry's day: `2026-12` of `2026-12-02`. */
export function statementMonth(day: string): string {
  return day.slice(0, 7);
}

/** The last answer for each totals object, while its entries count stays the same. */
const answers = new WeakMap<
  Totals,
  { entries: number; crowd: number; months: readonly string[] }
>();

/**
 * The months in which at least `crowd` declarations are counted (not voided; declared here or
 * imported alike, since a statement does not say which), newest first. Voided entries are left out:
 * anyone can tell them from the log's void entries, so they hide nobody.
 *
 * Every public list asks this of the published totals, and a log of twenty years has some 7,000
 * days: the answer is kept with the totals object until it counts another entry (each entry, a
 * void included, adds one to `entries`), so a page reads it instead of counting again.
 */
export function crowdedMonths(totals: Totals, crowd: number): readonly string[] {
  const kept = answers.get(totals);
  if (kept !== undefined && kept.entries === totals.entries && kept.crowd === crowd)
    return kept.months;
  const perMonth = new Map<string, number>();
  for (const tally of [totals.registered, totals.imported])
    for (const [day, n] of Object.entries(tally.days)) {
      const month = statementMonth(day);
      perMonth.set(month, (perMonth.get(month) ?? 0) + n);
    }
  const months = Object.freeze(
    [...perMonth]
      .filter(([, n]) => n >= crowd)
      .map(([month]) => month)
      .sort()
      .reverse(),
  );
  answers.set(totals, { entries: totals.entries, crowd, months });
  return months;
}
