import { MemoryStore } from './memory.ts';
import { PostgresStore } from './postgres.ts';
import { SqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

export { checkLogKey, LogKeyError } from './log-key.ts';
export { MemoryStore } from './memory.ts';
export { PostgresStore } from './postgres.ts';
export {
  type AuditEntry,
  type AuditRecord,
  type ModerationQueue,
  type SignInThrottle,
  type SiteStore,
  STAFF_ROLES,
  type StaffRole,
  type StaffSession,
  type StaffUser,
  type Subscriber,
} from './site-store.ts';
export { SqliteStore } from './sqlite.ts';
export {
  backupDatabase,
  DATABASE_FILE,
  DATABASE_FILES,
  databasePath,
  hasDatabase,
  writerBusy,
} from './sqlite-db.ts';
export {
  type ClusterStore,
  type Commit,
  type FingerprintedImport,
  type IdempotencyRecord,
  type ImportCursor,
  type LogState,
  type LogStore,
  type Migration,
  type PendingItem,
  type PendingRow,
  type PublishedLog,
  type QueueListener,
  type SequencedRow,
  type SequencerLock,
  type Store,
  StoreError,
  type StoreErrorCode,
} from './store.ts';

/**
 * The store for a configuration: PostgreSQL when `databaseUrl` is set (schema `databaseSchema`,
 * default `tuidang`), else SQLite in `dataDir` (`:memory:` for an in-memory store).
 */
export function openStore(config: {
  dataDir: string;
  databaseUrl?: string | undefined;
  databaseSchema?: string | undefined;
  /** Migrate an existing database to this program's schema (TUIDANG_MIGRATE=yes). */
  migrate?: boolean;
}): Store {
  const migrate = config.migrate ?? false;
  if (config.databaseUrl !== undefined && config.databaseUrl !== '') {
    return new PostgresStore(config.databaseUrl, {
      ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
      migrate,
    });
  }
  return config.dataDir === ':memory:'
    ? new MemoryStore()
    : new SqliteStore(config.dataDir, { migrate });
}
export type {
  BudgetCounts,
  VolunteerBatch,
  VolunteerBudget,
  VolunteerDay,
  VolunteerLedger,
} from './volunteers.ts';
export { type Latest, WITNESS_DATABASE_FILE, WitnessState } from './witness-state.ts';
