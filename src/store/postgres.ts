// The PostgreSQL store: for more than one machine. Several `tuidang serve` processes share one
// database; they accept declarations into a shared `pending` table, and one of them at a time
// (whoever holds the advisory lock) sequences them. See src/sequencer/cluster.ts. The store is its
// log (postgres-log.ts); the site, the cluster capability and the volunteers' ledger are parts.
import { PostgresCluster } from './postgres-cluster.ts';
import { PgDatabase } from './postgres-db.ts';
import { PostgresLog } from './postgres-log.ts';
import { PostgresSite } from './postgres-site.ts';
import { PostgresVolunteers } from './postgres-volunteers.ts';
import type { Migration, Store } from './store.ts';

export class PostgresStore extends PostgresLog implements Store {
  readonly shared = true;
  readonly site: PostgresSite;
  readonly cluster: PostgresCluster;
  readonly volunteers: PostgresVolunteers;
  readonly #db: PgDatabase;
  /** The schema that holds this log's tables. */
  readonly schema: string;

  /** `schema` isolates one log per schema (tests use one schema per run). */
  constructor(url: string, options: { schema?: string; max?: number; migrate?: boolean } = {}) {
    const db = new PgDatabase(url, options);
    super(db);
    this.#db = db;
    this.schema = db.schema;
    this.site = new PostgresSite(db);
    this.cluster = new PostgresCluster(db);
    this.volunteers = new PostgresVolunteers(db);
  }

  /** Resolves once the schema is migrated; rejects with what to fix if the database is unreachable. */
  ready(): Promise<void> {
    return this.#db.ready();
  }

  /** What opening did to the schema (after ready()), if it migrated it (for the log). */
  get migration(): Migration | undefined {
    return this.#db.migration;
  }

  close(): Promise<void> {
    this.site.erasures.close();
    return this.#db.close();
  }
}
