// A witness's memory (`tuidang witness`, src/witness/): the latest cosigned tree size and root of
// each log, in SQLite. The check of the old size and the update are one transaction, and it is
// durable before the witness answers (c2sp.org/tlog-witness: otherwise two requests could roll
// the recorded size back).
import { DatabaseSync } from 'node:sqlite';
import { privateFile } from './sqlite-db.ts';

/** The witness's database file in its data directory. */
export const WITNESS_DATABASE_FILE = 'witness.db';

export interface Latest {
  readonly size: number;
  readonly root: Uint8Array;
}

export class WitnessState {
  readonly #db: DatabaseSync;
  readonly #get;
  readonly #put;

  constructor(dir: string) {
    // 0700 and 0600 whatever the umask, like the registry's own files.
    this.#db = new DatabaseSync(dir === ':memory:' ? dir : privateFile(dir, WITNESS_DATABASE_FILE));
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('PRAGMA synchronous = FULL'); // a cosignature promises the state survives
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS logs (origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL)',
    );
    this.#get = this.#db.prepare('SELECT size, root FROM logs WHERE origin = ?');
    this.#put = this.#db.prepare(
      'INSERT OR REPLACE INTO logs (origin, size, root) VALUES (?, ?, ?)',
    );
  }

  latest(origin: string): Latest | undefined {
    return this.#get.get(origin) as Latest | undefined;
  }

  /**
   * Runs `decide` on the recorded state inside one transaction; if it returns a new state, that
   * is stored before the transaction commits. Whatever `decide` throws rolls everything back.
   */
  update<T>(
    origin: string,
    decide: (current: Latest | undefined) => { next?: Latest; result: T },
  ): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const { next, result } = decide(this.latest(origin));
      if (next) this.#put.run(origin, next.size, next.root);
      this.#db.exec('COMMIT');
      return result;
    } catch (e) {
      this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
