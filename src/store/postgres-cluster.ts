// The cluster capability on PostgreSQL: the shared `pending` queue, the sequencer's session
// advisory lock (its key derived from the schema), LISTEN/NOTIFY, and the spent-token ledger.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Publication } from '../registry/index.ts';
import { lockKey, type PgDatabase, SCHEMA_VERSION } from './postgres-db.ts';
import { idempotencyInsert, parameters } from './postgres-log.ts';
import { NEW_PUBLICATION_COLUMNS, publicationRows, publicationsJson } from './postgres-site.ts';
import { SpentPruning, spentExpiry, spentTokenHash } from './spent.ts';
import {
  type ClusterStore,
  type IdempotencyRecord,
  type PendingItem,
  type PendingRow,
  type QueueListener,
  type SequencedRow,
  type SequencerLock,
  StoreError,
} from './store.ts';

const RECONNECT_MS = 1000;

export class PostgresCluster implements ClusterStore {
  readonly #db: PgDatabase;
  /** This process's name in `pending.node` and `nodes`. */
  readonly #node = randomUUID();
  readonly #pruning = new SpentPruning();

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  /** One statement: ids from the sequence, the rows, and the wake-up of the sequencer. */
  async addPending(
    items: readonly PendingItem[],
    { quiet = false }: { quiet?: boolean } = {},
  ): Promise<Array<number | undefined>> {
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
    const rows = items.map((it, i) => ({
      i,
      e: it.entries.map(b64),
      k: it.idem?.keyId ?? null,
      h: it.idem?.requestHash ?? null,
      s: it.idem ? b64(it.idem.sealed) : null,
    }));
    // nextval makes `x` volatile, so it is evaluated once, however often it is read.
    const { rows: got } = await this.#db.query<{ i: number; id: string; inserted: boolean }>(
      `WITH x AS (
         SELECT nextval(pg_get_serial_sequence('pending', 'id')) AS id, r.*
         FROM jsonb_to_recordset($1::jsonb) AS r(i int, e jsonb, k text, h text, s text)),
       added AS (
         INSERT INTO pending (id, entries, key_id, request_hash, sealed, node)
         SELECT x.id,
                ARRAY(SELECT decode(v, 'base64') FROM jsonb_array_elements_text(x.e) WITH ORDINALITY AS a(v, n) ORDER BY n),
                x.k, x.h, decode(x.s, 'base64'), $2
         FROM x
         -- A keyed request already finished on another node (its row gone, its record kept) is
         -- not queued again: the caller replays the record.
         WHERE x.k IS NULL OR NOT EXISTS (SELECT 1 FROM idempotency i WHERE i.key_id = x.k)
         ON CONFLICT (key_id) DO NOTHING
         RETURNING id)
       SELECT x.i, x.id, x.id IN (SELECT id FROM added) AS inserted,
              CASE WHEN x.i = 0 AND NOT $3::boolean AND EXISTS (SELECT 1 FROM added) THEN pg_notify('tuidang_pending', '') END
       FROM x`,
      [JSON.stringify(rows), this.#node, quiet],
    );
    const out: Array<number | undefined> = items.map(() => undefined);
    for (const r of got) if (r.inserted) out[r.i] = Number(r.id);
    return out;
  }

  async takePending(maxEntries: number, mine?: readonly number[]): Promise<PendingRow[]> {
    const { rows } = await this.#db.query<{ id: string; entries: Buffer[] }>(
      mine === undefined
        ? 'SELECT id, entries FROM pending WHERE indexes IS NULL ORDER BY id LIMIT $1'
        : `SELECT id, entries FROM pending WHERE indexes IS NULL
             AND (node IS DISTINCT FROM $2 OR id = ANY($3::bigint[])) ORDER BY id LIMIT $1`,
      mine === undefined ? [maxEntries] : [maxEntries, this.#node, mine],
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

  async sequenced(ids: readonly number[], keyId?: string): Promise<SequencedRow[]> {
    const { rows } = await this.#db.query<{
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

  async pendingByKey(keyId: string): Promise<{ id: number; requestHash: string } | undefined> {
    const { rows } = await this.#db.query<{ id: string; request_hash: string }>(
      'SELECT id, request_hash FROM pending WHERE key_id = $1',
      [keyId],
    );
    const r = rows[0];
    return r && { id: Number(r.id), requestHash: r.request_hash };
  }

  /** One statement, so atomic and one round trip: receipts and publications kept, rows gone. */
  async finishPending(
    ids: readonly number[],
    records: readonly IdempotencyRecord[] = [],
    publications: readonly Publication[] = [],
  ): Promise<void> {
    const { values, $ } = parameters();
    const writes = [`DELETE FROM pending WHERE id = ANY(${$(ids)}::bigint[])`];
    if (records.length > 0) writes.push(idempotencyInsert(records, $, true));
    if (publications.length > 0)
      writes.push(
        `INSERT INTO publications ${NEW_PUBLICATION_COLUMNS} ${publicationRows($(publicationsJson(publications)))}`,
      );
    await this.#db.query(
      `WITH ${writes.map((w, i) => `w${i} AS (${w})`).join(',\n')} SELECT 1`,
      values,
    );
  }

  async heartbeat(now: number): Promise<void> {
    await this.#db.query(
      'INSERT INTO nodes (id, seen) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET seen = GREATEST(nodes.seen, EXCLUDED.seen)',
      [this.#node, now],
    );
  }

  reclaimPending(staleBefore: number): Promise<number> {
    return this.#db.transaction('could not reclaim pending submissions', async (client) => {
      const r = await client.query(
        `DELETE FROM pending p WHERE p.indexes IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = p.node AND n.seen >= $1)`,
        [staleBefore],
      );
      await client.query('DELETE FROM nodes WHERE seen < $1', [staleBefore]);
      return r.rowCount ?? 0;
    });
  }

  async lockSequencer(onLost?: () => void): Promise<SequencerLock | undefined> {
    const client = await this.#db.dedicatedClient();
    let released = false;
    try {
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS ok',
        [lockKey('sequence', this.#db.schema)],
      );
      if (!rows[0]?.ok) {
        await client.end();
        return undefined;
      }
      // A newer tuidang may have migrated the schema while this node did not sequence: this
      // node's code would write what the new schema does not expect, so it does not sequence.
      const { rows: v } = await client.query<{ version: number }>(
        'SELECT version FROM schema_version',
      );
      const version = v[0]?.version ?? 0;
      if (version > SCHEMA_VERSION)
        throw new StoreError(
          'conflict',
          `the database was upgraded to schema version ${version} by a newer tuidang; this node (schema ${SCHEMA_VERSION}) does not sequence it: upgrade this node`,
        );
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    // The lock is the session's: when the connection ends, for whatever reason, it is free again.
    client.on('end', () => {
      if (!released) onLost?.();
    });
    return {
      async release() {
        released = true;
        await client.end().catch(() => {});
      },
    };
  }

  async listen(on: { pending?: () => void; sequenced?: () => void }): Promise<QueueListener> {
    let closed = false;
    let current: pg.Client | undefined;
    const connect = async (): Promise<void> => {
      const client = await this.#db.dedicatedClient();
      client.on('notification', (n) => {
        if (n.channel === 'tuidang_sequenced') on.sequenced?.();
        else if (n.channel === 'tuidang_pending') on.pending?.();
      });
      client.on('end', () => {
        // Polling goes on meanwhile; reconnect so that answers stay fast.
        if (current === client) current = undefined;
        if (!closed) setTimeout(() => void connect().catch(() => {}), RECONNECT_MS).unref();
      });
      await client.query('LISTEN tuidang_sequenced');
      await client.query('LISTEN tuidang_pending');
      if (closed) await client.end();
      else current = client;
    };
    await connect();
    return {
      async close() {
        closed = true;
        await current?.end().catch(() => {});
      },
    };
  }

  async spendOnce(kind: string, token: string, expiresAtMs: number): Promise<boolean> {
    const before = this.#pruning.due(Date.now());
    if (before !== undefined)
      await this.#db.query('DELETE FROM spent_tokens WHERE expires <= $1', [before]);
    const { rowCount } = await this.#db.query(
      'INSERT INTO spent_tokens (token_hash, expires) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [spentTokenHash(kind, token), spentExpiry(expiresAtMs)],
    );
    return rowCount === 1;
  }
}
