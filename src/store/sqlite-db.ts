// The SQLite database of a store: one file in the data directory, opened via node:sqlite (no
// native build, no server). The file names, the pragmas, the file modes and the migrations are
// here; the SQL of each concern is in sqlite-log.ts, sqlite-site.ts and sqlite-cluster.ts.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { QueueNotices } from './notices.ts';
import { type Migration, StoreError, upgradeRefused } from './store.ts';

/** The database's file name in the data directory; SQLite adds `-wal` and `-shm` beside it. */
export const DATABASE_FILE = 'tuidang.db';
/** The file whose lock is the sequencer's lock (see SqliteCluster.lockSequencer). */
export const LOCK_FILE = 'tuidang.lock';
/**
 * What a process that finds the lock of DATA_DIR held is told: another process writes this
 * registry's log (serve, import, admin void, recover), and what to do instead (`instead`).
 */
export function writerBusy(dataDir: string, instead: string): string {
  return `another tuidang process (serve, import or admin) is writing the registry in ${dataDir}: it holds ${join(dataDir, LOCK_FILE)}, and a registry has one writer at a time; ${instead}`;
}

/** Files of the database that may hold what the registry stores. */
export const DATABASE_FILES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`];

/** How long a statement waits for another connection's lock before it fails. */
const BUSY_TIMEOUT_MS = 5000;

/** The database's path in a data directory. */
export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/** Whether a data directory holds a registry's database. */
export function hasDatabase(dataDir: string): boolean {
  return existsSync(databasePath(dataDir));
}

/**
 * The data directory with mode 0700 and `file` in it with mode 0600, whatever the umask: names
 * and statements are in the database, and SQLite gives its -wal and -shm files the mode of the
 * database file.
 */
export function privateFile(dataDir: string, file: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const path = join(dataDir, file);
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  return path;
}

// Versioned migrations, applied in order at open; PRAGMA user_version records how many ran.
export const MIGRATIONS = [
  `CREATE TABLE tiles (
     level INTEGER NOT NULL,  -- -1 for entry bundles
     idx   INTEGER NOT NULL,
     width INTEGER NOT NULL,
     data  BLOB NOT NULL,
     PRIMARY KEY (level, idx)
   ) WITHOUT ROWID;
   CREATE TABLE checkpoints (tree_size INTEGER PRIMARY KEY, note TEXT NOT NULL);
   CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size INTEGER NOT NULL, json TEXT NOT NULL);
   CREATE TABLE voided (idx INTEGER PRIMARY KEY);`,
  `CREATE TABLE idempotency (
     key_id       TEXT PRIMARY KEY,
     request_hash TEXT NOT NULL,
     tree_size    INTEGER NOT NULL,
     sealed       BLOB NOT NULL,
     expires      INTEGER NOT NULL
   );
   CREATE INDEX idempotency_expires ON idempotency (expires);`,
  // Names and statements published with consent, apart from the log; erasable.
  `CREATE TABLE publications (
     idx       INTEGER PRIMARY KEY,
     name      TEXT NOT NULL,
     name_kind TEXT NOT NULL,
     statement TEXT NOT NULL,
     orgs      TEXT NOT NULL,
     region    TEXT,
     day       TEXT NOT NULL,
     language  TEXT NOT NULL
   );`,
  'CREATE TABLE imports (source TEXT PRIMARY KEY, line INTEGER NOT NULL);',
  // Moderation: publications are shown once approved; the owner tag lets a declarant erase theirs.
  `ALTER TABLE publications ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
   ALTER TABLE publications ADD COLUMN owner_tag BLOB;`,
  `CREATE TABLE subscribers (
     id            INTEGER PRIMARY KEY AUTOINCREMENT,
     email         TEXT NOT NULL UNIQUE,
     status        TEXT NOT NULL,
     terms_version TEXT NOT NULL,
     expires       INTEGER NOT NULL
   );`,
  `CREATE TABLE staff_users (username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL);
   CREATE TABLE staff_sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, csrf TEXT NOT NULL, expires INTEGER NOT NULL);
   CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, username TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL);`,
  // Staff sign-in throttling by keyed hashes of (account, address) and of the address alone.
  `CREATE TABLE sign_in_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, at INTEGER NOT NULL, until INTEGER NOT NULL) WITHOUT ROWID;
   CREATE INDEX sign_in_throttle_at ON sign_in_throttle (at);
   CREATE INDEX publications_status ON publications (status, idx);`,
  // The cluster capability: a queue of accepted submissions (entries: a JSON array of base64),
  // the nodes' heartbeats, and single-use tokens already spent (SHA-256 of kind and token).
  `CREATE TABLE pending (
     id           INTEGER PRIMARY KEY AUTOINCREMENT,
     entries      TEXT NOT NULL,
     key_id       TEXT UNIQUE,
     request_hash TEXT,
     sealed       BLOB,
     indexes      TEXT,
     tree_size    INTEGER,
     node         TEXT
   );
   CREATE INDEX pending_waiting ON pending (id) WHERE indexes IS NULL;
   CREATE TABLE nodes (id TEXT PRIMARY KEY, seen INTEGER NOT NULL);
   CREATE TABLE spent_tokens (token_hash BLOB PRIMARY KEY, expires INTEGER NOT NULL);
   CREATE INDEX spent_tokens_expires ON spent_tokens (expires);`,
  // When each publication was first approved: approved ones are listed newest approval first.
  // Those approved before count as approved at 0, in their old order (by index).
  `ALTER TABLE publications ADD COLUMN approved_at INTEGER;
   UPDATE publications SET approved_at = 0 WHERE status = 'approved';
   CREATE INDEX publications_approved ON publications (status, approved_at, idx);`,
  // The log's verifier key, recorded at the first start: another key is refused (log-key.ts).
  'CREATE TABLE log_key (id INTEGER PRIMARY KEY CHECK (id = 1), vkey TEXT NOT NULL);',
  // Staff second factors: each account's TOTP secret, sealed (AES-256-GCM) under a key derived
  // from the signing key, and its recovery codes as SHA-256 hashes (each used once).
  `ALTER TABLE staff_users ADD COLUMN second_factor TEXT;
   CREATE TABLE staff_recovery_codes (username TEXT NOT NULL, code_hash TEXT NOT NULL, PRIMARY KEY (username, code_hash)) WITHOUT ROWID;`,
  // What staff declare for others: each form's batch (its entries, the ids of its recorded rows,
  // a void) and each account's declarants per hour, for its budget. Times on the hour.
  `CREATE TABLE volunteer_batches (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     key_id TEXT NOT NULL UNIQUE,
     username TEXT NOT NULL,
     channel TEXT NOT NULL,
     language TEXT NOT NULL,
     hour INTEGER NOT NULL,
     rows TEXT NOT NULL,
     entries TEXT NOT NULL,
     voided TEXT
   );
   CREATE TABLE volunteer_hours (
     username TEXT NOT NULL,
     hour INTEGER NOT NULL,
     declared INTEGER NOT NULL,
     PRIMARY KEY (username, hour)
   );`,
  // Timing privacy (docs/timing-privacy.md): no time finer than an hour, and no checkpoint of a
  // commit between two publications. Checkpoints kept: those published, and the latest; the
  // latest publication (its size, totals and instant) is what every reader serves. Spent tokens
  // keep the hour they expire in, in a table without insertion order (no rowid); audit times
  // and session expiries are on the hour; unsubscribed addresses are deleted.
  `ALTER TABLE checkpoints ADD COLUMN published INTEGER NOT NULL DEFAULT 0;
   DELETE FROM checkpoints WHERE tree_size < (SELECT max(tree_size) FROM checkpoints);
   CREATE TABLE publication (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size INTEGER NOT NULL, json TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE TABLE spent (token_hash BLOB PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO spent SELECT token_hash, ((expires + 3599999) / 3600000) * 3600 FROM spent_tokens;
   DROP TABLE spent_tokens;
   ALTER TABLE spent RENAME TO spent_tokens;
   CREATE INDEX spent_tokens_expires ON spent_tokens (expires);
   UPDATE audit_log SET at = (at / 3600) * 3600;
   UPDATE staff_sessions SET expires = ((expires + 3599) / 3600) * 3600;
   UPDATE subscribers SET expires = ((expires + 3599) / 3600) * 3600;
   DELETE FROM subscribers WHERE status = 'unsubscribed';`,
  // Tiles keyed by one integer, (level + 1) · 2^44 + index (sqlite-log.ts, tileKey). In the table
  // WITHOUT ROWID before, each interior page held whole rows (8 to 13 KiB tiles) as dividers, and
  // SQLite reads a divider's overflow pages to compare keys: a tile lookup in a 400 M log read
  // about 55 pages (some 200 KiB), and a cold one waited on many of them. A rowid table's interior
  // pages hold only integers: the leaf and its overflow pages are all a lookup reads.
  `CREATE TABLE tiles_by_key (key INTEGER PRIMARY KEY, width INTEGER NOT NULL, data BLOB NOT NULL);
   INSERT INTO tiles_by_key SELECT (level + 1) * 17592186044416 + idx, width, data FROM tiles ORDER BY level, idx;
   DROP TABLE tiles;
   ALTER TABLE tiles_by_key RENAME TO tiles;`,
  // Each import source's fingerprint of the lines it committed (src/import/chunks.ts): a resumed
  // import refuses an input that does not begin with them, instead of passing over its lines.
  'ALTER TABLE imports ADD COLUMN prefix TEXT;',
  // The imported records' tally in a row of its own, written only by the commits that change it
  // (an import's): with the whole history by day it is 125 KB of JSON, which every commit of a
  // declaration wrote again, and every reader parsed again, when it was part of the totals row.
  `CREATE TABLE totals_imported (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size INTEGER NOT NULL, json TEXT NOT NULL);
   INSERT INTO totals_imported (id, tree_size, json) SELECT 1, tree_size, json_extract(json, '$.imported') FROM totals;
   UPDATE totals SET json = json_remove(json, '$.imported');`,
];

/** An open database, and the in-process notices of its queue (other processes poll). */
export class SqliteDatabase {
  readonly db: DatabaseSync;
  /** The data directory, or undefined for an in-memory database. */
  readonly dir: string | undefined;
  readonly notices = new QueueNotices();

  /** What opening did to the schema, if it had to migrate it. */
  readonly migration: Migration | undefined;

  /**
   * Opens (creating if needed) the database in `dir`, or an in-memory one for `:memory:`. An
   * existing database at an older schema is migrated only with `migrate` (TUIDANG_MIGRATE=yes).
   */
  constructor(dir: string, { migrate: allowed = false }: { migrate?: boolean } = {}) {
    this.dir = dir === ':memory:' ? undefined : dir;
    const db = new DatabaseSync(
      this.dir === undefined ? ':memory:' : privateFile(this.dir, DATABASE_FILE),
    );
    this.db = db;
    if (this.dir !== undefined) {
      // Files an older version created with the umask's mode.
      for (const f of DATABASE_FILES.slice(1)) {
        const path = join(this.dir, f);
        if (existsSync(path)) chmodSync(path, 0o600);
      }
    }
    db.exec('PRAGMA journal_mode = WAL');
    // synchronous = FULL: in WAL mode this fsyncs the log at every commit, so a commit that
    // returned survives a power loss. NORMAL would only survive a process crash, and receipts
    // promise that an acknowledged declaration is in the log for good.
    db.exec('PRAGMA synchronous = FULL');
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Deleted content is overwritten with zeros, so an erased name is not left in free space.
    db.exec('PRAGMA secure_delete = ON');
    this.migration = migrate(db, allowed);
  }

  /**
   * Runs `work` in one write transaction (BEGIN IMMEDIATE): committed if it returns, rolled back
   * if it throws.
   */
  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /**
   * Copies the write-ahead log into the database file and truncates it to zero bytes: after an
   * erasure, the WAL (and the database file, until the WAL is copied into it) would otherwise keep
   * the erased text in the frames written before it. Not possible while another connection reads
   * an older snapshot (a `tuidang backup` running) or writes: then false at once, not after the
   * busy timeout (this thread would wait that long), and the caller tries again later.
   */
  truncateWal(): boolean {
    this.db.exec('PRAGMA busy_timeout = 0');
    try {
      const r = this.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number };
      return r.busy === 0;
    } finally {
      this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

function migrate(db: DatabaseSync, allowed: boolean): Migration | undefined {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number })
    .user_version;
  if (version > MIGRATIONS.length) {
    throw new StoreError(
      'corrupt',
      `the database is at schema version ${version}, newer than this program (${MIGRATIONS.length}): upgrade tuidang`,
    );
  }
  if (version === MIGRATIONS.length) return undefined;
  // A new database is created at once; an existing one only on the operator's word.
  if (version > 0 && !allowed)
    throw upgradeRefused(version, MIGRATIONS.length, 'tuidang backup FILE');
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[v] as string);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw new StoreError('corrupt', `migration ${v + 1} failed`, { cause: e });
    }
  }
  return version === 0 ? undefined : { from: version, to: MIGRATIONS.length };
}

/**
 * `tuidang backup`: a consistent copy of the database in `dataDir` to `file`, made while the
 * registry serves. VACUUM INTO copies one read transaction's snapshot (WAL lets it run beside the
 * server's writes), so the copy holds whole commits only. The copy is created with mode 0600, and
 * never over an existing file. Returns the copy's tree size.
 */
export function backupDatabase(dataDir: string, file: string): number {
  const path = databasePath(dataDir);
  if (!existsSync(path)) throw new StoreError('not-found', `no database at ${path}: set DATA_DIR`);
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (cause) {
    throw new StoreError('conflict', `${file} exists or cannot be created: choose a new file`, {
      cause,
    });
  }
  chmodSync(file, 0o600);
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(file);
  } finally {
    db.close();
  }
  const copy = new DatabaseSync(file, { readOnly: true });
  try {
    const row = copy.prepare('SELECT tree_size FROM totals').get() as
      | { tree_size: number }
      | undefined;
    return row?.tree_size ?? 0;
  } finally {
    copy.close();
  }
}
