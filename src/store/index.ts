import { MemoryStore } from './memory.ts';
import { SqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

export { MemoryStore } from './memory.ts';
export { SqliteStore } from './sqlite.ts';
export {
  type Commit,
  type IdempotencyRecord,
  type LogState,
  type Store,
  StoreError,
  type StoreErrorCode,
} from './store.ts';

/** The store for a configuration: SQLite in `dataDir` (PostgreSQL arrives with DATABASE_URL). */
export function openStore(config: { dataDir: string; databaseUrl?: string | undefined }): Store {
  if (config.databaseUrl !== undefined && config.databaseUrl !== '') {
    throw new Error(
      'DATABASE_URL is set, but the PostgreSQL store is not available in this version; unset it to use SQLite',
    );
  }
  return config.dataDir === ':memory:' ? new MemoryStore() : new SqliteStore(config.dataDir);
}
