// Staff declarations' batches and budgets in SQLite (the contract: volunteers.ts). A batch's rows
// and entries are JSON arrays in one row: a batch holds at most a few thousand.
import type { SqliteDatabase } from './sqlite-db.ts';
import {
  type BatchRow,
  type BudgetCounts,
  BATCH_COLUMNS as COLUMNS,
  dayStart,
  fits,
  mergeRows,
  type NewBatch,
  toBatch,
  type VolunteerBatch,
  type VolunteerBudget,
  type VolunteerDay,
  type VolunteerLedger,
} from './volunteers.ts';

export class SqliteVolunteers implements VolunteerLedger {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    this.#database = database;
  }

  #one(where: string, value: string | number): VolunteerBatch | undefined {
    const r = this.#database.db
      .prepare(`SELECT ${COLUMNS} FROM volunteer_batches WHERE ${where} = ?`)
      .get(value) as BatchRow | undefined;
    return r && toBatch(r);
  }

  async batchByKey(keyId: string) {
    return this.#one('key_id', keyId);
  }

  async batch(id: number) {
    return this.#one('id', id);
  }

  async batches(limit: number, before = Number.MAX_SAFE_INTEGER) {
    const rows = this.#database.db
      .prepare(`SELECT ${COLUMNS} FROM volunteer_batches WHERE id < ? ORDER BY id DESC LIMIT ?`)
      .all(before, limit) as unknown as BatchRow[];
    return rows.map(toBatch);
  }

  #counts(username: string, hour: number): BudgetCounts {
    const r = this.#database.db
      .prepare(
        'SELECT COALESCE(SUM(CASE WHEN hour = ? THEN declared END), 0) AS h, COALESCE(SUM(declared), 0) AS d FROM volunteer_hours WHERE username = ? AND hour BETWEEN ? AND ?',
      )
      .get(hour, username, dayStart(hour), hour) as { h: number; d: number };
    return { hour: Number(r.h), day: Number(r.d) };
  }

  async spend(username: string, hour: number, n: number, budget?: VolunteerBudget) {
    return this.#database.transaction(() => {
      const before = this.#counts(username, hour);
      if (!fits(before, n, budget)) return { ok: false, ...before };
      const db = this.#database.db;
      db.prepare(
        'INSERT OR IGNORE INTO volunteer_hours (username, hour, declared) VALUES (?, ?, 0)',
      ).run(username, hour);
      db.prepare(
        'UPDATE volunteer_hours SET declared = MAX(declared + ?, 0) WHERE username = ? AND hour = ?',
      ).run(n, username, hour);
      return { ok: true, ...this.#counts(username, hour) };
    });
  }

  async record(
    keyId: string,
    fields: NewBatch,
    rows: ReadonlyArray<{ id: string; entries: readonly number[] }>,
  ) {
    return this.#database.transaction(() => {
      const db = this.#database.db;
      db.prepare(
        "INSERT OR IGNORE INTO volunteer_batches (key_id, username, channel, language, hour, rows, entries) VALUES (?, ?, ?, ?, ?, '[]', '[]')",
      ).run(keyId, fields.username, fields.channel, fields.language, fields.hour);
      const old = this.#one('key_id', keyId) as VolunteerBatch;
      const merged = mergeRows(old, rows);
      db.prepare('UPDATE volunteer_batches SET rows = ?, entries = ? WHERE id = ?').run(
        JSON.stringify(merged.rows),
        JSON.stringify(merged.entries),
        old.id,
      );
      return {
        batch: { ...old, rows: merged.rows, entries: merged.entries },
        added: merged.added,
      };
    });
  }

  async markVoided(id: number, reason: string) {
    return (
      this.#database.db
        .prepare('UPDATE volunteer_batches SET voided = ? WHERE id = ? AND voided IS NULL')
        .run(reason, id).changes === 1
    );
  }

  async activity(since: number): Promise<VolunteerDay[]> {
    const rows = this.#database.db
      .prepare(
        "SELECT username, strftime('%Y-%m-%d', hour, 'unixepoch') AS day, SUM(declared) AS declared FROM volunteer_hours WHERE hour >= ? GROUP BY username, day HAVING SUM(declared) > 0 ORDER BY day DESC, username",
      )
      .all(since) as unknown as VolunteerDay[];
    return rows.map((r) => ({ username: r.username, day: r.day, declared: Number(r.declared) }));
  }
}
