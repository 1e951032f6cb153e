// The log's state in PostgreSQL: tiles, checkpoints, totals, voids, idempotency records, import
// cursors. A commit is one statement, fenced on the totals row (see `commit`).
import type { Tile } from '../log/index.ts';
import {
  emptyTally,
  emptyTotals,
  type Tally,
  type Totals,
  type TotalsHere,
  withImported,
  withoutImported,
} from '../registry/index.ts';
import type { PgDatabase } from './postgres-db.ts';
import { NEW_PUBLICATION_COLUMNS, publicationRows, publicationsJson } from './postgres-site.ts';
import { deepFreeze } from './rows.ts';
import {
  type Commit,
  cursorOf,
  type FingerprintedImport,
  type IdempotencyRecord,
  type ImportCursor,
  type LogState,
  type LogStore,
  type PublishedLog,
  StoreError,
} from './store.ts';

export class PostgresLog implements LogStore {
  readonly #db: PgDatabase;
  // The imported records' tally last read, by the tree size of the commit that wrote it (null:
  // no commit has): it is read and parsed again only when an import has changed it.
  #cachedImported: { size: string | null; tally: Tally } | undefined;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async state(): Promise<LogState> {
    const cached = this.#cachedImported;
    // One statement, so both rows come from one snapshot; the imported tally only if it was
    // written at another size than the one cached.
    const { rows } = await this.#db.query<{
      tree_size: string;
      json: TotalsHere;
      isize: string | null;
      ijson: Tally | null;
      note: string | null;
    }>(
      `SELECT t.tree_size, t.json, i.tree_size AS isize,
              CASE WHEN i.tree_size IS NOT DISTINCT FROM $1::bigint THEN NULL ELSE i.json END AS ijson, c.note
       FROM totals t LEFT JOIN totals_imported i ON i.id = 1 LEFT JOIN checkpoints c ON c.tree_size = t.tree_size
       WHERE t.id = 1`,
      [cached === undefined ? -1 : cached.size],
    );
    const row = rows[0];
    if (row === undefined) return { treeSize: 0, checkpoint: undefined, totals: emptyTotals() };
    let tally = cached?.tally;
    if (row.ijson !== null || tally === undefined) {
      tally = deepFreeze(row.ijson ?? emptyTally());
      this.#cachedImported = { size: row.isize, tally };
    }
    return {
      treeSize: Number(row.tree_size),
      checkpoint: row.note ?? undefined,
      totals: withImported(row.json, tally),
    };
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
   * One statement, so one round trip and atomic without a transaction around it. Fencing: its
   * first part moves the totals row from `oldSize` to `newSize` (or creates it, for the first
   * commit of an empty log); every other write is conditional on that having happened. The row
   * lock serialises concurrent commits, and a stale writer, which finds another size once the
   * lock is its own, writes nothing and gets `conflict`. (Issued one by one in a transaction, the
   * writes were up to twelve round trips, each a wait for the database.) Queued rows it marks
   * sequenced must all be waiting, or it writes nothing either.
   */
  async commit(c: Commit): Promise<void> {
    const { text, values } = commitStatement(c);
    const { rows } = await this.#db.query<{ fenced: boolean; current: string | null }>(
      text,
      values,
    );
    if (rows[0]?.fenced !== true) {
      const current = Number(rows[0]?.current ?? 0);
      throw new StoreError(
        'conflict',
        current === c.oldSize
          ? 'commit sequences queued submissions that are not waiting any more'
          : `commit builds on tree size ${c.oldSize}, but the log has ${current} entries`,
      );
    }
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

  async checkpointFrom(treeSize: number): Promise<{ treeSize: number; note: string } | undefined> {
    const { rows } = await this.#db.query<{ tree_size: string; note: string }>(
      'SELECT tree_size, note FROM checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1',
      [treeSize],
    );
    const row = rows[0];
    return row && { treeSize: Number(row.tree_size), note: row.note };
  }

  /**
   * One statement: the publication row is locked (or created) first, and the rest happens only
   * if the stored publication is not larger, so two nodes that both publish never move it back.
   */
  async recordPublication(p: PublishedLog): Promise<boolean> {
    const { rows } = await this.#db.query<{ recorded: boolean }>(
      `WITH moved AS (
         INSERT INTO publication (id, tree_size, json, at) VALUES (1, $1, $3, $4)
         ON CONFLICT (id) DO UPDATE SET
           json = CASE WHEN publication.tree_size = EXCLUDED.tree_size THEN publication.json ELSE EXCLUDED.json END,
           tree_size = EXCLUDED.tree_size, at = greatest(publication.at, EXCLUDED.at)
         WHERE publication.tree_size <= EXCLUDED.tree_size
         RETURNING 1),
       kept AS (
         INSERT INTO checkpoints (tree_size, note, published) SELECT $1, $2, TRUE WHERE EXISTS (SELECT 1 FROM moved)
         ON CONFLICT (tree_size) DO UPDATE SET note = EXCLUDED.note, published = TRUE
         RETURNING 1),
       dropped AS (
         DELETE FROM checkpoints WHERE tree_size < $1 AND NOT published AND EXISTS (SELECT 1 FROM moved)
         RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM moved) AS recorded`,
      [p.treeSize, p.checkpoint, JSON.stringify(p.totals), p.at],
    );
    return rows[0]?.recorded === true;
  }

  async publication(): Promise<PublishedLog | undefined> {
    const { rows } = await this.#db.query<{
      tree_size: string;
      json: Totals;
      at: string;
      note: string;
    }>(
      'SELECT p.tree_size, p.json, p.at, c.note FROM publication p JOIN checkpoints c ON c.tree_size = p.tree_size',
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      treeSize: Number(row.tree_size),
      checkpoint: row.note,
      totals: row.json,
      at: Number(row.at),
    };
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

  async verifierKey(): Promise<string | undefined> {
    return (await this.#db.query<{ vkey: string }>('SELECT vkey FROM log_key')).rows[0]?.vkey;
  }

  async pinVerifierKey(vkey: string): Promise<string> {
    await this.#db.query(
      'INSERT INTO log_key (id, vkey) VALUES (1, $1) ON CONFLICT (id) DO NOTHING',
      [vkey],
    );
    return (await this.verifierKey()) as string;
  }

  async fingerprintedImports(): Promise<FingerprintedImport[]> {
    const { rows } = await this.#db.query<{ source: string; line: string; prefix: string }>(
      'SELECT source, line, prefix FROM imports WHERE prefix IS NOT NULL ORDER BY line DESC, source COLLATE "C"',
    );
    return rows.map((r) => ({ source: r.source, line: Number(r.line), prefix: r.prefix }));
  }

  async importCursor(source: string): Promise<ImportCursor> {
    const { rows } = await this.#db.query<{ line: string; prefix: string | null }>(
      'SELECT line, prefix FROM imports WHERE source = $1',
      [source],
    );
    const row = rows[0];
    return row === undefined ? { line: 0 } : cursorOf(Number(row.line), row.prefix);
  }
}

/** Numbers a statement's parameters as they are added: `$(value)` is its placeholder. */
export function parameters(): { values: unknown[]; $: (v: unknown) => string } {
  const values: unknown[] = [];
  return {
    values,
    $: (v) => {
      values.push(v);
      return `$${values.length}`;
    },
  };
}

/**
 * The INSERT of sealed receipts. In a commit a key recorded twice is a conflict (the statement
 * fails); when a node finishes queued rows, a record another node stored first is kept
 * (`ignoreTaken`). `where` makes it conditional.
 */
export function idempotencyInsert(
  records: readonly IdempotencyRecord[],
  $: (v: unknown) => string,
  ignoreTaken: boolean,
  where = 'TRUE',
): string {
  return `INSERT INTO idempotency (key_id, request_hash, tree_size, sealed, expires)
     SELECT * FROM unnest(${$(records.map((r) => r.keyId))}::text[], ${$(records.map((r) => r.requestHash))}::text[],
                          ${$(records.map((r) => r.treeSize))}::bigint[], ${$(records.map((r) => Buffer.from(r.sealed)))}::bytea[],
                          ${$(records.map((r) => r.expires))}::bigint[])
     WHERE ${where}
     ${ignoreTaken ? 'ON CONFLICT (key_id) DO NOTHING' : ''}`;
}

/** The writes of a commit as one statement of data-modifying CTEs, fenced (see `commit`). */
function commitStatement(c: Commit): { text: string; values: unknown[] } {
  const { values, $ } = parameters();
  const oldSize = $(c.oldSize);
  const newSize = $(c.newSize);
  const totals = $(JSON.stringify(withoutImported(c.totals)));
  const sequenced = c.sequenced ?? [];
  // Every queued row this commit sequences is still waiting: none is ever logged twice.
  const waiting =
    sequenced.length === 0
      ? 'TRUE'
      : `(SELECT count(*) FROM pending WHERE id = ANY(${$(sequenced.map((q) => q.id))}::bigint[]) AND indexes IS NULL) = ${sequenced.length}`;
  const fence = [
    `moved AS (UPDATE totals SET tree_size = ${newSize}, json = ${totals}
       WHERE id = 1 AND tree_size = ${oldSize} AND ${waiting} RETURNING 1)`,
    `created AS (INSERT INTO totals (id, tree_size, json)
       SELECT 1, ${newSize}, ${totals} WHERE ${oldSize}::bigint = 0 AND NOT EXISTS (SELECT 1 FROM totals) AND ${waiting}
       ON CONFLICT (id) DO NOTHING RETURNING 1)`,
    'ok AS (SELECT 1 FROM moved UNION ALL SELECT 1 FROM created)',
  ];
  const ok = 'EXISTS (SELECT 1 FROM ok)';
  const writes = [];
  if (c.importedUnchanged !== true)
    writes.push(
      `INSERT INTO totals_imported (id, tree_size, json) SELECT 1, ${newSize}, ${$(JSON.stringify(c.totals.imported))} WHERE ${ok}
       ON CONFLICT (id) DO UPDATE SET tree_size = EXCLUDED.tree_size, json = EXCLUDED.json`,
    );
  writes.push(
    `INSERT INTO tiles (level, idx, width, data)
     SELECT * FROM unnest(${$(c.tiles.map((t) => t.tile.level))}::int[], ${$(c.tiles.map((t) => t.tile.index))}::bigint[],
                          ${$(c.tiles.map((t) => t.tile.width))}::int[], ${$(c.tiles.map((t) => Buffer.from(t.data)))}::bytea[])
     WHERE ${ok}
     ON CONFLICT (level, idx) DO UPDATE SET width = EXCLUDED.width, data = EXCLUDED.data`,
    `INSERT INTO checkpoints (tree_size, note) SELECT ${newSize}, ${$(c.checkpoint)} WHERE ${ok}
     ON CONFLICT (tree_size) DO NOTHING`,
  );
  // The checkpoint this commit builds on is forgotten unless it was published: kept, the
  // checkpoints would list every commit's size, which dates declarations between publications.
  if (c.newSize > c.oldSize)
    writes.push(`DELETE FROM checkpoints WHERE tree_size = ${oldSize} AND NOT published AND ${ok}`);
  if (c.voided.length > 0)
    writes.push(`INSERT INTO voided (idx) SELECT unnest(${$(c.voided)}::bigint[]) WHERE ${ok}`);
  const idempotency = c.idempotency ?? [];
  if (idempotency.length > 0) writes.push(idempotencyInsert(idempotency, $, false, ok));
  if (c.publications && c.publications.length > 0)
    writes.push(
      `INSERT INTO publications ${NEW_PUBLICATION_COLUMNS} ${publicationRows($(publicationsJson(c.publications)))} WHERE ${ok}`,
    );
  for (const { source, line, prefix } of c.importProgress ?? [])
    writes.push(
      `INSERT INTO imports (source, line, prefix)
       SELECT ${$(source)}, ${$(line)}, ${$(prefix ?? null)} WHERE ${ok}
       ON CONFLICT (source) DO UPDATE SET line = EXCLUDED.line, prefix = EXCLUDED.prefix`,
    );
  // Rows inserted by this same statement are not seen by this DELETE: new records never expired.
  if (c.expireBefore !== undefined)
    writes.push(`DELETE FROM idempotency WHERE expires < ${$(c.expireBefore)} AND ${ok}`);
  if (sequenced.length > 0)
    writes.push(
      `UPDATE pending SET indexes = ARRAY(SELECT jsonb_array_elements_text(x.idx)::bigint), tree_size = ${newSize}
       FROM jsonb_to_recordset(${$(JSON.stringify(sequenced.map((q) => ({ id: q.id, idx: q.indexes }))))}::jsonb) AS x(id bigint, idx jsonb)
       WHERE pending.id = x.id AND ${ok}`,
    );
  // pg_notify, like NOTIFY, is delivered when the statement's transaction commits.
  const notify =
    sequenced.length > 0
      ? `, CASE WHEN ${ok} THEN pg_notify('tuidang_sequenced', ${$(String(c.newSize))}) END AS notified`
      : '';
  const ctes = [...fence, ...writes.map((w, i) => `w${i} AS (${w})`)];
  return {
    text: `WITH ${ctes.join(',\n')}
SELECT ${ok} AS fenced, (SELECT tree_size FROM totals WHERE id = 1) AS current${notify}`,
    values,
  };
}
