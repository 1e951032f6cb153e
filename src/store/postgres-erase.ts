// Erasing text from PostgreSQL's table files. A deleted or updated row stays in its table as a
// dead row version, and even a plain VACUUM leaves its bytes in the pages' free space; VACUUM FULL
// writes the table anew and deletes the old files. But it copies every dead version that some
// transaction may still see: while a snapshot taken before the erasure committed is open (a
// pg_dump running, a long report, a replica's hot-standby feedback, a prepared transaction), the
// erased text goes into the new files too. And VACUUM FULL waits for the locks such a transaction
// holds (pg_dump holds one on every table), with every reader of the table queued behind it. So a
// table is rewritten only once no snapshot older than its latest erasure is left (erasure.ts
// retries until then).
import { PendingErasure } from './erasure.ts';
import type { PgDatabase } from './postgres-db.ts';

/**
 * What may still see a row version that transaction `$1` deleted: a session of this database (or
 * a walsender, for a replica's feedback) whose snapshot's oldest transaction ID is `$1` or older
 * (but plain VACUUMs, which the horizon ignores); a transaction of any database that began before
 * `$1` (VACUUM FULL's own snapshot then reaches back to it); a prepared transaction or a
 * replication slot as old. `age()` compares transaction IDs across wraparound.
 */
const OLDER_SNAPSHOTS = `SELECT
  (SELECT count(*) FROM pg_stat_activity
   WHERE pid <> pg_backend_pid() AND pid NOT IN (SELECT pid FROM pg_stat_progress_vacuum)
     AND (age(backend_xid) >= age($1::xid)
       OR ((datid IS NULL OR datname = current_database()) AND age(backend_xmin) >= age($1::xid))))
  + (SELECT count(*) FROM pg_prepared_xacts WHERE age(transaction) >= age($1::xid))
  + (SELECT count(*) FROM pg_replication_slots WHERE age(xmin) >= age($1::xid)) AS n`;

/** How long the rewrite waits for its lock before it gives up, to be tried again later. */
const LOCK_TIMEOUT_MS = 1_000;

/** The SQL to add to a DELETE or UPDATE: its `xid` column is what {@link rewriteAfter} takes. */
export const RETURNING_XID = 'RETURNING pg_current_xact_id()::text AS xid';

/**
 * Rewrites `table` (VACUUM FULL) if nothing can still see what transaction `xid` (a 64-bit
 * `pg_current_xact_id()`, committed) deleted: whether it did. Throws if the table's lock is not
 * free within a second (a pg_dump that began after the erasure holds one): every reader of the
 * table queues behind a rewrite that waits for it, so it is tried again later, not at once.
 */
export async function rewriteAfter(db: PgDatabase, table: string, xid: bigint): Promise<boolean> {
  // pg_stat_activity shows 32-bit transaction IDs.
  const { rows } = await db.query<{ n: string }>(OLDER_SNAPSHOTS, [(xid % 2n ** 32n).toString()]);
  if (Number(rows[0]?.n ?? 0) > 0) return false;
  const client = await db.pool.connect();
  // A borrowed client has no error listener: a connection lost meanwhile would crash the process.
  const onError = () => {};
  client.on('error', onError);
  let failed: Error | undefined;
  try {
    await client.query(`SET lock_timeout = ${LOCK_TIMEOUT_MS}`);
    await client.query(`VACUUM (FULL) ${table}`);
    await client.query('RESET lock_timeout');
  } catch (e) {
    failed = e as Error;
    throw e;
  } finally {
    client.off('error', onError);
    // A connection whose statement failed is dropped, not given back with lock_timeout still set.
    client.release(failed ?? false);
  }
  return true;
}

/** One table's erasures: the latest transaction that erased text from it, and the rewrite after it. */
export class TableErasure {
  readonly pending: PendingErasure;
  #latest = 0n;

  constructor(db: PgDatabase, table: string) {
    this.pending = new PendingErasure(() => rewriteAfter(db, table, this.#latest));
  }

  /** The transaction that returned `row` ({@link RETURNING_XID}; none: nothing erased) erased text. */
  async erased(row: { xid: string } | undefined): Promise<void> {
    if (row === undefined) return;
    const xid = BigInt(row.xid);
    if (xid > this.#latest) this.#latest = xid;
    await this.pending.erased();
  }
}
