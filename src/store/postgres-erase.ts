// Erasing text from PostgreSQL's table files. A deleted or updated row stays in its table as a
// dead row version, and even a plain VACUUM leaves its bytes in the pages' free space; VACUUM FULL
// writes the table anew and deletes the old files. But it copies every dead version that some
// transaction may still see: while a snapshot taken before the erasure committed is open (a
// pg_dump running, a long report, a replica's hot-standby feedback, a prepared transaction), the
// erased text goes into the new files too. And VACUUM FULL waits for the locks such a transaction
// holds (pg_dump holds one on every table), with every reader of the table queued behind it.
//
// So a table is rewritten only once no snapshot older than its latest erasure is left: the
// erasure waits for that a few seconds at most, then leaves the rewrite to a retry in the
// background, which tries again with growing pauses until those transactions have ended.
import type { PgDatabase } from './postgres-db.ts';

/** How long an erasure waits for older snapshots before leaving the rewrite to the background. */
export const ERASE_WAIT_MS = 3_000;
/** The background retry's first and longest pause. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/**
 * Sessions, prepared transactions and replication slots (this database's, and walsenders') whose
 * snapshot may still see a row version that transaction `$1` deleted: their oldest transaction ID
 * is `$1` or older. `age()` compares transaction IDs across wraparound.
 */
const OLDER_SNAPSHOTS = `SELECT
  (SELECT count(*) FROM pg_stat_activity
   WHERE pid <> pg_backend_pid() AND (datid IS NULL OR datname = current_database())
     AND (age(backend_xmin) >= age($1::xid) OR age(backend_xid) >= age($1::xid)))
  + (SELECT count(*) FROM pg_prepared_xacts WHERE age(transaction) >= age($1::xid))
  + (SELECT count(*) FROM pg_replication_slots WHERE age(xmin) >= age($1::xid)) AS n`;

/** The 32-bit transaction ID (as `pg_stat_activity` shows them) of a `pg_current_xact_id()`. */
const xid32 = (xid8: string) => (BigInt(xid8) % 2n ** 32n).toString();

/** The SQL to add to a DELETE or UPDATE: the `xid` column then holds what {@link Eraser.erased} takes. */
export const RETURNING_XID = 'RETURNING pg_current_xact_id()::text AS xid';

export class Eraser {
  readonly #db: PgDatabase;
  readonly #table: string;
  /** The latest erasure (its 64-bit transaction ID) that no rewrite has yet removed. */
  #pending: bigint | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = RETRY_FIRST_MS;
  #closed = false;
  readonly #settled: Array<() => void> = [];
  readonly #rewrite = coalesced(() => this.#rewriteOnce());

  constructor(db: PgDatabase, table: string) {
    this.#db = db;
    this.#table = table;
  }

  /**
   * Rows were deleted or updated by transaction `xid` (committed): rewrites the table once no
   * older snapshot remains, waiting {@link ERASE_WAIT_MS} at most, then leaves it to the
   * background. Erasures that arrive during a rewrite share the next.
   */
  async erased(xid: string): Promise<void> {
    const x = BigInt(xid);
    if (this.#pending === undefined || x > this.#pending) this.#pending = x;
    await this.#rewrite();
    if (this.#pending !== undefined) this.#later();
  }

  /** Whether an erasure still waits for older transactions to end before its table is rewritten. */
  get waiting(): boolean {
    return this.#pending !== undefined;
  }

  /** Resolves once no erasure waits (at once if none does). */
  settled(): Promise<void> {
    if (this.#pending === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#settled.push(resolve));
  }

  /** Stops the background retry: what still waits is rewritten at the next erasure. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
  }

  async #rewriteOnce(): Promise<void> {
    const target = this.#pending;
    if (target === undefined) return;
    const deadline = Date.now() + ERASE_WAIT_MS;
    for (
      let pause = 20;
      (await this.#olderSnapshots(target)) > 0;
      pause = Math.min(pause * 2, 500)
    ) {
      if (Date.now() + pause > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    await this.#db.query(`VACUUM (FULL) ${this.#table}`);
    if (this.#pending === target) {
      this.#pending = undefined;
      this.#retryMs = RETRY_FIRST_MS;
      for (const resolve of this.#settled.splice(0)) resolve();
    }
  }

  async #olderSnapshots(xid: bigint): Promise<number> {
    const { rows } = await this.#db.query<{ n: string }>(OLDER_SNAPSHOTS, [xid32(xid.toString())]);
    return Number(rows[0]?.n ?? 0);
  }

  #later(): void {
    if (this.#retry !== undefined || this.#closed) return;
    this.#retry = setTimeout(async () => {
      this.#retry = undefined;
      try {
        await this.#rewrite();
      } catch {
        // The database is unreachable for now: the next try will tell.
      }
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
      if (this.#pending !== undefined) this.#later();
    }, this.#retryMs);
    this.#retry.unref();
  }
}

/**
 * `run`, one at a time: a call while it runs is queued behind it, and every call that arrives
 * meanwhile shares that one queued run.
 */
export function coalesced(run: () => Promise<unknown>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  return () => {
    if (next !== undefined) return next;
    const mine: Promise<void> = (running ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        next = undefined;
        running = mine;
        try {
          await run();
        } finally {
          if (running === mine) running = undefined;
        }
      });
    next = mine;
    return mine;
  };
}
