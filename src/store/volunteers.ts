// What staff declare on behalf of others: each rendered form's batch (the entries it recorded,
// which rows of it are recorded, whether an administrator voided it) and each account's count of
// declarants per hour, from which its budget is spent. Times are on the hour (docs/timing-privacy.md).
// The contract, the merge both databases share, and the in-memory implementation for tests.

/** The declarants one staff form recorded, under the key the form was rendered with. */
export interface VolunteerBatch {
  readonly id: number;
  readonly username: string;
  /** The channel and language every row of the batch is declared with (fixed by its first send). */
  readonly channel: string;
  readonly language: string;
  /** POSIX seconds, on the hour, when the batch first recorded someone. */
  readonly hour: number;
  /** Indexes of the log entries it recorded, in the order recorded. */
  readonly entries: readonly number[];
  /**
   * Ids of its rows that are recorded: SHA-256 of each row's idempotency key, which is derived from
   * the form's key (never stored) and the row, so they say nothing of the row without the form.
   */
  readonly rows: readonly string[];
  /** The reason an administrator gave, once the batch is voided. */
  readonly voided: string | undefined;
}

/** Most declarants one account may record in a clock hour and in the last 24 (0: no limit). */
export interface VolunteerBudget {
  readonly perHour: number;
  readonly perDay: number;
}

/** An account's declarants in the hour asked and in the 24 hours up to its end. */
export interface BudgetCounts {
  readonly hour: number;
  readonly day: number;
}

export interface VolunteerDay {
  readonly username: string;
  /** UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly declared: number;
}

export interface NewBatch {
  readonly username: string;
  readonly channel: string;
  readonly language: string;
  readonly hour: number;
}

/**
 * The batches and budgets of staff declarations.
 * - `spend` is atomic: concurrent requests of one account never spend more than its budget.
 * - `record` is atomic per batch: a row already recorded is not added again, whoever sends it.
 */
export interface VolunteerLedger {
  batchByKey(keyId: string): Promise<VolunteerBatch | undefined>;
  batch(id: number): Promise<VolunteerBatch | undefined>;
  /** Batches newest first: at most `limit`, with an id below `before` if given. */
  batches(limit: number, before?: number): Promise<VolunteerBatch[]>;
  /**
   * Spends `n` declarants of `username`'s budget at `hour` (POSIX seconds on the hour) if it
   * allows them (always when `budget` is undefined, and a negative `n` gives back): `ok` and the
   * counts after; otherwise nothing changes, and the counts are those before.
   */
  spend(
    username: string,
    hour: number,
    n: number,
    budget?: VolunteerBudget,
  ): Promise<{ ok: boolean } & BudgetCounts>;
  /**
   * Adds recorded rows to the batch of a form (made with `fields` on first use); rows already in
   * it are left out. Returns the batch and how many entries were new to it.
   */
  record(
    keyId: string,
    fields: NewBatch,
    rows: ReadonlyArray<{ readonly id: string; readonly entries: readonly number[] }>,
  ): Promise<{ batch: VolunteerBatch; added: number }>;
  /** Marks a batch void with the reason; false if there is none or it was voided already. */
  markVoided(id: number, reason: string): Promise<boolean>;
  /** Declarants per account and UTC day, from `since` (POSIX seconds) on, newest day first. */
  activity(since: number): Promise<VolunteerDay[]>;
}

/** A batch as both databases store it (PostgreSQL's BIGINTs come back as strings). */
export interface BatchRow {
  id: number | string;
  username: string;
  channel: string;
  language: string;
  hour: number | string;
  rows: string;
  entries: string;
  voided: string | null;
}

export const BATCH_COLUMNS = 'id, username, channel, language, hour, rows, entries, voided';

export const toBatch = (r: BatchRow): VolunteerBatch => ({
  id: Number(r.id),
  username: r.username,
  channel: r.channel,
  language: r.language,
  hour: Number(r.hour),
  rows: JSON.parse(r.rows) as string[],
  entries: JSON.parse(r.entries) as number[],
  voided: r.voided ?? undefined,
});

/** The rows and entries of a batch once `rows` are added (those already in it left out). */
export function mergeRows(
  batch: Pick<VolunteerBatch, 'rows' | 'entries'>,
  rows: ReadonlyArray<{ readonly id: string; readonly entries: readonly number[] }>,
): { rows: string[]; entries: number[]; added: number } {
  const known = new Set(batch.rows);
  const out = { rows: [...batch.rows], entries: [...batch.entries], added: 0 };
  for (const r of rows) {
    if (known.has(r.id)) continue;
    known.add(r.id);
    out.rows.push(r.id);
    out.entries.push(...r.entries);
    out.added += r.entries.length;
  }
  return out;
}

/** Whether `n` more fit in a budget with these counts. */
export function fits(
  counts: BudgetCounts,
  n: number,
  budget: VolunteerBudget | undefined,
): boolean {
  if (budget === undefined || n <= 0) return true;
  return (
    (budget.perHour === 0 || counts.hour + n <= budget.perHour) &&
    (budget.perDay === 0 || counts.day + n <= budget.perDay)
  );
}

/** The first hour (POSIX seconds) of the 24 that end with `hour`. */
export const dayStart = (hour: number) => hour - 23 * 3600;

export const utcDayOf = (hour: number) => new Date(hour * 1000).toISOString().slice(0, 10);

export class MemoryVolunteers implements VolunteerLedger {
  readonly #batches: Array<VolunteerBatch & { keyId: string }> = [];
  readonly #hours = new Map<string, Map<number, number>>();

  async batchByKey(keyId: string) {
    return this.#batches.find((b) => b.keyId === keyId);
  }
  async batch(id: number) {
    return this.#batches[id - 1];
  }
  async batches(limit: number, before = Number.MAX_SAFE_INTEGER) {
    return this.#batches
      .filter((b) => b.id < before)
      .reverse()
      .slice(0, limit);
  }
  #counts(username: string, hour: number): BudgetCounts {
    const h = this.#hours.get(username) ?? new Map<number, number>();
    let day = 0;
    for (const [at, n] of h) if (at >= dayStart(hour) && at <= hour) day += n;
    return { hour: h.get(hour) ?? 0, day };
  }
  async spend(username: string, hour: number, n: number, budget?: VolunteerBudget) {
    const before = this.#counts(username, hour);
    if (!fits(before, n, budget)) return { ok: false, ...before };
    const h = this.#hours.get(username) ?? new Map<number, number>();
    h.set(hour, Math.max(0, (h.get(hour) ?? 0) + n));
    this.#hours.set(username, h);
    return { ok: true, ...this.#counts(username, hour) };
  }
  async record(
    keyId: string,
    fields: NewBatch,
    rows: ReadonlyArray<{ id: string; entries: readonly number[] }>,
  ) {
    let i = this.#batches.findIndex((b) => b.keyId === keyId);
    if (i < 0) {
      i = this.#batches.length;
      this.#batches.push({ id: i + 1, keyId, ...fields, rows: [], entries: [], voided: undefined });
    }
    const old = this.#batches[i] as VolunteerBatch & { keyId: string };
    const merged = mergeRows(old, rows);
    const batch = { ...old, rows: merged.rows, entries: merged.entries };
    this.#batches[i] = batch;
    return { batch, added: merged.added };
  }
  async markVoided(id: number, reason: string) {
    const b = this.#batches[id - 1];
    if (b === undefined || b.voided !== undefined) return false;
    this.#batches[id - 1] = { ...b, voided: reason };
    return true;
  }
  async activity(since: number) {
    const out = new Map<string, VolunteerDay>();
    for (const [username, h] of this.#hours)
      for (const [hour, n] of h) {
        if (hour < since || n === 0) continue;
        const day = utcDayOf(hour);
        const k = `${day} ${username}`;
        out.set(k, { username, day, declared: (out.get(k)?.declared ?? 0) + n });
      }
    return [...out.values()].sort(
      (a, b) => b.day.localeCompare(a.day) || a.username.localeCompare(b.username),
    );
  }
}
