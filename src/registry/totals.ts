// Totals are a pure function of the log's entries: the server keeps them up to date entry by entry
// in the same transaction as the entries, and `tuidang verify` recomputes them from the raw log.
// Both use this file, so they agree by construction; the tests check that they agree in fact.
import { TuidangError } from '../errors/index.ts';
import {
  CHANNELS,
  type DeclarationEntry,
  dayNumber,
  dayString,
  type Entry,
  ORGS,
} from './entry.ts';
import { REGIONS } from './regions.ts';

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

export function emptyTally(): Tally {
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
    throw new TuidangError('internal', `void entry for index ${e.target} needs the entry it voids`);
  count(t, target, -1);
  bump(t.voided, e.reason, 1);
}

/**
 * A copy to change: faster than structuredClone, whose cost showed at every commit of an import.
 * With `only`, the tallies not named are not copied but shared with `t`: the caller changes just
 * those named, and neither object is changed afterwards. (The imported records' counts by day
 * cover the whole history, thousands of keys: copying them for every batch of declarations made
 * today was a third of the sequencer's time on a large log.)
 */
export function cloneTotals(
  t: Totals,
  only?: { readonly registered: boolean; readonly imported: boolean },
): Totals {
  const tally = (x: Tally): Tally => ({
    declarants: x.declarants,
    orgs: { ...x.orgs },
    channels: { ...x.channels },
    days: { ...x.days },
    regions: { ...x.regions },
  });
  return {
    entries: t.entries,
    registered: only?.registered === false ? t.registered : tally(t.registered),
    imported: only?.imported === false ? t.imported : tally(t.imported),
    voided: { ...t.voided },
  };
}

/**
 * Which tallies adding `entries` changes: a declaration's own (`imported` for the channel
 * `import`), and for a void the tally of the declaration it voids (`targets`, by index).
 */
export function talliesChanged(
  entries: readonly Entry[],
  targets: ReadonlyMap<number, DeclarationEntry>,
): { registered: boolean; imported: boolean } {
  let registered = false;
  let imported = false;
  for (const e of entries) {
    const counted = e.kind === 'void' ? targets.get(e.target) : e;
    if (counted?.channel === 'import') imported = true;
    else registered = true;
  }
  return { registered, imported };
}

/**
 * The totals without the imported records' tally, which stores keep apart: that tally covers the
 * whole history by day (thousands of keys, 125 KB of JSON) and changes only with an import, while
 * the rest changes at every commit. {@link withImported} puts them back together.
 */
export type TotalsHere = Omit<Totals, 'imported'>;

export function withoutImported(t: Totals): TotalsHere {
  return { entries: t.entries, registered: t.registered, voided: t.voided };
}

export function withImported(t: TotalsHere, imported: Tally): Totals {
  return { entries: t.entries, registered: t.registered, imported, voided: t.voided };
}

/** Adds totals counted apart (an import's batch, counted on another thread) into `t`. */
export function addTotals(t: Totals, more: Totals): void {
  t.entries += more.entries;
  for (const kind of ['registered', 'imported'] as const) {
    const into = t[kind];
    const from = more[kind];
    into.declarants += from.declarants;
    for (const part of ['orgs', 'channels', 'days', 'regions'] as const)
      for (const [key, n] of Object.entries(from[part])) if (n !== 0) bump(into[part], key, n);
  }
  for (const [reason, n] of Object.entries(more.voided)) bump(t.voided, reason, n);
}

/**
 * What imported declarations add to the totals, counted in typed counters: an import counts
 * millions of records, and one object update per field and record was a good part of its time.
 * {@link take} gives the same totals as {@link addEntry} of each declaration (channel `import`).
 */
export class ImportCount {
  #declarants = 0;
  readonly #orgs = new Float64Array(ORGS.length);
  readonly #days = new Float64Array(0x10000);
  readonly #daysSeen: number[] = [];
  readonly #regions = new Float64Array(REGIONS.length + 1);

  /** One declaration: its day number, its organisations' bits and its region byte (0: none). */
  add(day: number, orgBits: number, region: number): void {
    this.#declarants++;
    const orgs = this.#orgs;
    for (let i = 0; i < ORGS.length; i++) if (orgBits & (1 << i)) orgs[i] = (orgs[i] as number) + 1;
    const seen = this.#days[day] as number;
    if (seen === 0) this.#daysSeen.push(day);
    this.#days[day] = seen + 1;
    this.#regions[region] = (this.#regions[region] as number) + 1;
  }

  /** The totals counted so far; counting starts again from zero. */
  take(): Totals {
    const t = emptyTotals();
    const n = this.#declarants;
    t.entries = n;
    if (n > 0) {
      const tally = t.imported;
      tally.declarants = n;
      ORGS.forEach((o, i) => {
        tally.orgs[o] = this.#orgs[i] as number;
      });
      tally.channels.import = n;
      for (const day of this.#daysSeen) {
        tally.days[dayString(day)] = this.#days[day] as number;
        this.#days[day] = 0;
      }
      this.#regions.forEach((count, b) => {
        if (count > 0) tally.regions[b === 0 ? 'none' : (REGIONS[b - 1]?.[0] as string)] = count;
      });
    }
    this.#declarants = 0;
    this.#orgs.fill(0);
    this.#daysSeen.length = 0;
    this.#regions.fill(0);
    return t;
  }
}

/** Thrown when a log's entries break a rule that totals depend on (e.g. a void of a void). */
export class TallyError extends TuidangError<'bad-void'> {
  override name = 'TallyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad-void', message, options);
  }
}

/**
 * Totals recomputed from scratch, entry by entry in log order, checking every void: its target
 * must be an earlier declaration that no earlier void named. By default the declarations a later
 * void may name are kept in compact form, about 8 bytes an entry, so memory grows with the log;
 * with `{ keep: false }` nothing is kept per entry and the caller passes each void's target (a
 * verifier looks it up in the log: voids are rare, and 400 M entries would need 3 GB).
 */
export class Recount {
  readonly totals = emptyTotals();
  // Per index: the day, orgs, channel and region of a declaration, packed; 0 for a void.
  #packed: Float64Array | undefined;
  readonly #voided = new Set<number>();

  constructor(opts: { keep?: boolean } = {}) {
    this.#packed = opts.keep === false ? undefined : new Float64Array(1024);
  }

  /**
   * Adds the next entry. For a void, `target` is the entry it names if the caller looked it up
   * (required with `{ keep: false }`; undefined if it is not in the log): it must be a declaration.
   */
  add(e: Entry, target?: Entry): void {
    const index = this.totals.entries;
    const packed = this.#packed;
    if (packed !== undefined && index >= packed.length) {
      const grown = new Float64Array(packed.length * 2);
      grown.set(packed);
      this.#packed = grown;
    }
    if (e.kind === 'declaration') {
      if (this.#packed !== undefined) this.#packed[index] = pack(e);
      addEntry(this.totals, e);
      return;
    }
    let named: DeclarationEntry | undefined;
    if (e.target < index) {
      if (this.#packed !== undefined) {
        const p = this.#packed[e.target];
        named = p ? unpack(p) : undefined;
      } else if (target?.kind === 'declaration') named = target;
    }
    if (named === undefined)
      throw new TallyError(
        `entry ${index} voids entry ${e.target}, which is not an earlier declaration`,
      );
    if (this.#voided.has(e.target))
      throw new TallyError(`entry ${index} voids entry ${e.target} a second time`);
    this.#voided.add(e.target);
    addEntry(this.totals, e, named);
  }
}

// A declaration's counted fields in one number: day (16 bits), orgs (3), channel (3), region (6).
function pack(e: DeclarationEntry): number {
  let orgs = 0;
  for (const o of e.orgs) orgs |= 1 << ORGS.indexOf(o);
  const region = e.region === undefined ? 0 : REGIONS.findIndex(([c]) => c === e.region) + 1;
  return (
    1 + dayNumber(e.day) * 2 ** 12 + orgs * 2 ** 9 + CHANNELS.indexOf(e.channel) * 2 ** 6 + region
  );
}

function unpack(n: number): DeclarationEntry {
  const v = n - 1;
  const region = v % 64;
  const channel = CHANNELS[Math.floor(v / 2 ** 6) % 8] as DeclarationEntry['channel'];
  const orgBits = Math.floor(v / 2 ** 9) % 8;
  return {
    kind: 'declaration',
    day: dayString(Math.floor(v / 2 ** 12)),
    orgs: ORGS.filter((_, i) => orgBits & (1 << i)),
    channel,
    region: region === 0 ? undefined : (REGIONS[region - 1]?.[0] as DeclarationEntry['region']),
    commitment: new Uint8Array(0),
  };
}

/** Totals of a whole list of entries, in log order (see {@link Recount}). */
export function tally(entries: Iterable<Entry>): Totals {
  const r = new Recount();
  for (const e of entries) r.add(e);
  return r.totals;
}

/** Sum of registered and imported declarants: the headline total. */
export function headline(t: Totals): number {
  return t.registered.declarants + t.imported.declarants;
}
