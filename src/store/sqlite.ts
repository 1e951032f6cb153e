// The embedded store: one SQLite database file in the data directory (see sqlite-db.ts).
import { ComposedStore } from './composed.ts';
import { SqliteCluster } from './sqlite-cluster.ts';
import { SqliteDatabase } from './sqlite-db.ts';
import { SqliteLog } from './sqlite-log.ts';
import { SqliteSite } from './sqlite-site.ts';
import { SqliteVolunteers } from './sqlite-volunteers.ts';
import type { Migration } from './store.ts';

export class SqliteStore extends ComposedStore {
  readonly shared = false;
  readonly log: SqliteLog;
  readonly site: SqliteSite;
  readonly cluster: SqliteCluster;
  readonly volunteers: SqliteVolunteers;
  readonly #db: SqliteDatabase;

  /**
   * Opens (creating if needed) the database in `dir`, or an in-memory database for `:memory:`;
   * an existing one at an older schema only with `migrate` (TUIDANG_MIGRATE=yes).
   */
  constructor(dir: string, options: { migrate?: boolean } = {}) {
    super();
    this.#db = new SqliteDatabase(dir, options);
    this.log = new SqliteLog(this.#db);
    this.site = new SqliteSite(this.#db);
    this.cluster = new SqliteCluster(this.#db);
    this.volunteers = new SqliteVolunteers(this.#db);
  }

  /** What opening did to the schema, if it migrated it (for the log). */
  get migration(): Migration | undefined {
    return this.#db.migration;
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
