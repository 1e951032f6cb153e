// The log's state in SQLite: tiles, checkpoints, totals, voids, idempotency records, import
// cursors. A commit is one BEGIN IMMEDIATE transaction, so a second writer waits, then sees the
// new tree size and is refused.
import type { StatementSync } from 'node:sqlite';
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
import { deepFreeze } from './rows.ts';
import { markSequenced } from './sqlite-cluster.ts';
import type { SqliteDatabase } from './sqlite-db.ts';
import { insertPublication } from './sqlite-site.ts';
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

/**
 * A tile's row key: (level + 1) · 2^44 + index, the entry bundles (level -1) first. An integer key
 * keeps the table's interior pages small (see the migration that made it, in sqlite-db.ts). 2^44,
 * not a smaller power: no key of a hash tile falls where times in milliseconds do (10^12 to
 * 4·10^12), so that nobody reading a seized database mistakes one for a time, and any level of a
 * log of 2^53 entries stays below 2^53.
 */
export const tileKey = (level: number, index: number): number => (level + 1) * 2 ** 44 + index;

export class SqliteLog implements LogStore {
  readonly #db: SqliteDatabase;
  readonly #getTile: StatementSync;
  readonly #putTile: StatementSync;
  readonly #putCheckpoint: StatementSync;
  readonly #putTotals: StatementSync;
  readonly #putImported: StatementSync;
  readonly #getState: StatementSync;
  readonly #getSize: StatementSync;
  // The parsed totals of the last state read, by tree size: the totals are a function of the
  // entries, so while the size is the same they are too, and the pages that show them need not
  // parse one JSON document per request. Readers treat totals as immutable.
  #cachedTotals: { size: number; totals: Totals } | undefined;
  // The imported records' tally last read, by the tree size of the commit that wrote it (null:
  // no commit has): it is read and parsed again only when an import has changed it.
  #cachedImported: { size: number | null; tally: Tally } | undefined;
  readonly #putVoided: StatementSync;
  readonly #isVoided: StatementSync;
  readonly #getCheckpoint: StatementSync;
  readonly #dropCheckpoint: StatementSync;
  readonly #putIdempotency: StatementSync;
  readonly #getIdempotency: StatementSync;
  readonly #expireIdempotency: StatementSync;
  readonly #putImport: StatementSync;
  readonly #getImport: StatementSync;

  constructor(database: SqliteDatabase) {
    this.#db = database;
    const db = database.db;
    this.#getTile = db.prepare('SELECT width, data FROM tiles WHERE key = ?');
    this.#putTile = db.prepare('INSERT OR REPLACE INTO tiles (key, width, data) VALUES (?, ?, ?)');
    this.#putCheckpoint = db.prepare(
      'INSERT OR IGNORE INTO checkpoints (tree_size, note) VALUES (?, ?)',
    );
    this.#putTotals = db.prepare(
      'INSERT OR REPLACE INTO totals (id, tree_size, json) VALUES (1, ?, ?)',
    );
    this.#putImported = db.prepare(
      'INSERT OR REPLACE INTO totals_imported (id, tree_size, json) VALUES (1, ?, ?)',
    );
    // One statement, so both rows come from one snapshot. The imported tally's JSON only if it
    // was written at another size than the one given (that of the tally cached, or null).
    this.#getState = db.prepare(
      `SELECT t.tree_size AS size, t.json AS json, i.tree_size AS isize,
              CASE WHEN i.tree_size IS ? THEN NULL ELSE i.json END AS ijson, c.note AS note
       FROM totals t LEFT JOIN totals_imported i ON i.id = 1 LEFT JOIN checkpoints c ON c.tree_size = t.tree_size`,
    );
    this.#getSize = db.prepare(
      'SELECT t.tree_size AS size, c.note AS note FROM totals t LEFT JOIN checkpoints c ON c.tree_size = t.tree_size',
    );
    this.#putVoided = db.prepare('INSERT INTO voided (idx) VALUES (?)');
    this.#isVoided = db.prepare('SELECT 1 FROM voided WHERE idx = ?');
    this.#getCheckpoint = db.prepare('SELECT note FROM checkpoints WHERE tree_size = ?');
    this.#dropCheckpoint = db.prepare(
      'DELETE FROM checkpoints WHERE tree_size = ? AND published = 0',
    );
    this.#putIdempotency = db.prepare(
      'INSERT INTO idempotency (key_id, request_hash, tree_size, sealed, expires) VALUES (?, ?, ?, ?, ?)',
    );
    this.#getIdempotency = db.prepare(
      'SELECT key_id, request_hash, tree_size, sealed, expires FROM idempotency WHERE key_id = ?',
    );
    this.#expireIdempotency = db.prepare('DELETE FROM idempotency WHERE expires < ?');
    this.#putImport = db.prepare(
      'INSERT OR REPLACE INTO imports (source, line, prefix) VALUES (?, ?, ?)',
    );
    this.#getImport = db.prepare('SELECT line, prefix FROM imports WHERE source = ?');
  }

  async verifierKey(): Promise<string | undefined> {
    const row = this.#db.db.prepare('SELECT vkey FROM log_key').get() as
      | { vkey: string }
      | undefined;
    return row?.vkey;
  }

  async pinVerifierKey(vkey: string): Promise<string> {
    this.#db.db.prepare('INSERT OR IGNORE INTO log_key (id, vkey) VALUES (1, ?)').run(vkey);
    return (await this.verifierKey()) as string;
  }

  async state(): Promise<LogState> {
    const cached = this.#cachedTotals;
    if (cached !== undefined) {
      const head = this.#getSize.get() as { size: number; note: string | null } | undefined;
      if (head?.size === cached.size) {
        return { treeSize: head.size, checkpoint: head.note ?? undefined, totals: cached.totals };
      }
    }
    const imported = this.#cachedImported;
    const row = this.#getState.get(imported === undefined ? -1 : imported.size) as
      | {
          size: number;
          json: string;
          isize: number | null;
          ijson: string | null;
          note: string | null;
        }
      | undefined;
    if (row === undefined) return { treeSize: 0, checkpoint: undefined, totals: emptyTotals() };
    let tally = imported?.tally;
    if (row.ijson !== null || tally === undefined) {
      tally = deepFreeze(row.ijson === null ? emptyTally() : (JSON.parse(row.ijson) as Tally));
      this.#cachedImported = { size: row.isize, tally };
    }
    const totals = deepFreeze(withImported(JSON.parse(row.json) as TotalsHere, tally));
    this.#cachedTotals = { size: row.size, totals };
    return { treeSize: row.size, checkpoint: row.note ?? undefined, totals };
  }

  readonly readTiles = async (tiles: readonly Tile[]): Promise<Uint8Array[]> =>
    tiles.map((t) => {
      const row = this.#getTile.get(tileKey(t.level, t.index)) as
        | { width: number; data: Uint8Array }
        | undefined;
      if (row === undefined || row.width < t.width) {
        throw new StoreError(
          'not-found',
          `tile ${t.level}/${t.index} of width ${t.width} is not stored`,
        );
      }
      return row.data;
    });

  async commit(c: Commit): Promise<void> {
    this.#db.transaction(() => {
      const current = (this.#getSize.get() as { size: number } | undefined)?.size ?? 0;
      if (current !== c.oldSize) {
        throw new StoreError(
          'conflict',
          `commit builds on tree size ${c.oldSize}, but the log has ${current} entries`,
        );
      }
      for (const { tile, data } of c.tiles)
        this.#putTile.run(tileKey(tile.level, tile.index), tile.width, data);
      this.#putCheckpoint.run(c.newSize, c.checkpoint);
      // The checkpoint this commit builds on is forgotten unless it was published: kept, the
      // checkpoints would list every commit's size, which dates declarations between two
      // publications (with anything else that keeps an order).
      if (c.newSize > c.oldSize) this.#dropCheckpoint.run(c.oldSize);
      this.#putTotals.run(c.newSize, JSON.stringify(withoutImported(c.totals)));
      if (c.importedUnchanged !== true)
        this.#putImported.run(c.newSize, JSON.stringify(c.totals.imported));
      for (const idx of c.voided) this.#putVoided.run(idx);
      for (const r of c.idempotency ?? [])
        this.#putIdempotency.run(r.keyId, r.requestHash, r.treeSize, r.sealed, r.expires);
      if (c.expireBefore !== undefined) this.#expireIdempotency.run(c.expireBefore);
      for (const { source, line, prefix } of c.importProgress ?? [])
        this.#putImport.run(source, line, prefix ?? null);
      for (const p of c.publications ?? []) insertPublication(this.#db.db, p);
      for (const s of c.sequenced ?? []) markSequenced(this.#db.db, s, c.newSize);
    });
    if ((c.sequenced ?? []).length > 0) this.#db.notices.emit('sequenced');
  }

  async isVoided(index: number): Promise<boolean> {
    return this.#isVoided.get(index) !== undefined;
  }

  async checkpointAt(treeSize: number): Promise<string | undefined> {
    return (this.#getCheckpoint.get(treeSize) as { note: string } | undefined)?.note;
  }

  async checkpointFrom(treeSize: number): Promise<{ treeSize: number; note: string } | undefined> {
    const row = this.#db.db
      .prepare(
        'SELECT tree_size, note FROM checkpoints WHERE tree_size >= ? ORDER BY tree_size LIMIT 1',
      )
      .get(treeSize) as { tree_size: number; note: string } | undefined;
    return row && { treeSize: row.tree_size, note: row.note };
  }

  async recordPublication(p: PublishedLog): Promise<boolean> {
    return this.#db.transaction(() => {
      const db = this.#db.db;
      const last = db.prepare('SELECT tree_size, at FROM publication').get() as
        | { tree_size: number; at: number }
        | undefined;
      if (last !== undefined && last.tree_size > p.treeSize) return false;
      db.prepare(
        `INSERT INTO checkpoints (tree_size, note, published) VALUES (?, ?, 1)
         ON CONFLICT (tree_size) DO UPDATE SET note = excluded.note, published = 1`,
      ).run(p.treeSize, p.checkpoint);
      db.prepare('DELETE FROM checkpoints WHERE tree_size < ? AND published = 0').run(p.treeSize);
      if (last?.tree_size === p.treeSize)
        db.prepare('UPDATE publication SET at = max(at, ?)').run(p.at);
      else
        db.prepare(
          'INSERT OR REPLACE INTO publication (id, tree_size, json, at) VALUES (1, ?, ?, ?)',
        ).run(p.treeSize, JSON.stringify(p.totals), Math.max(p.at, last?.at ?? 0));
      return true;
    });
  }

  async publication(): Promise<PublishedLog | undefined> {
    const row = this.#db.db
      .prepare(
        'SELECT p.tree_size, p.json, p.at, c.note FROM publication p JOIN checkpoints c ON c.tree_size = p.tree_size',
      )
      .get() as { tree_size: number; json: string; at: number; note: string } | undefined;
    if (row === undefined) return undefined;
    return {
      treeSize: row.tree_size,
      checkpoint: row.note,
      totals: deepFreeze(JSON.parse(row.json) as Totals),
      at: row.at,
    };
  }

  async idempotency(keyId: string): Promise<IdempotencyRecord | undefined> {
    const row = this.#getIdempotency.get(keyId) as
      | {
          key_id: string;
          request_hash: string;
          tree_size: number;
          sealed: Uint8Array;
          expires: number;
        }
      | undefined;
    if (row === undefined) return undefined;
    return {
      keyId: row.key_id,
      requestHash: row.request_hash,
      treeSize: row.tree_size,
      sealed: row.sealed,
      expires: row.expires,
    };
  }

  async fingerprintedImports(): Promise<FingerprintedImport[]> {
    const rows = this.#db.db
      .prepare(
        'SELECT source, line, prefix FROM imports WHERE prefix IS NOT NULL ORDER BY line DESC, source',
      )
      .all() as Array<{ source: string; line: number; prefix: string }>;
    return rows.map(({ source, line, prefix }) => ({ source, line, prefix }));
  }

  async importCursor(source: string): Promise<ImportCursor> {
    const row = this.#getImport.get(source) as { line: number; prefix: string | null } | undefined;
    return row === undefined ? { line: 0 } : cursorOf(row.line, row.prefix);
  }
}
