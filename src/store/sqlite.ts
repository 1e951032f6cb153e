// The embedded store: one SQLite database file via node:sqlite, no native build, no server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Tile } from '../log/index.ts';
import {
  emptyTotals,
  type Moderation,
  type Publication,
  type PublicationQuery,
  type PublicationStatus,
  type Totals,
} from '../registry/index.ts';
import { countAttempt, type ThrottleRow, uncount } from './sign-in-throttle.ts';
import {
  type AuditEntry,
  type AuditRecord,
  type Commit,
  type IdempotencyRecord,
  type LogState,
  type ModerationQueue,
  type SignInThrottle,
  type StaffRole,
  type StaffSession,
  type StaffUser,
  type Store,
  StoreError,
  type Subscriber,
} from './store.ts';

// Versioned migrations, applied in order at open; PRAGMA user_version records how many ran.
const MIGRATIONS = [
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
];

export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #getTile;
  readonly #putTile;
  readonly #putCheckpoint;
  readonly #putTotals;
  readonly #getState;
  readonly #getSize;
  // The parsed totals of the last state read, by tree size: the totals are a function of the
  // entries, so while the size is the same they are too, and the pages that show them need not
  // parse one JSON document per request. Readers treat totals as immutable.
  #cachedTotals: { size: number; totals: Totals } | undefined;
  readonly #putVoided;
  readonly #isVoided;
  readonly #getCheckpoint;
  readonly #putIdempotency;
  readonly #getIdempotency;
  readonly #expireIdempotency;
  readonly #putPublication;
  readonly #putImport;
  readonly #getImport;

  /** Opens (creating if needed) `tuidang.db` in `dir`, or an in-memory database for `:memory:`. */
  constructor(dir: string) {
    let path = ':memory:';
    if (dir !== ':memory:') {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      path = join(dir, 'tuidang.db');
    }
    const db = new DatabaseSync(path);
    this.#db = db;
    db.exec('PRAGMA journal_mode = WAL');
    // synchronous = FULL: in WAL mode this fsyncs the log at every commit, so a commit that
    // returned survives a power loss. NORMAL would only survive a process crash, and receipts
    // promise that an acknowledged declaration is in the log for good.
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db);
    this.#getTile = db.prepare('SELECT width, data FROM tiles WHERE level = ? AND idx = ?');
    this.#putTile = db.prepare(
      'INSERT OR REPLACE INTO tiles (level, idx, width, data) VALUES (?, ?, ?, ?)',
    );
    this.#putCheckpoint = db.prepare(
      'INSERT OR IGNORE INTO checkpoints (tree_size, note) VALUES (?, ?)',
    );
    this.#putTotals = db.prepare(
      'INSERT OR REPLACE INTO totals (id, tree_size, json) VALUES (1, ?, ?)',
    );
    this.#getState = db.prepare(
      'SELECT t.tree_size AS size, t.json AS json, c.note AS note FROM totals t LEFT JOIN checkpoints c ON c.tree_size = t.tree_size',
    );
    this.#getSize = db.prepare(
      'SELECT t.tree_size AS size, c.note AS note FROM totals t LEFT JOIN checkpoints c ON c.tree_size = t.tree_size',
    );
    this.#putVoided = db.prepare('INSERT INTO voided (idx) VALUES (?)');
    this.#isVoided = db.prepare('SELECT 1 FROM voided WHERE idx = ?');
    this.#getCheckpoint = db.prepare('SELECT note FROM checkpoints WHERE tree_size = ?');
    this.#putIdempotency = db.prepare(
      'INSERT INTO idempotency (key_id, request_hash, tree_size, sealed, expires) VALUES (?, ?, ?, ?, ?)',
    );
    this.#getIdempotency = db.prepare(
      'SELECT key_id, request_hash, tree_size, sealed, expires FROM idempotency WHERE key_id = ?',
    );
    this.#expireIdempotency = db.prepare('DELETE FROM idempotency WHERE expires < ?');
    this.#putImport = db.prepare('INSERT OR REPLACE INTO imports (source, line) VALUES (?, ?)');
    this.#getImport = db.prepare('SELECT line FROM imports WHERE source = ?');
    this.#putPublication = db.prepare(
      'INSERT INTO publications (idx, name, name_kind, statement, orgs, region, day, language, owner_tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  async state(): Promise<LogState> {
    const cached = this.#cachedTotals;
    if (cached !== undefined) {
      const head = this.#getSize.get() as { size: number; note: string | null } | undefined;
      if (head?.size === cached.size) {
        return { treeSize: head.size, checkpoint: head.note ?? undefined, totals: cached.totals };
      }
    }
    const row = this.#getState.get() as
      | { size: number; json: string; note: string | null }
      | undefined;
    if (row === undefined) return { treeSize: 0, checkpoint: undefined, totals: emptyTotals() };
    const totals = deepFreeze(JSON.parse(row.json) as Totals);
    this.#cachedTotals = { size: row.size, totals };
    return { treeSize: row.size, checkpoint: row.note ?? undefined, totals };
  }

  readonly readTiles = async (tiles: readonly Tile[]): Promise<Uint8Array[]> =>
    tiles.map((t) => {
      const row = this.#getTile.get(t.level, t.index) as
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
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      const current = (this.#getState.get() as { size: number } | undefined)?.size ?? 0;
      if (current !== c.oldSize) {
        throw new StoreError(
          'conflict',
          `commit builds on tree size ${c.oldSize}, but the log has ${current} entries`,
        );
      }
      for (const { tile, data } of c.tiles)
        this.#putTile.run(tile.level, tile.index, tile.width, data);
      this.#putCheckpoint.run(c.newSize, c.checkpoint);
      this.#putTotals.run(c.newSize, JSON.stringify(c.totals));
      for (const idx of c.voided) this.#putVoided.run(idx);
      for (const r of c.idempotency ?? [])
        this.#putIdempotency.run(r.keyId, r.requestHash, r.treeSize, r.sealed, r.expires);
      if (c.expireBefore !== undefined) this.#expireIdempotency.run(c.expireBefore);
      if (c.importProgress) this.#putImport.run(c.importProgress.source, c.importProgress.line);
      for (const p of c.publications ?? []) {
        this.#putPublication.run(
          p.index,
          p.name,
          p.nameKind,
          p.statement,
          p.orgs.join(','),
          p.region ?? null,
          p.day,
          p.language,
          p.ownerTag ?? null,
        );
      }
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }

  async isVoided(index: number): Promise<boolean> {
    return this.#isVoided.get(index) !== undefined;
  }

  async replaceCheckpoint(treeSize: number, note: string): Promise<void> {
    const r = this.#db
      .prepare('UPDATE checkpoints SET note = ? WHERE tree_size = ?')
      .run(note, treeSize);
    if (r.changes !== 1)
      throw new StoreError('not-found', `no checkpoint of tree size ${treeSize}`);
  }

  async createStaffUser(u: StaffUser): Promise<boolean> {
    return (
      this.#db
        .prepare(
          'INSERT OR IGNORE INTO staff_users (username, role, password_hash) VALUES (?, ?, ?)',
        )
        .run(u.username, u.role, u.passwordHash).changes === 1
    );
  }

  async staffUser(username: string): Promise<StaffUser | undefined> {
    const r = this.#db
      .prepare('SELECT username, role, password_hash FROM staff_users WHERE username = ?')
      .get(username) as { username: string; role: StaffRole; password_hash: string } | undefined;
    return r && { username: r.username, role: r.role, passwordHash: r.password_hash };
  }

  async createStaffSession(tokenHash: string, s: Omit<StaffSession, 'role'>): Promise<void> {
    this.#db
      .prepare('DELETE FROM staff_sessions WHERE expires < ?')
      .run(Math.floor(Date.now() / 1000));
    this.#db
      .prepare(
        'INSERT INTO staff_sessions (token_hash, username, csrf, expires) VALUES (?, ?, ?, ?)',
      )
      .run(tokenHash, s.username, s.csrf, s.expires);
  }

  async staffSession(tokenHash: string, now: number): Promise<StaffSession | undefined> {
    const r = this.#db
      .prepare(
        'SELECT s.username, u.role, s.csrf, s.expires FROM staff_sessions s JOIN staff_users u ON u.username = s.username WHERE s.token_hash = ? AND s.expires > ?',
      )
      .get(tokenHash, now) as
      | { username: string; role: StaffRole; csrf: string; expires: number }
      | undefined;
    return r && { username: r.username, role: r.role, csrf: r.csrf, expires: Number(r.expires) };
  }

  async deleteStaffSession(tokenHash: string): Promise<void> {
    this.#db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?').run(tokenHash);
  }

  async recordAudit(e: AuditEntry): Promise<void> {
    this.#db
      .prepare('INSERT INTO audit_log (at, username, action, target) VALUES (?, ?, ?, ?)')
      .run(e.at, e.username, e.action, e.target);
  }

  async auditLog(limit: number, before?: number): Promise<AuditRecord[]> {
    return (
      this.#db
        .prepare(
          'SELECT id, at, username, action, target FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
        )
        .all(before ?? Number.MAX_SAFE_INTEGER, limit) as unknown as AuditRecord[]
    ).map((e) => ({
      id: Number(e.id),
      at: Number(e.at),
      username: e.username,
      action: e.action,
      target: e.target,
    }));
  }

  async moderationQueue(after: number, limit: number): Promise<ModerationQueue> {
    const { total } = this.#db
      .prepare("SELECT count(*) AS total FROM publications WHERE status = 'pending'")
      .get() as { total: number };
    const rows = this.#db
      .prepare(
        `SELECT ${PUBLICATION_COLUMNS} FROM publications WHERE status = 'pending' AND idx > ? ORDER BY idx LIMIT ?`,
      )
      .all(after, limit) as unknown as PublicationRow[];
    return { total: Number(total), page: rows.map(toPublication) };
  }

  async attemptSignIn(
    keys: readonly string[],
    now: number,
    throttle: SignInThrottle,
  ): Promise<number> {
    // Synchronous from BEGIN to COMMIT: no other attempt of this process runs in between, and
    // IMMEDIATE keeps other processes out.
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.prepare('DELETE FROM sign_in_throttle WHERE at < ?').run(now - throttle.forgetSeconds);
      const read = db.prepare(
        'SELECT key, failures, at, until FROM sign_in_throttle WHERE key = ?',
      );
      const stored = new Map<string, ThrottleRow>();
      for (const key of keys) {
        const row = read.get(key) as ThrottleRow | undefined;
        if (row) stored.set(key, row);
      }
      const { wait, write } = countAttempt(stored, keys, now, throttle);
      const put = db.prepare(
        'INSERT OR REPLACE INTO sign_in_throttle (key, failures, at, until) VALUES (?, ?, ?, ?)',
      );
      for (const r of write) put.run(r.key, r.failures, r.at, r.until);
      db.exec('COMMIT');
      return wait;
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }

  async forgiveSignIn(
    reset: readonly string[],
    undo: readonly string[],
    throttle: SignInThrottle,
  ): Promise<void> {
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      const remove = db.prepare('DELETE FROM sign_in_throttle WHERE key = ?');
      for (const key of reset) remove.run(key);
      for (const key of undo) {
        const row = db
          .prepare('SELECT key, failures, at, until FROM sign_in_throttle WHERE key = ?')
          .get(key) as ThrottleRow | undefined;
        const kept = row && uncount(row, throttle);
        if (kept)
          db.prepare('UPDATE sign_in_throttle SET failures = ?, until = ? WHERE key = ?').run(
            kept.failures,
            kept.until,
            key,
          );
        else remove.run(key);
      }
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }

  async subscribe(email: string, termsVersion: string, expires: number): Promise<Subscriber> {
    this.#db
      .prepare(
        `INSERT INTO subscribers (email, status, terms_version, expires) VALUES (?, 'pending', ?, ?)
         ON CONFLICT (email) DO UPDATE SET status = 'pending', terms_version = excluded.terms_version, expires = excluded.expires
         WHERE subscribers.status <> 'confirmed'`,
      )
      .run(email, termsVersion, expires);
    return toSubscriber(
      this.#db
        .prepare('SELECT * FROM subscribers WHERE email = ?')
        .get(email) as unknown as SubscriberRow,
    );
  }

  async subscriber(id: number): Promise<Subscriber | undefined> {
    const row = this.#db.prepare('SELECT * FROM subscribers WHERE id = ?').get(id) as unknown as
      | SubscriberRow
      | undefined;
    return row && toSubscriber(row);
  }

  async setSubscriberStatus(id: number, status: Subscriber['status']): Promise<boolean> {
    return (
      this.#db.prepare('UPDATE subscribers SET status = ? WHERE id = ?').run(status, id).changes ===
      1
    );
  }

  async confirmedSubscribers(afterId: number, limit: number): Promise<Subscriber[]> {
    const rows = this.#db
      .prepare(
        "SELECT * FROM subscribers WHERE status = 'confirmed' AND id > ? ORDER BY id LIMIT ?",
      )
      .all(afterId, limit);
    return (rows as unknown as SubscriberRow[]).map(toSubscriber);
  }

  async importCursor(source: string): Promise<number> {
    return (this.#getImport.get(source) as { line: number } | undefined)?.line ?? 0;
  }

  async moderate(index: number, d: Moderation): Promise<boolean> {
    const r = this.#db
      .prepare(
        'UPDATE publications SET status = ?, name = coalesce(?, name), statement = coalesce(?, statement) WHERE idx = ?',
      )
      .run(d.status, d.name ?? null, d.statement ?? null, index);
    return r.changes === 1;
  }

  async erasePublication(index: number, tag?: Uint8Array): Promise<boolean> {
    const r =
      tag === undefined
        ? this.#db.prepare('DELETE FROM publications WHERE idx = ?').run(index)
        : this.#db
            .prepare('DELETE FROM publications WHERE idx = ? AND owner_tag = ?')
            .run(index, tag);
    return r.changes === 1;
  }

  async publications(q: PublicationQuery): Promise<Publication[]> {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.text?.trim()) {
      where.push('(instr(lower(statement), ?) > 0 OR instr(lower(name), ?) > 0)');
      args.push(q.text.trim().toLowerCase(), q.text.trim().toLowerCase());
    }
    if (q.org) {
      where.push("(',' || orgs || ',') LIKE ?");
      args.push(`%,${q.org},%`);
    }
    if (q.region) {
      where.push('region = ?');
      args.push(q.region);
    }
    if (q.year) {
      where.push('day LIKE ?');
      args.push(`${q.year}-%`);
    }
    if (q.before !== undefined) {
      where.push('idx < ?');
      args.push(q.before);
    }
    where.push('status = ?');
    args.push(q.status ?? 'approved');
    const sql = `SELECT ${PUBLICATION_COLUMNS} FROM publications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY idx DESC LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...args, q.limit) as unknown as PublicationRow[];
    return rows.map(toPublication);
  }

  async checkpointAt(treeSize: number): Promise<string | undefined> {
    return (this.#getCheckpoint.get(treeSize) as { note: string } | undefined)?.note;
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

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function migrate(db: DatabaseSync): void {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number })
    .user_version;
  if (version > MIGRATIONS.length) {
    throw new StoreError(
      'corrupt',
      `the database is at schema version ${version}, newer than this program (${MIGRATIONS.length}): upgrade tuidang`,
    );
  }
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
}

const PUBLICATION_COLUMNS = 'idx, name, name_kind, statement, orgs, region, day, language, status';

interface PublicationRow {
  idx: number;
  name: string;
  name_kind: 'real' | 'alias';
  statement: string;
  orgs: string;
  region: string | null;
  day: string;
  language: string;
  status: PublicationStatus;
}

function toPublication(r: PublicationRow): Publication {
  return {
    index: r.idx,
    name: r.name,
    nameKind: r.name_kind,
    statement: r.statement,
    orgs: r.orgs.split(','),
    region: r.region ?? undefined,
    day: r.day,
    language: r.language,
    status: r.status,
  };
}

interface SubscriberRow {
  id: number;
  email: string;
  status: Subscriber['status'];
  terms_version: string;
  expires: number;
}

function toSubscriber(r: SubscriberRow): Subscriber {
  return {
    id: Number(r.id),
    email: r.email,
    status: r.status,
    termsVersion: r.terms_version,
    expires: Number(r.expires),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
