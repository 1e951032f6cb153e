// The log's state in PostgreSQL: tiles, checkpoints, totals, voids, idempotency records, import
// cursors. A commit is one transaction that locks the totals row first (see `commit`).
import type pg from 'pg';
import type { Tile } from '../log/index.ts';
import { emptyTotals, type Totals } from '../registry/index.ts';
import type { PgDatabase } from './postgres-db.ts';
import { NEW_PUBLICATION_COLUMNS, publicationRows, publicationsJson } from './postgres-site.ts';
import {
  type Commit,
  type IdempotencyRecord,
  type LogState,
  type LogStore,
  StoreError,
} from './store.ts';

export class PostgresLog implements LogStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async state(): Promise<LogState> {
    const { rows } = await this.#db.query<{ tree_size: string; json: Totals; note: string | null }>(
      'SELECT t.tree_size, t.json, c.note FROM totals t LEFT JOIN checkpoints c ON c.tree_size = t.tree_size WHERE t.id = 1',
    );
    const row = rows[0];
    if (row === undefined) return { treeSize: 0, checkpoint: undefined, totals: emptyTotals() };
    return { treeSize: Number(row.tree_size), checkpoint: row.note ?? undefined, totals: row.json };
  }

  readonly readTiles = async (tiles: readonly Tile[]): Promise<Uint8Array[]> => {
    const { rows } = await this.#db.query<{
      level: number;
      idx: string;
      width: number;
      data: Buffer;
    }>(
      'SELECT t.level, t.idx, t.width, t.data FROM tiles t JOIN unnest($1::int[], $2::bigint[]) AS q(level, idx) ON t.level = q.level AND t.idx = q.idx',
      [tiles.map((t) => t.level), tiles.map((t) => t.index)],
    );
    const found = new Map(rows.map((r) => [`${r.level}/${r.idx}`, r]));
    return tiles.map((t) => {
      const row = found.get(`${t.level}/${t.index}`);
      if (row === undefined || row.width < t.width)
        throw new StoreError(
          'not-found',
          `tile ${t.level}/${t.index} of width ${t.width} is not stored`,
        );
      return new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength);
    });
  };

  /**
   * One transaction in three round trips: BEGIN with the lock of the totals row (fencing: the lock
   * serialises commits, and the size check refuses a stale writer), then every write of the
   * commit as one statement of data-modifying CTEs, then COMMIT. (Issued one by one, the writes
   * were up to ten round trips, each a wait for the database.)
   */
  commit(c: Commit): Promise<void> {
    return this.#db.transaction(
      'commit failed',
      async (client) => {
        const [, locked] = (await client.query(
          'SELECT tree_size FROM totals WHERE id = 1 FOR UPDATE',
        )) as unknown as [unknown, pg.QueryResult<{ tree_size: string }>];
        const current = Number(locked.rows[0]?.tree_size ?? 0);
        if (current !== c.oldSize)
          throw new StoreError(
            'conflict',
            `commit builds on tree size ${c.oldSize}, but the log has ${current} entries`,
          );
        const { text, values } = commitStatement(c);
        await client.query(text, values);
      },
      { lockWithBegin: true },
    );
  }

  async isVoided(index: number): Promise<boolean> {
    return (await this.#db.query('SELECT 1 FROM voided WHERE idx = $1', [index])).rowCount === 1;
  }

  async checkpointAt(treeSize: number): Promise<string | undefined> {
    return (
      await this.#db.query<{ note: string }>('SELECT note FROM checkpoints WHERE tree_size = $1', [
        treeSize,
      ])
    ).rows[0]?.note;
  }

  async replaceCheckpoint(treeSize: number, note: string): Promise<void> {
    const r = await this.#db.query('UPDATE checkpoints SET note = $2 WHERE tree_size = $1', [
      treeSize,
      note,
    ]);
    if (r.rowCount !== 1)
      throw new StoreError('not-found', `no checkpoint of tree size ${treeSize}`);
  }

  async idempotency(keyId: string): Promise<IdempotencyRecord | undefined> {
    const { rows } = await this.#db.query<{
      request_hash: string;
      tree_size: string;
      sealed: Buffer;
      expires: string;
    }>('SELECT request_hash, tree_size, sealed, expires FROM idempotency WHERE key_id = $1', [
      keyId,
    ]);
    const r = rows[0];
    return r === undefined
      ? undefined
      : {
          keyId,
          requestHash: r.request_hash,
          treeSize: Number(r.tree_size),
          sealed: new Uint8Array(r.sealed),
          expires: Number(r.expires),
        };
  }

  async importCursor(source: string): Promise<number> {
    const { rows } = await this.#db.query<{ line: string }>(
      'SELECT line FROM imports WHERE source = $1',
      [source],
    );
    return Number(rows[0]?.line ?? 0);
  }
}

/**
 * Stores sealed receipts. In a commit a key recorded twice is a conflict (the transaction fails);
 * when a node finishes queued rows, a record another node stored first is kept (`ignoreTaken`).
 */
export async function insertIdempotency(
  client: pg.PoolClient,
  records: readonly IdempotencyRecord[],
  ignoreTaken: boolean,
): Promise<void> {
  if (records.length === 0) return;
  await client.query(
    `INSERT INTO idempotency (key_id, request_hash, tree_size, sealed, expires)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bytea[], $5::bigint[])
     ${ignoreTaken ? 'ON CONFLICT (key_id) DO NOTHING' : ''}`,
    [
      records.map((r) => r.keyId),
      records.map((r) => r.requestHash),
      records.map((r) => r.treeSize),
      records.map((r) => Buffer.from(r.sealed)),
      records.map((r) => r.expires),
    ],
  );
}

/** The writes of a commit as one statement: each a data-modifying CTE, all run to completion. */
function commitStatement(c: Commit): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const $ = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const writes = [
    `INSERT INTO tiles (level, idx, width, data)
     SELECT * FROM unnest(${$(c.tiles.map((t) => t.tile.level))}::int[], ${$(c.tiles.map((t) => t.tile.index))}::bigint[],
                          ${$(c.tiles.map((t) => t.tile.width))}::int[], ${$(c.tiles.map((t) => Buffer.from(t.data)))}::bytea[])
     ON CONFLICT (level, idx) DO UPDATE SET width = EXCLUDED.width, data = EXCLUDED.data`,
    `INSERT INTO checkpoints (tree_size, note) VALUES (${$(c.newSize)}, ${$(c.checkpoint)})
     ON CONFLICT (tree_size) DO NOTHING`,
    `INSERT INTO totals (id, tree_size, json) VALUES (1, ${$(c.newSize)}, ${$(JSON.stringify(c.totals))})
     ON CONFLICT (id) DO UPDATE SET tree_size = EXCLUDED.tree_size, json = EXCLUDED.json`,
  ];
  if (c.voided.length > 0)
    writes.push(`INSERT INTO voided (idx) SELECT unnest(${$(c.voided)}::bigint[])`);
  const idempotency = c.idempotency ?? [];
  if (idempotency.length > 0)
    writes.push(
      `INSERT INTO idempotency (key_id, request_hash, tree_size, sealed, expires)
       SELECT * FROM unnest(${$(idempotency.map((r) => r.keyId))}::text[], ${$(idempotency.map((r) => r.requestHash))}::text[],
                            ${$(idempotency.map((r) => r.treeSize))}::bigint[], ${$(idempotency.map((r) => Buffer.from(r.sealed)))}::bytea[],
                            ${$(idempotency.map((r) => r.expires))}::bigint[])`,
    );
  if (c.publications && c.publications.length > 0)
    writes.push(
      `INSERT INTO publications ${NEW_PUBLICATION_COLUMNS} ${publicationRows($(publicationsJson(c.publications)))}`,
    );
  if (c.importProgress)
    writes.push(
      `INSERT INTO imports (source, line) VALUES (${$(c.importProgress.source)}, ${$(c.importProgress.line)})
       ON CONFLICT (source) DO UPDATE SET line = EXCLUDED.line`,
    );
  // Rows inserted by this same statement are not seen by this DELETE: new records never expired.
  if (c.expireBefore !== undefined)
    writes.push(`DELETE FROM idempotency WHERE expires < ${$(c.expireBefore)}`);
  const sequenced = c.sequenced ?? [];
  if (sequenced.length > 0)
    writes.push(
      `UPDATE pending SET indexes = ARRAY(SELECT jsonb_array_elements_text(x.idx)::bigint), tree_size = ${$(c.newSize)}
       FROM jsonb_to_recordset(${$(JSON.stringify(sequenced.map((q) => ({ id: q.id, idx: q.indexes }))))}::jsonb) AS x(id bigint, idx jsonb)
       WHERE pending.id = x.id`,
    );
  // pg_notify, like NOTIFY, is delivered when the transaction commits.
  const result =
    sequenced.length > 0
      ? `SELECT pg_notify('tuidang_sequenced', ${$(String(c.newSize))})`
      : 'SELECT 1';
  return { text: `WITH ${writes.map((w, i) => `w${i} AS (${w})`).join(',\n')}\n${result}`, values };
}
