// The PostgreSQL connection of a store: the pool, the schema's migrations, transactions, and
// connections of their own for LISTEN and for the sequencer's session lock. The SQL of each
// concern is in postgres-log.ts, postgres-site.ts and postgres-cluster.ts.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { type Migration, StoreError, upgradeRefused } from './store.ts';

// Versioned migrations, applied in order at start under an advisory lock (several nodes may start
// at once); schema_version records how many ran.
export const MIGRATIONS = [
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
  // Proof-of-work solutions and form tickets already used on some node (SHA-256 of kind and token).
  `CREATE TABLE spent_tokens (token_hash BYTEA PRIMARY KEY, expires BIGINT NOT NULL);
   CREATE INDEX spent_tokens_expires ON spent_tokens (expires);`,
  // Staff sign-in throttling by keyed hashes of (account, address) and of the address alone.
  `CREATE TABLE sign_in_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, at BIGINT NOT NULL, until BIGINT NOT NULL);
   CREATE INDEX sign_in_throttle_at ON sign_in_throttle (at);
   CREATE INDEX publications_status ON publications (status, idx);`,
  // The node that accepted each queued submission, and when each node was last seen alive: rows
  // of a node that died are reclaimed once sequenced.
  `ALTER TABLE pending ADD COLUMN node TEXT;
   CREATE TABLE nodes (id TEXT PRIMARY KEY, seen BIGINT NOT NULL);`,
  // When each publication was first approved: approved ones are listed newest approval first.
  // Those approved before count as approved at 0, in their old order (by index).
  `ALTER TABLE publications ADD COLUMN approved_at BIGINT;
   UPDATE publications SET approved_at = 0 WHERE status = 'approved';
   CREATE INDEX publications_approved ON publications (status, approved_at, idx);`,
  // The log's verifier key, recorded at the first start: another key is refused (log-key.ts).
  'CREATE TABLE log_key (id INTEGER PRIMARY KEY CHECK (id = 1), vkey TEXT NOT NULL);',
  // Staff second factors: each account's TOTP secret, sealed (AES-256-GCM) under a key derived
  // from the signing key, and its recovery codes as SHA-256 hashes (each used once).
  `ALTER TABLE staff_users ADD COLUMN second_factor TEXT;
   CREATE TABLE staff_recovery_codes (username TEXT NOT NULL, code_hash TEXT NOT NULL, PRIMARY KEY (username, code_hash));`,
  // What staff declare for others: each form's batch (its entries, the ids of its recorded rows,
  // a void) and each account's declarants per hour, for its budget. Times on the hour.
  `CREATE TABLE volunteer_batches (
     id BIGSERIAL PRIMARY KEY,
     key_id TEXT NOT NULL UNIQUE,
     username TEXT NOT NULL,
     channel TEXT NOT NULL,
     language TEXT NOT NULL,
     hour BIGINT NOT NULL,
     rows TEXT NOT NULL,
     entries TEXT NOT NULL,
     voided TEXT
   );
   CREATE TABLE volunteer_hours (
     username TEXT NOT NULL,
     hour BIGINT NOT NULL,
     declared INTEGER NOT NULL,
     PRIMARY KEY (username, hour)
   );`,
  // Timing privacy (docs/timing-privacy.md): no time finer than an hour, and no checkpoint of a
  // commit between two publications. Checkpoints kept: those published, and the latest; the
  // latest publication (its size, totals and instant) is what every node serves. Spent tokens
  // keep the hour they expire in; audit times and session expiries are on the hour;
  // unsubscribed addresses are deleted.
  `ALTER TABLE checkpoints ADD COLUMN published BOOLEAN NOT NULL DEFAULT FALSE;
   DELETE FROM checkpoints WHERE tree_size < (SELECT max(tree_size) FROM checkpoints);
   CREATE TABLE publication (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size BIGINT NOT NULL, json JSONB NOT NULL, at BIGINT NOT NULL);
   UPDATE spent_tokens SET expires = ((expires + 3599999) / 3600000) * 3600;
   UPDATE audit_log SET at = (at / 3600) * 3600;
   UPDATE staff_sessions SET expires = ((expires + 3599) / 3600) * 3600;
   UPDATE subscribers SET expires = ((expires + 3599) / 3600) * 3600;
   DELETE FROM subscribers WHERE status = 'unsubscribed';`,
  // Each import source's fingerprint of the lines it committed (src/import/chunks.ts): a resumed
  // import refuses an input that does not begin with them, instead of passing over its lines.
  'ALTER TABLE imports ADD COLUMN prefix TEXT;',
  // The imported records' tally in a row of its own, written only by the commits that change it
  // (an import's): with the whole history by day it is 125 KB of JSON, which every commit of a
  // declaration wrote again, and every reader parsed again, when it was part of the totals row.
  `CREATE TABLE totals_imported (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size BIGINT NOT NULL, json JSONB NOT NULL);
   INSERT INTO totals_imported (id, tree_size, json) SELECT 1, tree_size, json->'imported' FROM totals;
   UPDATE totals SET json = json - 'imported';`,
];

/** The schema version this program writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * An advisory lock key of this schema: a registry in another schema of the same database takes
 * other keys, so two logs never wait for each other's sequencer (or migrations).
 */
export function lockKey(purpose: 'migrate' | 'sequence', schema: string): string {
  const digest = createHash('sha256').update(`tuidang/lock/${purpose}/v1\n${schema}`).digest();
  return digest.readBigInt64BE(0).toString();
}

export class PgDatabase {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly #url: string;
  readonly #ready: Promise<void>;
  #migration: Migration | undefined;

  /**
   * `schema` isolates one log per schema (tests use one schema per run). An existing schema at an
   * older version is migrated only with `migrate` (TUIDANG_MIGRATE=yes), and only while no node
   * sequences the log.
   */
  constructor(url: string, options: { schema?: string; max?: number; migrate?: boolean } = {}) {
    const schema = options.schema ?? 'tuidang';
    if (!/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new StoreError('unavailable', `invalid schema name ${schema}`);
    this.schema = schema;
    this.#url = url;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 8,
      options: `-c search_path=${schema}`,
    });
    // A broken idle connection must not crash the process: the next query reports the error.
    this.pool.on('error', () => {});
    this.#ready = this.#migrate(options.migrate ?? false);
    this.#ready.catch(() => {}); // reported to whoever awaits ready() or queries
  }

  /** Resolves once the schema is migrated; rejects with what to fix if the database is unreachable. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** What opening did to the schema (after ready()), if it had to migrate it. */
  get migration(): Migration | undefined {
    return this.#migration;
  }

  async #migrate(allowed: boolean): Promise<void> {
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
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [
        lockKey('migrate', this.schema),
      ]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
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
      if (version === MIGRATIONS.length) {
        await client.query('COMMIT');
        return;
      }
      if (version > 0) {
        if (!allowed) throw upgradeRefused(version, MIGRATIONS.length, 'pg_dump');
        // Never under a running sequencer of the older version: it would write rows the new
        // schema does not expect. Its session holds this lock while it sequences.
        const { rows: free } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_xact_lock($1::bigint) AS ok',
          [lockKey('sequence', this.schema)],
        );
        if (!free[0]?.ok)
          throw new StoreError(
            'conflict',
            `a node still sequences this log with schema version ${version}: stop every node of the cluster, then start the upgraded ones (docs/upgrading.md)`,
          );
      }
      for (let v = version; v < MIGRATIONS.length; v++) await client.query(MIGRATIONS[v] as string);
      if (version > 0) this.#migration = { from: version, to: MIGRATIONS.length };
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

  /** One statement on a pooled connection; a driver error becomes a StoreError `unavailable`. */
  async query<R extends pg.QueryResultRow>(
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
   * Runs `work` in one transaction: committed if it returns, rolled back if it throws. A
   * StoreError from `work` passes as it is; any other error becomes `unavailable`, with `what`.
   */
  async transaction<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.#ready;
    const client = await this.pool.connect().catch((cause: unknown) => {
      throw new StoreError('unavailable', `${what}: ${(cause as Error).message}`, { cause });
    });
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      if (e instanceof StoreError) throw e;
      throw new StoreError('unavailable', `${what}: ${(e as Error).message}`, { cause: e });
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
      options: `-c search_path=${this.schema}`,
    });
    client.on('error', () => {}); // reported through the 'end' event and failing queries
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    await this.#ready.catch(() => {});
    await this.pool.end();
  }
}
