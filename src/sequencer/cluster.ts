// Sequencing with several web nodes on one PostgreSQL database. Every node accepts declarations
// and persists them in the shared `pending` table; exactly one node at a time, the holder of a
// session advisory lock, takes pending rows and logs them in one transaction with the LogWriter.
// The accepting node hears (LISTEN/NOTIFY, with polling as a fallback) that its rows were
// sequenced, builds the receipts from the salts it kept in memory, and answers.
//
// If the sequencing node dies, its session ends and PostgreSQL frees the lock: another node takes
// it within a second or two. Two nodes that both believe they sequence can never fork the log:
// every commit locks the log's state row and checks the tree size it builds on.
import { TuidangError } from '../errors/index.ts';
import type { NodeCache, ReadTiles } from '../log/index.ts';
import {
  type DeclarationEntry,
  decodeEntry,
  encodeEntry,
  type Receipt,
  type Submission,
  type VoidReason,
} from '../registry/index.ts';
import type {
  ClusterStore,
  QueueListener,
  SequencedRow,
  SequencerLock,
  Store,
} from '../store/index.ts';
import { seal, unseal } from './idempotency.ts';
import { type Prepared, prepare, receiptCores, receipts, withIndexes } from './prepare.ts';
import {
  type Declarations,
  IdempotencyConflictError,
  type IdempotencyInfo,
  type Inflight,
  idempotent,
  PoolFullError,
  type Resolved,
  replayRecord,
  type SequencerOptions,
  SequencingError,
  sealRecord,
  unixNow,
  voidEntries,
  type Waiting,
  withDefaults,
} from './sequencer.ts';
import { count, FailureRun, reportFailure } from './telemetry.ts';
import { LogWriter } from './writer.ts';

const POLL_MS = 200;
/**
 * How often a node that does not sequence tries to take the lock. With PostgreSQL freeing the lock
 * as soon as the sequencing process dies, this bounds the takeover: at most this, plus starting the
 * writer, one commit and one answer (the failover test measures it, well under 1.5 s).
 */
const LEAD_RETRY_MS = 250;
/** Every node says it is alive this often; a node silent for STALE_SECONDS is taken for dead. */
const HEARTBEAT_MS = 5000;
const STALE_SECONDS = 60;
/** How often the sequencing node removes the sequenced rows of dead nodes. */
const RECLAIM_MS = 30_000;

export class ClusterSequencer implements Declarations {
  readonly #store: Store;
  readonly #queue: ClusterStore;
  readonly #opts: Resolved;
  readonly #writer: LogWriter;
  readonly #waiting = new Map<number, Waiting>();
  readonly #inflight: Inflight = new Map();
  #waitingDeclarants = 0;
  #toInsert: Array<{
    prepared: Prepared;
    idempotency: IdempotencyInfo | undefined;
    resolve: (id: number | undefined) => void;
    reject: (e: unknown) => void;
  }> = [];
  #inserting = false;
  #listener: QueueListener | undefined;
  #lock: SequencerLock | undefined;
  #sequencing = false;
  #again = false;
  #collecting = false;
  #closed = false;
  /** A #tryLead is under way (timers must not start a second one meanwhile). */
  #leading = false;
  #reclaimMs = RECLAIM_MS;
  #timers: NodeJS.Timeout[] = [];
  readonly #commitFailures: FailureRun;
  readonly #answerFailures: FailureRun;
  readonly #leadFailures: FailureRun;
  readonly #heartbeatFailures: FailureRun;
  readonly #reclaimFailures: FailureRun;

  private constructor(store: Store, opts: SequencerOptions) {
    this.#store = store;
    this.#queue = store.cluster;
    this.#opts = withDefaults(opts);
    const t = this.#opts.telemetry;
    this.#writer = new LogWriter(store, opts.origin, opts.signer, opts.witnesses, t);
    this.#commitFailures = new FailureRun(t, 'commit');
    this.#answerFailures = new FailureRun(t, 'answer');
    this.#leadFailures = new FailureRun(t, 'lead');
    this.#heartbeatFailures = new FailureRun(t, 'heartbeat');
    this.#reclaimFailures = new FailureRun(t, 'reclaim');
    t.metrics.leader(false);
  }

  /** `reclaimMs`: how often the sequencing node reclaims rows of dead nodes (tests shorten it). */
  static async open(
    store: Store,
    opts: SequencerOptions,
    { reclaimMs = RECLAIM_MS }: { reclaimMs?: number } = {},
  ): Promise<ClusterSequencer> {
    const c = new ClusterSequencer(store, opts);
    c.#reclaimMs = reclaimMs;
    await c.#listen();
    await c.#heartbeat();
    await c.#tryLead();
    c.#timers.push(
      setInterval(() => void c.#collect(), POLL_MS),
      setInterval(() => void c.#tryLead(), LEAD_RETRY_MS),
      setInterval(() => void c.#sequence(), POLL_MS),
      setInterval(() => void c.#heartbeat(), HEARTBEAT_MS),
      setInterval(() => void c.#reclaim(), reclaimMs),
    );
    for (const t of c.#timers) t.unref();
    return c;
  }

  get poolDepth(): number {
    return this.#waitingDeclarants;
  }

  /** Whether this node currently holds the right to sequence. */
  get isLeader(): boolean {
    return this.#lock !== undefined;
  }

  async #listen(): Promise<void> {
    // The store reconnects a lost listener; polling goes on meanwhile.
    this.#listener = await this.#queue.listen({
      sequenced: () => void this.#collect(),
      pending: () => void this.#sequence(),
    });
  }

  async #tryLead(): Promise<void> {
    if (this.#lock !== undefined || this.#closed || this.#leading) return;
    this.#leading = true;
    let lock: SequencerLock | undefined;
    try {
      lock = await this.#queue.lockSequencer(() => {
        if (this.#lock !== lock) return;
        this.#lock = undefined;
        this.#opts.telemetry.metrics.leader(false);
        this.#opts.telemetry.logger.warn(
          { leader: false },
          'this node no longer sequences the log: its database session ended; another node takes over',
        );
      });
      this.#leadFailures.succeeded('taking the sequencer lock works');
      if (lock === undefined) return;
      await this.#writer.start();
      this.#lock = lock;
      this.#opts.telemetry.metrics.leader(true);
      this.#opts.telemetry.logger.info(
        { leader: true, treeSize: this.#writer.treeSize },
        `this node now sequences the log, from tree size ${this.#writer.treeSize}`,
      );
      void this.#sequence();
    } catch (e) {
      // The lock is released (if it was taken) so that another node may sequence.
      await lock?.release();
      this.#leadFailures.failed(
        lock === undefined
          ? 'trying to take the sequencer lock failed'
          : 'starting to sequence failed after taking the lock',
        e,
        `trying again in ${LEAD_RETRY_MS} ms`,
      );
    } finally {
      this.#leading = false;
    }
  }

  /** Tells the other nodes that this one is alive (its pending rows are not to be reclaimed). */
  async #heartbeat(): Promise<void> {
    try {
      await this.#queue.heartbeat(unixNow(this.#opts));
      this.#heartbeatFailures.succeeded('heartbeats work');
    } catch (e) {
      this.#heartbeatFailures.failed(
        'recording that this node is alive failed',
        e,
        `trying again in ${HEARTBEAT_MS} ms; after ${STALE_SECONDS} s without one, the sequencing node takes this node for dead and removes its answered-for rows`,
      );
    }
  }

  /**
   * As the leader: removes the sequenced rows of nodes that died before answering. Their
   * declarants' receipts can no longer be delivered, and the rows hold entries and sealed salts.
   */
  async #reclaim(): Promise<void> {
    if (this.#lock === undefined) return;
    try {
      const rows = await this.#queue.reclaimPending(unixNow(this.#opts) - STALE_SECONDS);
      this.#reclaimFailures.succeeded('reclaiming pending rows works');
      if (rows === 0) return;
      this.#opts.telemetry.metrics.reclaimed(rows);
      this.#opts.telemetry.logger.warn(
        { reclaimed: rows },
        `removed ${count(rows, 'sequenced submission', 'sequenced submissions')} of nodes that stopped before answering: the entries are logged, their receipts could not be delivered`,
      );
    } catch (e) {
      this.#reclaimFailures.failed(
        'removing the pending rows of stopped nodes failed',
        e,
        `trying again in ${this.#reclaimMs} ms`,
      );
    }
  }

  /** As the leader: log pending submissions, batch after batch, until none is left. */
  async #sequence(): Promise<void> {
    if (this.#lock === undefined) return;
    if (this.#sequencing) {
      this.#again = true;
      return;
    }
    this.#sequencing = true;
    let entries: Uint8Array[] = [];
    try {
      while (this.#lock !== undefined) {
        this.#again = false;
        entries = [];
        const rows = await this.#queue.takePending(this.#opts.maxBatch);
        if (rows.length === 0) break;
        entries = rows.flatMap((r) => r.entries);
        const declarations = entries.map((e) => {
          const d = decodeEntry(e);
          if (d.kind !== 'declaration')
            throw new TuidangError('corrupt', 'a pending submission holds a void entry');
          return d as DeclarationEntry;
        });
        const now = unixNow(this.#opts);
        await this.#writer.append(entries, declarations, (indexes) => {
          let at = 0;
          const sequenced = rows.map((r) => {
            const mine = indexes.slice(at, at + r.entries.length);
            at += r.entries.length;
            return { id: r.id, indexes: mine };
          });
          return { sequenced, expireBefore: now };
        });
        this.#commitFailures.succeeded('commits succeed');
      }
    } catch (e) {
      // A failed commit logged nothing; the writer starts again from the store next time.
      this.#commitFailures.failed(
        entries.length === 0
          ? 'reading the pending submissions failed'
          : `commit of ${count(entries.length, 'pending entry', 'pending entries')} at tree size ${this.#writer.treeSize} failed`,
        e,
        `retrying in ${POLL_MS} ms`,
      );
    } finally {
      this.#sequencing = false;
    }
    if (this.#again) void this.#sequence();
  }

  /**
   * Voids on the node that sequences, between two of its commits. Another node refuses with
   * {@link NotSequencingError}: pending rows carry declarations only.
   */
  async void(targets: readonly number[], reason: VoidReason): Promise<number> {
    while (this.#sequencing) await new Promise((r) => setTimeout(r, 10));
    if (this.#lock === undefined || this.#closed) throw new NotSequencingError();
    this.#sequencing = true;
    try {
      const entries = voidEntries(targets, reason, this.#opts.now());
      return (await this.#writer.append(entries.map(encodeEntry), entries)).treeSize;
    } finally {
      this.#sequencing = false;
      void this.#sequence();
    }
  }

  submit(s: Submission, options: { idempotencyKey?: string | undefined } = {}): Promise<Receipt[]> {
    return idempotent(
      this.#inflight,
      options.idempotencyKey,
      s,
      (info) => this.#earlier(info, false),
      (info) => this.#accept(s, info),
    );
  }

  /**
   * The receipts of an earlier request with this key, accepted by any node: from its sealed record,
   * or from its pending row once sequenced (waiting for that). Undefined if there is no such
   * request, unless `known` says there is one: then wait for it to appear.
   */
  async #earlier(info: IdempotencyInfo, known: boolean): Promise<Receipt[] | undefined> {
    for (let waited = 0; waited < 30_000; waited += POLL_MS) {
      const replayed = await replayRecord(this.#store, info, unixNow(this.#opts));
      if (replayed !== undefined) return replayed;
      const [row] = await this.#queue.sequenced([], info.keyId);
      if (row !== undefined) {
        if (row.requestHash !== info.requestHash) throw new IdempotencyConflictError();
        return this.#receiptsFromRow(row, info);
      }
      const pending = await this.#queue.pendingByKey(info.keyId);
      if (pending !== undefined && pending.requestHash !== info.requestHash)
        throw new IdempotencyConflictError();
      if (pending === undefined && !known) return undefined;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new PoolFullError(
      'the earlier request with this Idempotency-Key is still waiting to be logged',
    );
  }

  async #receiptsFromRow(row: SequencedRow, info: IdempotencyInfo): Promise<Receipt[]> {
    const salts = unseal(info.key, row.sealed as Uint8Array).map((c) =>
      Buffer.from(c.salt, 'base64'),
    );
    const cores = receiptCores(row.entries, salts, row.indexes);
    const checkpoint = await this.#store.checkpointAt(row.treeSize);
    if (checkpoint === undefined)
      throw new TuidangError('corrupt', `no checkpoint stored for tree size ${row.treeSize}`);
    return receipts(this.#store.readTiles, row.treeSize, checkpoint, cores);
  }

  async #accept(s: Submission, idempotency: IdempotencyInfo | undefined): Promise<Receipt[]> {
    if (this.#closed) throw new TuidangError('shutting-down', 'the sequencer is shut down');
    if (this.#waitingDeclarants + s.declarants.length > this.#opts.maxPool)
      throw new PoolFullError('too many declarations are waiting');
    const prepared = prepare(s, this.#opts.now());
    this.#waitingDeclarants += prepared.entries.length;
    const id = await new Promise<number | undefined>((resolve, reject) => {
      this.#toInsert.push({ prepared, idempotency, resolve, reject });
      void this.#insert();
    }).catch((e: unknown) => {
      this.#waitingDeclarants -= prepared.entries.length;
      throw e;
    });
    if (id === undefined) {
      // Another node took this key at the same moment: answer as a retry of that request.
      this.#waitingDeclarants -= prepared.entries.length;
      const answer = idempotency && (await this.#earlier(idempotency, true));
      if (answer === undefined)
        throw new TuidangError('unavailable', 'the submission could not be stored; please retry');
      return answer;
    }
    const answer = new Promise<Receipt[]>((resolve, reject) => {
      this.#waiting.set(id, { ...prepared, idempotency, resolve, reject });
    });
    void this.#collect();
    return answer;
  }

  /**
   * Group commit of accepted submissions into the shared table: while one INSERT runs, new
   * submissions gather, and the next INSERT takes them all.
   */
  async #insert(): Promise<void> {
    if (this.#inserting || this.#toInsert.length === 0) return;
    this.#inserting = true;
    while (this.#toInsert.length > 0) {
      const batch = this.#toInsert.splice(0, this.#opts.maxBatch);
      try {
        const ids = await this.#queue.addPending(
          batch.map(({ prepared, idempotency }) => ({
            entries: prepared.entries,
            // The salts go to the shared table only sealed with the client's key, for its retries.
            idem: idempotency && {
              keyId: idempotency.keyId,
              requestHash: idempotency.requestHash,
              sealed: seal(
                idempotency.key,
                receiptCores(
                  prepared.entries,
                  prepared.salts,
                  prepared.entries.map(() => -1),
                ),
              ),
            },
          })),
        );
        batch.forEach((b, i) => {
          b.resolve(ids[i]);
        });
      } catch (e) {
        reportFailure(
          this.#opts.telemetry,
          'pending',
          `storing ${count(batch.length, 'accepted submission', 'accepted submissions')} in the pending queue failed`,
          e,
          'nothing of them was logged; their requests were answered with an error',
        );
        const failed = new SequencingError(false, { cause: e });
        for (const b of batch) b.reject(failed);
      }
    }
    this.#inserting = false;
  }

  /** Answers every waiting request of this node whose entries have been sequenced. */
  async #collect(): Promise<void> {
    if (this.#collecting || this.#waiting.size === 0) return;
    this.#collecting = true;
    try {
      const rows = (await this.#queue.sequenced([...this.#waiting.keys()])).filter((r) =>
        this.#waiting.has(r.id),
      );
      if (rows.length === 0) return;
      // One read of each tile and checkpoint, and one hash of each node, for all these receipts.
      const readTiles = memoized(this.#store.readTiles);
      const checkpoints = new Map<number, Promise<string | undefined>>();
      const caches = new Map<number, NodeCache>();
      const now = unixNow(this.#opts);
      const built = await Promise.allSettled(
        rows.map(async (row) => {
          const w = this.#waiting.get(row.id) as Waiting;
          if (!checkpoints.has(row.treeSize))
            checkpoints.set(row.treeSize, this.#store.checkpointAt(row.treeSize));
          const checkpoint = await checkpoints.get(row.treeSize);
          if (checkpoint === undefined)
            throw new TuidangError('corrupt', `no checkpoint stored for tree size ${row.treeSize}`);
          if (!caches.has(row.treeSize)) caches.set(row.treeSize, new Map());
          const cores = receiptCores(w.entries, w.salts, row.indexes);
          const answer = await receipts(
            readTiles,
            row.treeSize,
            checkpoint,
            cores,
            caches.get(row.treeSize),
          );
          return {
            row,
            w,
            answer,
            record: w.idempotency && sealRecord(w.idempotency, cores, row.treeSize, now),
          };
        }),
      );
      const done = built.flatMap((b) => (b.status === 'fulfilled' ? [b.value] : []));
      // Publications are stored by the accepting node, which alone still holds the names.
      await this.#queue.finishPending(
        done.map((d) => d.row.id),
        done.flatMap((d) => (d.record ? [d.record] : [])),
        done.flatMap((d) => withIndexes(d.w, d.row.indexes)),
      );
      const failed = built.flatMap((b) => (b.status === 'rejected' ? [b.reason] : []));
      if (failed.length > 0)
        reportFailure(
          this.#opts.telemetry,
          'answer',
          `building the receipts of ${count(failed.length, 'sequenced submission', 'sequenced submissions')} failed`,
          failed[0],
          'their requests were answered with an error although their entries are logged (a retry with the same Idempotency-Key gets the receipts)',
        );
      built.forEach((b, i) => {
        const row = rows[i] as SequencedRow;
        const w = this.#waiting.get(row.id) as Waiting;
        this.#settle(row.id, w);
        if (b.status === 'fulfilled') w.resolve(b.value.answer);
        else w.reject(new SequencingError(true, { cause: b.reason }));
      });
      this.#answerFailures.succeeded('answering waiting requests works');
    } catch (e) {
      this.#answerFailures.failed(
        `answering ${count(this.#waiting.size, 'waiting request', 'waiting requests')} failed`,
        e,
        `retrying in ${POLL_MS} ms`,
      );
    } finally {
      this.#collecting = false;
    }
    // Rows sequenced while this pass ran are answered by the next one, without waiting for a poll.
    if (this.#waiting.size > 0) setImmediate(() => void this.#collect());
  }

  #settle(id: number, w: Waiting): void {
    if (this.#waiting.delete(id)) this.#waitingDeclarants -= w.entries.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    // Give requests already accepted a moment to be answered, by this node or another leader.
    for (let waited = 0; this.#waiting.size > 0 && waited < 5000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      void this.#collect();
      void this.#sequence();
    }
    for (const t of this.#timers) clearInterval(t);
    for (const [id, w] of this.#waiting) {
      this.#settle(id, w);
      w.reject(
        new Error(
          'the server is shutting down; the declaration may still be logged: retry with the same Idempotency-Key',
        ),
      );
    }
    while (this.#sequencing) await new Promise((r) => setTimeout(r, 10));
    const lock = this.#lock;
    this.#lock = undefined;
    if (lock !== undefined) {
      this.#opts.telemetry.metrics.leader(false);
      this.#opts.telemetry.logger.info({ leader: false }, 'this node stops sequencing the log');
    }
    const listener = this.#listener;
    this.#listener = undefined;
    // Both end a database connection and never throw: a connection that is gone is closed anyway.
    await Promise.all([lock?.release(), listener?.close()]);
  }
}

/** A void asked of a node that does not sequence the log at the moment: nothing was written. */
export class NotSequencingError extends TuidangError<'not-sequencing'> {
  override name = 'NotSequencingError';
  constructor() {
    super(
      'not-sequencing',
      'this node does not write the log at the moment; nothing was voided: try again',
    );
  }
}

/** A tile reader that reads each tile once, however many callers ask for it at the same time. */
function memoized(read: ReadTiles): ReadTiles {
  const seen = new Map<string, Promise<Uint8Array>>();
  return (tiles) =>
    Promise.all(
      tiles.map((t) => {
        const key = `${t.level}/${t.index}/${t.width}`;
        let p = seen.get(key);
        if (p === undefined) {
          p = read([t]).then(([d]) => d as Uint8Array);
          seen.set(key, p);
        }
        return p;
      }),
    );
}
