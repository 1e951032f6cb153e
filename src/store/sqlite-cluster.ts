// The cluster capability on SQLite. Processes of one machine may share the database file: the
// queue is a table, notices reach this process's listeners (others poll), and the sequencer's
// lock is an exclusive lock on a file of its own, which the operating system frees when the
// process that held it ends. Spent tokens are a table too, so that a restart remembers them.
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { Publication } from '../registry/index.ts';
import { SpentPruning, spentExpiry, spentTokenHash } from './spent.ts';
import { LOCK_FILE, privateFile, type SqliteDatabase } from './sqlite-db.ts';
import { insertPublication } from './sqlite-site.ts';
import type {
  ClusterStore,
  IdempotencyRecord,
  PendingItem,
  PendingRow,
  QueueListener,
  SequencedRow,
  SequencerLock,
} from './store.ts';
import { StoreError } from './store.ts';

export class SqliteCluster implements ClusterStore {
  readonly #database: SqliteDatabase;
  readonly #db: DatabaseSync;
  readonly #node = randomUUID();
  /** In-memory databases are private to this object: the lock is a flag. */
  #memoryLock = false;
  readonly #pruning = new SpentPruning();

  constructor(database: SqliteDatabase) {
    this.#database = database;
    this.#db = database.db;
  }

  async addPending(
    items: readonly PendingItem[],
    { quiet = false }: { quiet?: boolean } = {},
  ): Promise<Array<number | undefined>> {
    // A keyed request queued already, or finished (its row gone, its record kept), is not queued
    // again: the caller waits for it or replays its record.
    const insert = this.#db.prepare(
      `INSERT OR IGNORE INTO pending (entries, key_id, request_hash, sealed, node)
       SELECT ?1, ?2, ?3, ?4, ?5
       WHERE ?2 IS NULL OR NOT EXISTS (SELECT 1 FROM idempotency WHERE key_id = ?2)`,
    );
    const ids = this.#database.transaction(() =>
      items.map((it) => {
        const r = insert.run(
          JSON.stringify(it.entries.map((e) => Buffer.from(e).toString('base64'))),
          it.idem?.keyId ?? null,
          it.idem?.requestHash ?? null,
          it.idem?.sealed ?? null,
          this.#node,
        );
        return r.changes === 1 ? Number(r.lastInsertRowid) : undefined;
      }),
    );
    if (!quiet && ids.some((id) => id !== undefined)) this.#database.notices.emit('pending');
    return ids;
  }

  async takePending(maxEntries: number, mine?: readonly number[]): Promise<PendingRow[]> {
    const rows = (
      mine === undefined
        ? this.#db
            .prepare('SELECT id, entries FROM pending WHERE indexes IS NULL ORDER BY id LIMIT ?')
            .all(maxEntries)
        : this.#db
            .prepare(
              `SELECT id, entries FROM pending WHERE indexes IS NULL
                 AND (node IS NOT ? OR id IN (SELECT value FROM json_each(?))) ORDER BY id LIMIT ?`,
            )
            .all(this.#node, JSON.stringify(mine), maxEntries)
    ) as Array<{ id: number; entries: string }>;
    const out: PendingRow[] = [];
    let n = 0;
    for (const r of rows) {
      const entries = decodeEntries(r.entries);
      if (out.length > 0 && n + entries.length > maxEntries) break;
      out.push({ id: r.id, entries });
      n += entries.length;
    }
    return out;
  }

  async sequenced(ids: readonly number[], keyId?: string): Promise<SequencedRow[]> {
    const rows = this.#db
      .prepare(
        `SELECT id, indexes, tree_size, key_id, request_hash, sealed, entries FROM pending
         WHERE indexes IS NOT NULL AND (id IN (SELECT value FROM json_each(?)) OR key_id = ?)`,
      )
      .all(JSON.stringify(ids), keyId ?? null) as Array<{
      id: number;
      indexes: string;
      tree_size: number;
      key_id: string | null;
      request_hash: string | null;
      sealed: Uint8Array | null;
      entries: string;
    }>;
    return rows.map((r) => ({
      id: r.id,
      indexes: JSON.parse(r.indexes) as number[],
      treeSize: r.tree_size,
      keyId: r.key_id,
      requestHash: r.request_hash,
      sealed: r.sealed,
      entries: decodeEntries(r.entries),
    }));
  }

  async pendingByKey(keyId: string): Promise<{ id: number; requestHash: string } | undefined> {
    const r = this.#db
      .prepare('SELECT id, request_hash FROM pending WHERE key_id = ?')
      .get(keyId) as { id: number; request_hash: string } | undefined;
    return r && { id: r.id, requestHash: r.request_hash };
  }

  async finishPending(
    ids: readonly number[],
    records: readonly IdempotencyRecord[] = [],
    publications: readonly Publication[] = [],
  ): Promise<void> {
    const keep = this.#db.prepare(
      'INSERT OR IGNORE INTO idempotency (key_id, request_hash, tree_size, sealed, expires) VALUES (?, ?, ?, ?, ?)',
    );
    const forget = this.#db.prepare('DELETE FROM pending WHERE id = ?');
    this.#database.transaction(() => {
      for (const r of records) keep.run(r.keyId, r.requestHash, r.treeSize, r.sealed, r.expires);
      for (const p of publications) insertPublication(this.#db, p);
      for (const id of ids) forget.run(id);
    });
  }

  async heartbeat(now: number): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO nodes (id, seen) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET seen = max(seen, excluded.seen)',
      )
      .run(this.#node, now);
  }

  async reclaimPending(staleBefore: number): Promise<number> {
    return this.#database.transaction(() => {
      const r = this.#db
        .prepare(
          `DELETE FROM pending WHERE indexes IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = pending.node AND n.seen >= ?)`,
        )
        .run(staleBefore);
      this.#db.prepare('DELETE FROM nodes WHERE seen < ?').run(staleBefore);
      return Number(r.changes);
    });
  }

  async lockSequencer(): Promise<SequencerLock | undefined> {
    const dir = this.#database.dir;
    if (dir === undefined) {
      if (this.#memoryLock) return undefined;
      this.#memoryLock = true;
      return {
        release: async () => {
          this.#memoryLock = false;
        },
      };
    }
    // A write in locking_mode EXCLUSIVE keeps the file's exclusive lock until the connection
    // closes; another connection, in this process or another, gets SQLITE_BUSY at once.
    const lock = new DatabaseSync(privateFile(dir, LOCK_FILE));
    try {
      lock.exec('PRAGMA busy_timeout = 0');
      lock.exec('PRAGMA locking_mode = EXCLUSIVE');
      lock.exec('PRAGMA journal_mode = MEMORY'); // no journal file beside it
      lock.exec('BEGIN EXCLUSIVE');
      lock.exec('CREATE TABLE IF NOT EXISTS held (since INTEGER)');
      lock.exec('DELETE FROM held');
      lock.prepare('INSERT INTO held VALUES (?)').run(Date.now());
      lock.exec('COMMIT');
    } catch (e) {
      lock.close();
      if ((e as { errcode?: number }).errcode === 5 /* SQLITE_BUSY */) return undefined;
      throw e;
    }
    return {
      release: async () => {
        if (lock.isOpen) lock.close();
      },
    };
  }

  async listen(on: { pending?: () => void; sequenced?: () => void }): Promise<QueueListener> {
    return this.#database.notices.listen(on);
  }

  async spendOnce(kind: string, token: string, expiresAtMs: number): Promise<boolean> {
    const before = this.#pruning.due(Date.now());
    if (before !== undefined)
      this.#db.prepare('DELETE FROM spent_tokens WHERE expires <= ?').run(before);
    return (
      this.#db
        .prepare('INSERT OR IGNORE INTO spent_tokens (token_hash, expires) VALUES (?, ?)')
        .run(spentTokenHash(kind, token), spentExpiry(expiresAtMs)).changes === 1
    );
  }
}

/**
 * Marks a queued row sequenced, within the caller's (the commit's) transaction, which a row that
 * is not queued or sequenced already rolls back.
 */
export function markSequenced(
  db: DatabaseSync,
  s: { readonly id: number; readonly indexes: readonly number[] },
  treeSize: number,
): void {
  const r = db
    .prepare('UPDATE pending SET indexes = ?, tree_size = ? WHERE id = ? AND indexes IS NULL')
    .run(JSON.stringify(s.indexes), treeSize, s.id);
  if (r.changes !== 1)
    throw new StoreError('conflict', `queued submission ${s.id} is not waiting to be sequenced`);
}

function decodeEntries(json: string): Uint8Array[] {
  return (JSON.parse(json) as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64')));
}
