// Totals are a pure function of the log's entries: the server keeps them up to date entry by entry
// in the same transaction as the entries, and `tuidang verify` recomputes them from the raw log.
// Both use this file, so they agree by construction; the tests check that they agree in fact.
import { CHANNELS, type DeclarationEntry, type Entry, ORGS } from './entry.ts';

export interface Tally {
  declarants: number;
  orgs: Record<string, number>;
  channels: Record<string, number>;
  /** Per UTC day, `YYYY-MM-DD`. */
  days: Record<string, number>;
  /** Per ISO 3166-2:CN code; `none` where no region was given. */
  regions: Record<string, number>;
}

export interface Totals {
  /** Number of log entries counted (declarations and voids). */
  entries: number;
  /** Declarations made in this registry (all channels but `import`), voided ones excluded. */
  registered: Tally;
  /** Historical records imported from before this registry (channel `import`), voided excluded. */
  imported: Tally;
  /** Declarations voided by a later `void` entry, per reason. */
  voided: Record<string, number>;
}

function emptyTally(): Tally {
  return {
    declarants: 0,
    orgs: Object.fromEntries(ORGS.map((o) => [o, 0])),
    channels: Object.fromEntries(CHANNELS.map((c) => [c, 0])),
    days: {},
    regions: {},
  };
}

export function emptyTotals(): Totals {
  return { entries: 0, registered: emptyTally(), imported: emptyTally(), voided: {} };
}

function bump(record: Record<string, number>, key: string, by: number): void {
  const n = (record[key] ?? 0) + by;
  if (n === 0) delete record[key];
  else record[key] = n;
}

function count(t: Totals, e: DeclarationEntry, by: 1 | -1): void {
  const tally = e.channel === 'import' ? t.imported : t.registered;
  tally.declarants += by;
  for (const o of e.orgs) bump(tally.orgs, o, by);
  bump(tally.channels, e.channel, by);
  bump(tally.days, e.day, by);
  bump(tally.regions, e.region ?? 'none', by);
  // Keep the fixed keys present, even at zero, so that totals always have the same shape.
  for (const o of ORGS) tally.orgs[o] ??= 0;
  for (const c of CHANNELS) tally.channels[c] ??= 0;
}

/**
 * Adds one entry. A void entry must come with the declaration it voids (`target`), which the
 * caller has checked is a declaration not voided before.
 */
export function addEntry(t: Totals, e: Entry, target?: DeclarationEntry): void {
  t.entries++;
  if (e.kind === 'declaration') {
    count(t, e, 1);
    return;
  }
  if (target === undefined)
    throw new Error(`void entry for index ${e.target} needs the entry it voids`);
  count(t, target, -1);
  bump(t.voided, e.reason, 1);
}

/** Thrown when a log's entries break a rule that totals depend on (e.g. a void of a void). */
export class TallyError extends Error {
  override name = 'TallyError';
}

/**
 * Totals recomputed from scratch over entries in log order, checking every void: its target must
 * be an earlier declaration that no earlier void named.
 */
export function tally(entries: Iterable<Entry>): Totals {
  const t = emptyTotals();
  const declarations = new Map<number, DeclarationEntry>();
  const voided = new Set<number>();
  let index = 0;
  for (const e of entries) {
    if (e.kind === 'declaration') {
      declarations.set(index, e);
      addEntry(t, e);
    } else {
      const target = declarations.get(e.target);
      if (target === undefined)
        throw new TallyError(
          `entry ${index} voids entry ${e.target}, which is not an earlier declaration`,
        );
      if (voided.has(e.target))
        throw new TallyError(`entry ${index} voids entry ${e.target} a second time`);
      voided.add(e.target);
      addEntry(t, e, target);
    }
    index++;
  }
  return t;
}

/** Sum of registered and imported declarants: the headline total. */
export function headline(t: Totals): number {
  return t.registered.declarants + t.imported.declarants;
}
