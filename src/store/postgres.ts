// The PostgreSQL store: for more than one machine. Several `tuidang serve` processes share one
// database; they accept declarations into a shared `pending` table, and one of them at a time
// (whoever holds the advisory lock) sequences them. See src/sequencer/cluster.ts.
import { createHash } from 'node:crypto';
import pg from 'pg';
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

// Versioned migrations, applied in order at start under an advisory lock (several nodes may start
// at once); schema_version records how many ran.
const MIGRATIONS = [
  `CREATE TABLE tiles (level INTEGER NOT NULL, idx BIGINT NOT NULL, width INTEGER NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (level, idx));
   CREATE TABLE checkpoints (tree_size BIGINT PRIMARY KEY, note TEXT NOT NULL);
   CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size BIGINT NOT NULL, json JSONB NOT NULL);
   CREATE TABLE voided (idx BIGINT PRIMARY KEY);
   CREATE TABLE idempotency (key_id TEXT PRIMARY KEY, request_hash TEXT NOT NULL, tree_size BIGINT NOT NULL, sealed BYTEA NOT NULL, expires BIGINT NOT NULL);
   CREATE INDEX idempotency_expires ON idempotency (expires);
   -- Submissions accepted by any node and not yet answered. indexes/tree_size are set, in the
   -- sequencer's commit, when the entries are logged; the accepting node deletes the row when it
   -- has answered. sealed holds the salts, sealed with the client's Idempotency-Key, if any.
   CREATE TABLE pending (
     id BIGSERIAL PRIMARY KEY,
     entries BYTEA[] NOT NULL,
     key_id TEXT UNIQUE,
     request_hash TEXT,
     sealed BYTEA,
     indexes BIGINT[],
     tree_size BIGINT
   );
   CREATE INDEX pending_waiting ON pending (id) WHERE indexes IS NULL;`,
  `CREATE TABLE publications (
     idx BIGINT PRIMARY KEY, name TEXT NOT NULL, name_kind TEXT NOT NULL, statement TEXT NOT NULL,
     orgs TEXT[] NOT NULL, region TEXT, day TEXT NOT NULL, language TEXT NOT NULL
   );`,
  'CREATE TABLE imports (source TEXT PRIMARY KEY, line BIGINT NOT NULL);',
  `ALTER TABLE publications ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
   ALTER TABLE publications ADD COLUMN owner_tag BYTEA;`,
  `CREATE TABLE subscribers (
     id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
     terms_version TEXT NOT NULL, expires BIGINT NOT NULL
   );`,
  `CREATE TABLE staff_users (username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL);
   CREATE TABLE staff_sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, csrf TEXT NOT NULL, expires BIGINT NOT NULL);
   CREATE TABLE audit_log (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, username TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL);`,
  // Proof-of-work solutions and form tickets already used on some node (SHA-256 of the token).
  `CREATE TABLE spent_tokens (token_hash BYTEA PRIMARY KEY, expires BIGINT NOT NULL);
   CREATE INDEX spent_tokens_expires ON spent_tokens (expires);`,
  // Staff sign-in throttling by keyed hashes of (account, address) and of the address alone.
  `CREATE TABLE sign_in_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, at BIGINT NOT NULL, until BIGINT NOT NULL);
   CREATE INDEX sign_in_throttle_at ON sign_in_throttle (at);
   CREATE INDEX publications_status ON publications (status, idx);`,
];

/** Advisory lock keys: one for migrations, one for the right to sequence. */
const MIGRATION_LOCK = 0x7475_6964; // "tuid"
export const SEQUENCER_LOCK = 0x7475_6964_6e67; // "tuidng"

export interface PendingRow {
  readonly id: number;
  readonly entries: Uint8Array[];
}

export interface SequencedRow {
  readonly id: number;
  readonly indexes: number[];
  readonly treeSize: number;
  readonly keyId: string | null;
  readonly requestHash: string | null;
  readonly sealed: Uint8Array | null;
  readonly entries: Uint8Array[];
}

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly #schema: string;
  readonly #url: string;
  #ready: Promise<void>;
  #spends = 0;

  /** `schema` isolates one log per schema (tests use one schema per run). */
  constructor(url: string, options: { schema?: string; max?: number } = {}) {
    const schema = options.schema ?? 'tuidang';
    if (!/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new StoreError('unavailable', `invalid schema name ${schema}`);
    this.#schema = schema;
    this.#url = url;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 8,
      options: `-c search_path=${schema}`,
    });
    // A broken idle connection must not crash the process: the next query reports the error.
    this.pool.on('error', () => {});
    this.#ready = this.#migrate();
  }

  /** Resolves once the schema is migrated; rejects with what to fix if the database is unreachable. */
  ready(): Promise<void> {
    return this.#ready;
  }

  async #migrate(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (cause) {
      throw new StoreError(
        'unavailable',
        `cannot connect to PostgreSQL (${(cause as Error).message}): check DATABASE_URL`,
        { cause },
      );
    }
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.#schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM schema_version',
      );
      const version = rows[0]?.version ?? 0;
      if (version > MIGRATIONS.length) {
        throw new StoreError(
          'corrupt',
          `the database is at schema version ${version}, newer than this program (${MIGRATIONS.length}): upgrade tuidang`,
        );
      }
      for (let v = version; v < MIGRATIONS.length; v++) await client.query(MIGRATIONS[v] as string);
      if (rows.length === 0)
        await client.query('INSERT INTO schema_version VALUES ($1)', [MIGRATIONS.length]);
      else await client.query('UPDATE schema_version SET version = $1', [MIGRATIONS.length]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async #query<R extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    await this.#ready;
    try {
      return await this.pool.query<R>(text, values);
    } catch (cause) {
      throw new StoreError('unavailable', `database query failed: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  /**
   * Records a single-use token (a solved proof-of-work challenge, a form ticket) for every node of
   * the cluster: true the first time, false if any node spent it before. Kept until `expiresAtMs`.
   */
  async spendOnce(token: string, expiresAtMs: number): Promise<boolean> {
    if (++this.#spends % 1000 === 0)
      await this.#query('DELETE FROM spent_tokens WHERE expires < $1', [Date.now()]);
    const { rowCount } = await this.#query(
      'INSERT INTO spent_tokens (token_hash, expires) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [createHash('sha256').update(token).digest(), expiresAtMs],
    );
    return rowCount === 1;
  }

  async state(): Promise<LogState> {
    const { rows } = await this.#query<{ tree_size: string; json: Totals; note: string | null }>(
      'SELECT t.tree_size, t.json, c.note FROM totals t LEFT JOIN checkpoints c ON c.tree_size = t.tree_size WHERE t.id = 1',
    );
    const row = rows[0];
    if (row === undefined) return { treeSize: 0, checkpoint: undefined, totals: emptyTotals() };
    return { treeSize: Number(row.tree_size), checkpoint: row.note ?? undefined, totals: row.json };
  }

  readonly readTiles = async (tiles: readonly Tile[]): Promise<Uint8Array[]> => {
    const { rows } = await this.#query<{ level: number; idx: string; width: number; data: Buffer }>(
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

  async commit(
    c: Commit,
    sequenced: ReadonlyArray<{ id: number; indexes: number[] }> = [],
  ): Promise<void> {
    await this.#ready;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Fencing: the row lock serialises commits, and the size check refuses a stale writer.
      const { rows } = await client.query<{ tree_size: string }>(
        'SELECT tree_size FROM totals WHERE id = 1 FOR UPDATE',
      );
      const current = Number(rows[0]?.tree_size ?? 0);
      if (current !== c.oldSize)
        throw new StoreError(
          'conflict',
          `commit builds on tree size ${c.oldSize}, but the log has ${current} entries`,
        );
      await client.query(
        `INSERT INTO tiles (level, idx, width, data) SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::bytea[])
         ON CONFLICT (level, idx) DO UPDATE SET width = EXCLUDED.width, data = EXCLUDED.data`,
        [
          c.tiles.map((t) => t.tile.level),
          c.tiles.map((t) => t.tile.index),
          c.tiles.map((t) => t.tile.width),
          c.tiles.map((t) => Buffer.from(t.data)),
        ],
      );
      await client.query(
        'INSERT INTO checkpoints (tree_size, note) VALUES ($1, $2) ON CONFLICT (tree_size) DO NOTHING',
        [c.newSize, c.checkpoint],
      );
      await client.query(
        'INSERT INTO totals (id, tree_size, json) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET tree_size = EXCLUDED.tree_size, json = EXCLUDED.json',
        [c.newSize, JSON.stringify(c.totals)],
      );
      if (c.voided.length > 0)
        await client.query('INSERT INTO voided (idx) SELECT unnest($1::bigint[])', [c.voided]);
      for (const r of c.idempotency ?? []) {
        await client.query(
          'INSERT INTO idempotency (key_id, request_hash, tree_size, sealed, expires) VALUES ($1, $2, $3, $4, $5)',
          [r.keyId, r.requestHash, r.treeSize, Buffer.from(r.sealed), r.expires],
        );
      }
      await PostgresStore.#insertPublications(client, c.publications);
      if (c.importProgress) {
        await client.query(
          'INSERT INTO imports (source, line) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET line = EXCLUDED.line',
          [c.importProgress.source, c.importProgress.line],
        );
      }
      if (c.expireBefore !== undefined)
        await client.query('DELETE FROM idempotency WHERE expires < $1', [c.expireBefore]);
      if (sequenced.length > 0) {
        await client.query(
          `UPDATE pending SET indexes = ARRAY(SELECT jsonb_array_elements_text(x.idx)::bigint), tree_size = $2
           FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, idx jsonb) WHERE pending.id = x.id`,
          [JSON.stringify(sequenced.map((q) => ({ id: q.id, idx: q.indexes }))), c.newSize],
        );
      }
      if (sequenced.length > 0) await client.query(`NOTIFY tuidang_sequenced, '${c.newSize}'`);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      if (e instanceof StoreError) throw e;
      throw new StoreError('unavailable', `commit failed: ${(e as Error).message}`, { cause: e });
    } finally {
      client.release();
    }
  }

  /**
   * A connection of its own, outside the pool: for LISTEN, and for holding the sequencer's
   * advisory lock, which lives as long as the session (and ends with it if the process dies).
   */
  async dedicatedClient(): Promise<pg.Client> {
    await this.#ready;
    const client = new pg.Client({
      connectionString: this.#url,
      options: `-c search_path=${this.#schema}`,
    });
    client.on('error', () => {}); // reported through the 'end' event and failing queries
    await client.connect();
    return client;
  }

  static async #insertPublications(
    client: pg.PoolClient,
    list: readonly Publication[] | undefined,
  ): Promise<void> {
    if (!list || list.length === 0) return;
    await client.query(
      `INSERT INTO publications (idx, name, name_kind, statement, orgs, region, day, language, owner_tag)
       SELECT x.idx, x.name, x.kind, x.statement, ARRAY(SELECT jsonb_array_elements_text(x.orgs)), x.region, x.day, x.language, decode(x.tag, 'hex')
       FROM jsonb_to_recordset($1::jsonb) AS x(idx bigint, name text, kind text, statement text, orgs jsonb, region text, day text, language text, tag text)`,
      [
        JSON.stringify(
          list.map((p) => ({
            idx: p.index,
            name: p.name,
            kind: p.nameKind,
            statement: p.statement,
            orgs: p.orgs,
            region: p.region ?? null,
            day: p.day,
            language: p.language,
            tag: p.ownerTag ? Buffer.from(p.ownerTag).toString('hex') : null,
          })),
        ),
      ],
    );
  }

  async moderate(index: number, d: Moderation): Promise<boolean> {
    const r = await this.#query(
      'UPDATE publications SET status = $2, name = coalesce($3, name), statement = coalesce($4, statement) WHERE idx = $1',
      [index, d.status, d.name ?? null, d.statement ?? null],
    );
    return r.rowCount === 1;
  }

  async erasePublication(index: number, tag?: Uint8Array): Promise<boolean> {
    const r =
      tag === undefined
        ? await this.#query('DELETE FROM publications WHERE idx = $1', [index])
        : await this.#query('DELETE FROM publications WHERE idx = $1 AND owner_tag = $2', [
            index,
            Buffer.from(tag),
          ]);
    return r.rowCount === 1;
  }

  async createStaffUser(u: StaffUser): Promise<boolean> {
    const r = await this.#query(
      'INSERT INTO staff_users (username, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [u.username, u.role, u.passwordHash],
    );
    return r.rowCount === 1;
  }

  async staffUser(username: string): Promise<StaffUser | undefined> {
    const r = (
      await this.#query<{ username: string; role: StaffRole; password_hash: string }>(
        'SELECT username, role, password_hash FROM staff_users WHERE username = $1',
        [username],
      )
    ).rows[0];
    return r && { username: r.username, role: r.role, passwordHash: r.password_hash };
  }

  async createStaffSession(tokenHash: string, s: Omit<StaffSession, 'role'>): Promise<void> {
    await this.#query('DELETE FROM staff_sessions WHERE expires < $1', [
      Math.floor(Date.now() / 1000),
    ]);
    await this.#query(
      'INSERT INTO staff_sessions (token_hash, username, csrf, expires) VALUES ($1, $2, $3, $4)',
      [tokenHash, s.username, s.csrf, s.expires],
    );
  }

  async staffSession(tokenHash: string, now: number): Promise<StaffSession | undefined> {
    const r = (
      await this.#query<{ username: string; role: StaffRole; csrf: string; expires: string }>(
        'SELECT s.username, u.role, s.csrf, s.expires FROM staff_sessions s JOIN staff_users u ON u.username = s.username WHERE s.token_hash = $1 AND s.expires > $2',
        [tokenHash, now],
      )
    ).rows[0];
    return r && { username: r.username, role: r.role, csrf: r.csrf, expires: Number(r.expires) };
  }

  async deleteStaffSession(tokenHash: string): Promise<void> {
    await this.#query('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash]);
  }

  async recordAudit(e: AuditEntry): Promise<void> {
    await this.#query(
      'INSERT INTO audit_log (at, username, action, target) VALUES ($1, $2, $3, $4)',
      [e.at, e.username, e.action, e.target],
    );
  }

  async auditLog(limit: number, before?: number): Promise<AuditRecord[]> {
    const { rows } = await this.#query<{
      id: string;
      at: string;
      username: string;
      action: string;
      target: string;
    }>(
      'SELECT id, at, username, action, target FROM audit_log WHERE ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $1',
      [limit, before ?? null],
    );
    return rows.map((e) => ({
      id: Number(e.id),
      at: Number(e.at),
      username: e.username,
      action: e.action,
      target: e.target,
    }));
  }

  async moderationQueue(after: number, limit: number): Promise<ModerationQueue> {
    const [count, page] = await Promise.all([
      this.#query<{ total: string }>(
        "SELECT count(*) AS total FROM publications WHERE status = 'pending'",
      ),
      this.#query<PublicationRow>(
        `SELECT ${PUBLICATION_COLUMNS} FROM publications WHERE status = 'pending' AND idx > $1 ORDER BY idx LIMIT $2`,
        [after, limit],
      ),
    ]);
    return { total: Number(count.rows[0]?.total ?? 0), page: page.rows.map(toPublication) };
  }

  /** Runs `work` in a transaction on one connection. */
  async #transaction<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.#ready;
    const client = await this.pool.connect().catch((cause: unknown) => {
      throw new StoreError('unavailable', `cannot reach PostgreSQL to ${what}`, { cause });
    });
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e instanceof StoreError
        ? e
        : new StoreError('unavailable', `could not ${what}: ${(e as Error).message}`, {
            cause: e,
          });
    } finally {
      client.release();
    }
  }

  /** The throttle rows of `keys`, locked until the transaction ends (created if missing). */
  static async #lockThrottle(
    client: pg.PoolClient,
    keys: readonly string[],
  ): Promise<Map<string, ThrottleRow>> {
    const sorted = [...new Set(keys)].sort(); // one lock order for every transaction: no deadlock
    await client.query(
      'INSERT INTO sign_in_throttle (key, failures, at, until) SELECT unnest($1::text[]), 0, 0, 0 ON CONFLICT DO NOTHING',
      [sorted],
    );
    const { rows } = await client.query<{
      key: string;
      failures: number;
      at: string;
      until: string;
    }>(
      'SELECT key, failures, at, until FROM sign_in_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE',
      [sorted],
    );
    return new Map(
      rows.map((r) => [
        r.key,
        { key: r.key, failures: r.failures, at: Number(r.at), until: Number(r.until) },
      ]),
    );
  }

  static async #writeThrottle(client: pg.PoolClient, rows: readonly ThrottleRow[]): Promise<void> {
    if (rows.length === 0) return;
    await client.query(
      `UPDATE sign_in_throttle t SET failures = r.failures, at = r.at, until = r.until
       FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[]) AS r(key, failures, at, until)
       WHERE t.key = r.key`,
      [
        rows.map((r) => r.key),
        rows.map((r) => r.failures),
        rows.map((r) => r.at),
        rows.map((r) => r.until),
      ],
    );
  }

  async attemptSignIn(
    keys: readonly string[],
    now: number,
    throttle: SignInThrottle,
  ): Promise<number> {
    return this.#transaction('count a sign-in attempt', async (client) => {
      await client.query('DELETE FROM sign_in_throttle WHERE at < $1 AND until < $2', [
        now - throttle.forgetSeconds,
        now,
      ]);
      const stored = await PostgresStore.#lockThrottle(client, keys);
      const { wait, write } = countAttempt(stored, keys, now, throttle);
      await PostgresStore.#writeThrottle(client, write);
      return wait;
    });
  }

  async forgiveSignIn(
    reset: readonly string[],
    undo: readonly string[],
    throttle: SignInThrottle,
  ): Promise<void> {
    await this.#transaction('forgive a sign-in attempt', async (client) => {
      const stored = await PostgresStore.#lockThrottle(client, [...reset, ...undo]);
      const kept = undo.flatMap((key) => {
        const row = stored.get(key);
        const k = row && uncount(row, throttle);
        return k ? [k] : [];
      });
      const gone = [...reset, ...undo.filter((key) => !kept.some((k) => k.key === key))];
      await client.query('DELETE FROM sign_in_throttle WHERE key = ANY($1::text[])', [gone]);
      await PostgresStore.#writeThrottle(client, kept);
    });
  }

  async subscribe(email: string, termsVersion: string, expires: number): Promise<Subscriber> {
    const { rows } = await this.#query<SubscriberRow>(
      `INSERT INTO subscribers (email, status, terms_version, expires) VALUES ($1, 'pending', $2, $3)
       ON CONFLICT (email) DO UPDATE SET status = 'pending', terms_version = EXCLUDED.terms_version, expires = EXCLUDED.expires
       WHERE subscribers.status <> 'confirmed'
       RETURNING *`,
      [email, termsVersion, expires],
    );
    const row =
      rows[0] ??
      (await this.#query<SubscriberRow>('SELECT * FROM subscribers WHERE email = $1', [email]))
        .rows[0];
    return toSubscriber(row as SubscriberRow);
  }

  async subscriber(id: number): Promise<Subscriber | undefined> {
    const row = (await this.#query<SubscriberRow>('SELECT * FROM subscribers WHERE id = $1', [id]))
      .rows[0];
    return row && toSubscriber(row);
  }

  async setSubscriberStatus(id: number, status: Subscriber['status']): Promise<boolean> {
    return (
      (await this.#query('UPDATE subscribers SET status = $2 WHERE id = $1', [id, status]))
        .rowCount === 1
    );
  }

  async confirmedSubscribers(afterId: number, limit: number): Promise<Subscriber[]> {
    const { rows } = await this.#query<SubscriberRow>(
      "SELECT * FROM subscribers WHERE status = 'confirmed' AND id > $1 ORDER BY id LIMIT $2",
      [afterId, limit],
    );
    return rows.map(toSubscriber);
  }

  async importCursor(source: string): Promise<number> {
    const { rows } = await this.#query<{ line: string }>(
      'SELECT line FROM imports WHERE source = $1',
      [source],
    );
    return Number(rows[0]?.line ?? 0);
  }

  async publications(q: PublicationQuery): Promise<Publication[]> {
    const text = q.text?.trim().toLowerCase() || null;
    const { rows } = await this.#query<PublicationRow>(
      `SELECT ${PUBLICATION_COLUMNS} FROM publications
       WHERE ($1::text IS NULL OR strpos(lower(statement), $1) > 0 OR strpos(lower(name), $1) > 0)
         AND ($2::text IS NULL OR $2 = ANY(orgs)) AND ($3::text IS NULL OR region = $3)
         AND ($4::text IS NULL OR day LIKE $4) AND ($5::bigint IS NULL OR idx < $5) AND status = $7
       ORDER BY idx DESC LIMIT $6`,
      [
        text,
        q.org || null,
        q.region || null,
        q.year ? `${q.year}-%` : null,
        q.before ?? null,
        q.limit,
        q.status ?? 'approved',
      ],
    );
    return rows.map(toPublication);
  }

  async isVoided(index: number): Promise<boolean> {
    return (await this.#query('SELECT 1 FROM voided WHERE idx = $1', [index])).rowCount === 1;
  }

  async replaceCheckpoint(treeSize: number, note: string): Promise<void> {
    const r = await this.#query('UPDATE checkpoints SET note = $2 WHERE tree_size = $1', [
      treeSize,
      note,
    ]);
    if (r.rowCount !== 1)
      throw new StoreError('not-found', `no checkpoint of tree size ${treeSize}`);
  }

  async checkpointAt(treeSize: number): Promise<string | undefined> {
    return (
      await this.#query<{ note: string }>('SELECT note FROM checkpoints WHERE tree_size = $1', [
        treeSize,
      ])
    ).rows[0]?.note;
  }

  async idempotency(keyId: string): Promise<IdempotencyRecord | undefined> {
    const { rows } = await this.#query<{
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

  // --- The shared pool of a cluster (src/sequencer/cluster.ts) ---

  /**
   * Persists accepted submissions in one statement; returns the id of each, or undefined for one
   * whose idempotency key id is already pending (the caller then answers it as a retry).
   */
  async addPending(
    items: ReadonlyArray<{
      entries: readonly Uint8Array[];
      idem?: { keyId: string; requestHash: string; sealed: Uint8Array } | undefined;
    }>,
  ): Promise<Array<number | undefined>> {
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
    const ids = (
      await this.#query<{ id: string }>(
        "SELECT nextval(pg_get_serial_sequence('pending', 'id')) AS id FROM generate_series(1, $1)",
        [items.length],
      )
    ).rows.map((r) => Number(r.id));
    const rows = items.map((it, i) => ({
      id: ids[i],
      e: it.entries.map(b64),
      k: it.idem?.keyId ?? null,
      h: it.idem?.requestHash ?? null,
      s: it.idem ? b64(it.idem.sealed) : null,
    }));
    const { rows: added } = await this.#query<{ id: string }>(
      `WITH added AS (
         INSERT INTO pending (id, entries, key_id, request_hash, sealed)
         SELECT x.id,
                ARRAY(SELECT decode(v, 'base64') FROM jsonb_array_elements_text(x.e) WITH ORDINALITY AS a(v, n) ORDER BY n),
                x.k, x.h, decode(x.s, 'base64')
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, e jsonb, k text, h text, s text)
         ON CONFLICT (key_id) DO NOTHING
         RETURNING id)
       SELECT id, pg_notify('tuidang_pending', '') FROM added`,
      [JSON.stringify(rows)],
    );
    const inserted = new Set(added.map((r) => Number(r.id)));
    return ids.map((id) => (inserted.has(id) ? id : undefined));
  }

  /** The oldest submissions not yet sequenced, up to about `maxEntries` entries. */
  async takePending(maxEntries: number): Promise<PendingRow[]> {
    const { rows } = await this.#query<{ id: string; entries: Buffer[] }>(
      'SELECT id, entries FROM pending WHERE indexes IS NULL ORDER BY id LIMIT $1',
      [maxEntries],
    );
    const out: PendingRow[] = [];
    let n = 0;
    for (const r of rows) {
      if (out.length > 0 && n + r.entries.length > maxEntries) break;
      out.push({ id: Number(r.id), entries: r.entries.map((b) => new Uint8Array(b)) });
      n += r.entries.length;
    }
    return out;
  }

  /** Pending rows among `ids` (or with `keyId`) that have been sequenced. */
  async sequenced(ids: readonly number[], keyId?: string): Promise<SequencedRow[]> {
    const { rows } = await this.#query<{
      id: string;
      indexes: string[];
      tree_size: string;
      key_id: string | null;
      request_hash: string | null;
      sealed: Buffer | null;
      entries: Buffer[];
    }>(
      'SELECT id, indexes, tree_size, key_id, request_hash, sealed, entries FROM pending WHERE indexes IS NOT NULL AND (id = ANY($1::bigint[]) OR key_id = $2)',
      [ids, keyId ?? null],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      indexes: r.indexes.map(Number),
      treeSize: Number(r.tree_size),
      keyId: r.key_id,
      requestHash: r.request_hash,
      sealed: r.sealed && new Uint8Array(r.sealed),
      entries: r.entries.map((b) => new Uint8Array(b)),
    }));
  }

  /** The pending row of an idempotency key id, sequenced or not. */
  async pendingByKey(keyId: string): Promise<{ id: number; requestHash: string } | undefined> {
    const { rows } = await this.#query<{ id: string; request_hash: string }>(
      'SELECT id, request_hash FROM pending WHERE key_id = $1',
      [keyId],
    );
    const r = rows[0];
    return r && { id: Number(r.id), requestHash: r.request_hash };
  }

  /** Answered: forget the pending rows, and keep sealed receipts for retries, in one transaction. */
  async finishPending(
    ids: readonly number[],
    records: readonly IdempotencyRecord[] = [],
    publications: readonly Publication[] = [],
  ): Promise<void> {
    await this.#ready;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (records.length > 0) {
        await client.query(
          `INSERT INTO idempotency (key_id, request_hash, tree_size, sealed, expires)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bytea[], $5::bigint[]) ON CONFLICT (key_id) DO NOTHING`,
          [
            records.map((r) => r.keyId),
            records.map((r) => r.requestHash),
            records.map((r) => r.treeSize),
            records.map((r) => Buffer.from(r.sealed)),
            records.map((r) => r.expires),
          ],
        );
      }
      await PostgresStore.#insertPublications(client, publications);
      await client.query('DELETE FROM pending WHERE id = ANY($1::bigint[])', [ids]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw new StoreError(
        'unavailable',
        `could not finish pending submissions: ${(e as Error).message}`,
        { cause: e },
      );
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.#ready.catch(() => {});
    await this.pool.end();
  }
}

const PUBLICATION_COLUMNS = 'idx, name, name_kind, statement, orgs, region, day, language, status';

interface PublicationRow {
  idx: string;
  name: string;
  name_kind: 'real' | 'alias';
  statement: string;
  orgs: string[];
  region: string | null;
  day: string;
  language: string;
  status: PublicationStatus;
}

function toPublication(r: PublicationRow): Publication {
  return {
    index: Number(r.idx),
    name: r.name,
    nameKind: r.name_kind,
    statement: r.statement,
    orgs: r.orgs,
    region: r.region ?? undefined,
    day: r.day,
    language: r.language,
    status: r.status,
  };
}

interface SubscriberRow {
  id: string;
  email: string;
  status: Subscriber['status'];
  terms_version: string;
  expires: string;
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
