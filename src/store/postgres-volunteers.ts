// Staff declarations' batches and budgets in PostgreSQL (the contract: volunteers.ts). Every node
// of a cluster shares them: a budget is spent under a lock on the account's row of the hour, and
// a batch is merged under a lock on its row, so that concurrent requests on several nodes neither
// overspend nor count a row twice.
import type pg from 'pg';
import type { PgDatabase } from './postgres-db.ts';
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

async function counts(
  client: pg.PoolClient,
  username: string,
  hour: number,
): Promise<BudgetCounts> {
  const r = (
    await client.query<{ h: string; d: string }>(
      'SELECT COALESCE(SUM(declared) FILTER (WHERE hour = $2), 0) AS h, COALESCE(SUM(declared), 0) AS d FROM volunteer_hours WHERE username = $1 AND hour BETWEEN $3 AND $2',
      [username, hour, dayStart(hour)],
    )
  ).rows[0];
  return { hour: Number(r?.h ?? 0), day: Number(r?.d ?? 0) };
}

export class PostgresVolunteers implements VolunteerLedger {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async #one(where: string, value: string | number): Promise<VolunteerBatch | undefined> {
    const r = (
      await this.#db.query<BatchRow>(
        `SELECT ${COLUMNS} FROM volunteer_batches WHERE ${where} = $1`,
        [value],
      )
    ).rows[0];
    return r && toBatch(r);
  }

  batchByKey(keyId: string) {
    return this.#one('key_id', keyId);
  }

  batch(id: number) {
    return this.#one('id', id);
  }

  async batches(limit: number, before = Number.MAX_SAFE_INTEGER) {
    const r = await this.#db.query<BatchRow>(
      `SELECT ${COLUMNS} FROM volunteer_batches WHERE id < $1 ORDER BY id DESC LIMIT $2`,
      [before, limit],
    );
    return r.rows.map(toBatch);
  }

  spend(username: string, hour: number, n: number, budget?: VolunteerBudget) {
    return this.#db.transaction('could not count declarations for a staff account', async (c) => {
      // The account's row of this hour is the lock: every spend of the account in this hour waits
      // for the one before it.
      await c.query(
        'INSERT INTO volunteer_hours (username, hour, declared) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING',
        [username, hour],
      );
      await c.query('SELECT 1 FROM volunteer_hours WHERE username = $1 AND hour = $2 FOR UPDATE', [
        username,
        hour,
      ]);
      const before = await counts(c, username, hour);
      if (!fits(before, n, budget)) return { ok: false, ...before };
      await c.query(
        'UPDATE volunteer_hours SET declared = GREATEST(declared + $3, 0) WHERE username = $1 AND hour = $2',
        [username, hour, n],
      );
      return { ok: true, ...(await counts(c, username, hour)) };
    });
  }

  record(
    keyId: string,
    fields: NewBatch,
    rows: ReadonlyArray<{ id: string; entries: readonly number[] }>,
  ) {
    return this.#db.transaction('could not record a batch of declarations', async (c) => {
      await c.query(
        "INSERT INTO volunteer_batches (key_id, username, channel, language, hour, rows, entries) VALUES ($1, $2, $3, $4, $5, '[]', '[]') ON CONFLICT (key_id) DO NOTHING",
        [keyId, fields.username, fields.channel, fields.language, fields.hour],
      );
      const r = (
        await c.query<BatchRow>(
          `SELECT ${COLUMNS} FROM volunteer_batches WHERE key_id = $1 FOR UPDATE`,
          [keyId],
        )
      ).rows[0] as BatchRow;
      const old = toBatch(r);
      const merged = mergeRows(old, rows);
      await c.query('UPDATE volunteer_batches SET rows = $2, entries = $3 WHERE id = $1', [
        old.id,
        JSON.stringify(merged.rows),
        JSON.stringify(merged.entries),
      ]);
      return {
        batch: { ...old, rows: merged.rows, entries: merged.entries },
        added: merged.added,
      };
    });
  }

  async markVoided(id: number, reason: string) {
    const r = await this.#db.query(
      'UPDATE volunteer_batches SET voided = $2 WHERE id = $1 AND voided IS NULL',
      [id, reason],
    );
    return r.rowCount === 1;
  }

  async activity(since: number): Promise<VolunteerDay[]> {
    const r = await this.#db.query<{ username: string; day: string; declared: string }>(
      "SELECT username, to_char(to_timestamp(hour) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, SUM(declared) AS declared FROM volunteer_hours WHERE hour >= $1 GROUP BY username, day HAVING SUM(declared) > 0 ORDER BY day DESC, username",
      [since],
    );
    return r.rows.map((x) => ({ username: x.username, day: x.day, declared: Number(x.declared) }));
  }
}
