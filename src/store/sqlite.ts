// The embedded store: one SQLite database file in the data directory (see sqlite-db.ts). The store
// is its log (sqlite-log.ts); the site, the cluster capability and the volunteers' ledger are parts.
import { SqliteCluster } from './sqlite-cluster.ts';
import { SqliteDatabase } from './sqlite-db.ts';
import { SqliteLog } from './sqlite-log.ts';
import { SqliteSite } from './sqlite-site.ts';
import { SqliteVolunteers } from './sqlite-volunteers.ts';
import type { Migration, Store } from './store.ts';

export class SqliteStore extends SqliteLog implements Store {
  readonly shared = false;
  readonly site: SqliteSite;
  readonly cluster: SqliteCluster;
  readonly volunteers: SqliteVolunteers;
  readonly #db: SqliteDatabase;

  /**
   * Opens (creating if needed) the database in `dir`, or an in-memory database for `:memory:`;
   * an existing one at an older schema only with `migrate` (TUIDANG_MIGRATE=yes).
   */
  constructor(dir: string, options: { migrate?: boolean } = {}) {
    const db = new SqliteDatabase(dir, options);
    super(db);
    this.#db = db;
    this.site = new SqliteSite(db);
    this.cluster = new SqliteCluster(db);
    this.volunteers = new SqliteVolunteers(db);
  }

  /** What opening did to the schema, if it migrated it (for the log). */
  get migration(): Migration | undefined {
    return this.#db.migration;
  }

  async close(): Promise<void> {
    this.site.erasures.close();
    this.#db.close();
  }
}
