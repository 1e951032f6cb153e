// Sequencing with several web nodes on one PostgreSQL database. Every node accepts declarations
// and persists them in the shared `pending` table; exactly one node at a time, the holder of a
// session advisory lock, takes pending rows and logs them in one transaction with the LogWriter.
// The accepting node hears (LISTEN/NOTIFY, with polling as a fallback) that its rows were
// sequenced, builds the receipts from the salts it kept in memory, and answers.
//
// The sequencing node's own submissions without an Idempotency-Key take a shorter way: their rows
// are queued the same (one multi-row INSERT for all that arrived meanwhile), but it keeps them in
// memory and logs them in its next commit without reading them back or waiting for a notice, and
// answers from that commit's tiles and checkpoint. Should that commit fail, they go the long way: the rows are
// still queued (or were sequenced, if the commit in fact went through), and the store refuses
// to sequence a row twice.
//
// If the sequencing node dies, its session ends and PostgreSQL frees the lock: another node takes
// it within a second or two. Two nodes that both believe they sequence can never fork the log:
// every commit locks the log's state row and checks the tree size it builds on.
import { ClosedError, TuidangError } from '../errors/index.ts';
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
  PendingRow,
  QueueListener,
  SequencedRow,
  SequencerLock,
  Store,
} from '../store/index.ts';
import {
  type Declarations,
  IdempotencyConflictError,
  type IdempotencyInfo,
  NotSequencingError,
  PoolFullError,
  type Resolved,
  type SequencerOptions,
  SequencingError,
  unixNow,
  voidEntries,
  type Waiting,
  withDefaults,
} from './declarations.ts';
import { seal, unseal } from './idempotency.ts';
import {
  type Prepared,
  prepare,
  type ReceiptCore,
  receiptCores,
  receipts,
  withIndexes,
} from './prepare.ts';
import { type Inflight, idempotent, replayRecord, sealRecord } from './replay.ts';
import { count, FailureRun, reportFailure } from './telemetry.ts';
import { LogWriter } from './writer.ts';

const POLL_MS = 200;
/**
 * INSERTs of accepted submissions at once: a second one starts while the first waits for the
 * disk, so that a submission waits for less than one whole INSERT before its own.
 */
const INSERTS = 2;
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
  /** Requests of this node whose rows another node sequences (or did): answered by #collect. */
  readonly #waiting = new Map<number, Waiting>();
  /** As the leader: requests of this node, queued, that its next commit logs from memory. */
  #local: Local[] = [];
  /** Rows of other nodes (or handed back ones of this node) may be waiting: take them next pass. */
  #takeQueued = true;
  readonly #inflight: Inflight = new Map();
  #waitingDeclarants = 0;
  #toInsert: Array<{
    prepared: Prepared;
    idempotency: IdempotencyInfo | undefined;
    resolve: (id: number | undefined) => void;
    reject: (e: unknown) => void;
  }> = [];
  /** INSERTs of accepted submissions under way (at most {@link INSERTS}). */
  #inserting = 0;
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
    this.#writer = new LogWriter(store, opts.origin, opts.signer, t);
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
      setInterval(() => c.#wake(), POLL_MS),
      setInterval(() => void c.#heartbeat(), HEARTBEAT_MS),
      setInterval(() => void c.#reclaim(), reclaimMs),
    );
    for (const t of c.#timers) t.unref();
    return c;
  }

  get poolDepth(): number {
    return this.#waitingDeclarants;
  }

  /** Closed, or this node cannot reach the database (its heartbeats fail). */
  trouble(): string | undefined {
    if (this.#closed) return 'the sequencer is shut down';
    if (this.#heartbeatFailures.failing) return "this node's heartbeats to the database fail";
    if (this.#isLeaderFailing()) return 'commits are failing';
    return undefined;
  }

  #isLeaderFailing(): boolean {
    return this.#lock !== undefined && this.#commitFailures.failing;
  }

  /** Whether this node currently holds the right to sequence. */
  get isLeader(): boolean {
    return this.#lock !== undefined;
  }

  async #listen(): Promise<void> {
    // The store reconnects a lost listener; polling goes on meanwhile.
    this.#listener = await this.#queue.listen({
      sequenced: () => void this.#collect(),
      pending: () => this.#wake(),
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
        // Their rows are queued: the next sequencer takes them, and #collect answers.
        this.#handBack(this.#local.splice(0));
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

  /** Rows of other nodes were queued (a notice, or the poll): take them at the next pass. */
  #wake(): void {
    this.#takeQueued = true;
    void this.#sequence();
  }

  /**
   * As the leader: log this node's submissions from memory and the queued rows of others, batch
   * after batch, until none is left. The rows of others are read only after a notice or a poll.
   */
  async #sequence(): Promise<void> {
    if (this.#lock === undefined) return;
    if (this.#sequencing) {
      this.#again = true;
      return;
    }
    this.#sequencing = true;
    let entries: Uint8Array[] = [];
    let local: Local[] = [];
    try {
      while (this.#lock !== undefined) {
        this.#again = false;
        entries = [];
        let rows: PendingRow[] = [];
        if (this.#takeQueued) {
          this.#takeQueued = false;
          // This node's rows only if handed back: the others are in #local, or being queued.
          rows = await this.#queue.takePending(this.#opts.maxBatch, [...this.#waiting.keys()]);
          // There may be more: look again next pass.
          if (rows.length > 0) this.#takeQueued = true;
        }
        let room = this.#opts.maxBatch - rows.reduce((n, r) => n + r.entries.length, 0);
        let take = 0;
        for (const l of this.#local) {
          if ((rows.length > 0 || take > 0) && l.w.entries.length > room) break;
          take++;
          room -= l.w.entries.length;
        }
        local = this.#local.splice(0, take);
        if (rows.length === 0 && local.length === 0) break;
        const batch = [...local.map((l) => ({ id: l.id, entries: l.w.entries })), ...rows];
        entries = batch.flatMap((r) => r.entries);
        const declarations = [
          ...local.flatMap((l) => l.w.declarations),
          ...rows.flatMap((r) =>
            r.entries.map((e) => {
              const d = decodeEntry(e);
              if (d.kind !== 'declaration')
                throw new TuidangError('corrupt', 'a pending submission holds a void entry');
              return d as DeclarationEntry;
            }),
          ),
        ];
        const now = unixNow(this.#opts);
        let sequenced: Array<{ id: number; indexes: number[] }> = [];
        const appended = await this.#writer.append(entries, declarations, (indexes) => {
          let at = 0;
          sequenced = batch.map((r) => {
            const mine = indexes.slice(at, at + r.entries.length);
            at += r.entries.length;
            return { id: r.id, indexes: mine };
          });
          return { sequenced, expireBefore: now };
        });
        this.#commitFailures.succeeded('commits succeed');
        const answered = local.map((l, i) => ({
          id: l.id,
          w: l.w,
          indexes: (sequenced[i] as { indexes: number[] }).indexes,
          treeSize: appended.treeSize,
        }));
        local = [];
        // Answered while the next batch commits; handed back to #collect if finishing fails.
        void this.#answer(answered, appended.readTiles, async () => ({
          treeSize: appended.treeSize,
          note: appended.checkpoint,
        })).catch((e: unknown) => {
          this.#answerFailures.failed(
            `answering ${count(answered.length, 'request', 'requests')} of tree size ${appended.treeSize} failed`,
            e,
            `retrying in ${POLL_MS} ms`,
          );
          this.#handBack(answered.map(({ id, w }) => ({ id, w })));
        });
        // Rows of this node that went the long way are answered without waiting for the notice.
        if (rows.some((r) => this.#waiting.has(r.id))) void this.#collect();
      }
    } catch (e) {
      // A failed commit logged nothing, or, if it went through after all, sequenced its rows: the
      // rows of this node's requests go the long way (taken again, or collected). The writer
      // starts again from the store next time.
      this.#handBack(local);
      this.#takeQueued = true;
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

  /** Requests held in memory by the leader go the long way: answered by #collect. */
  #handBack(items: readonly Local[]): void {
    if (items.length === 0) return;
    for (const { id, w } of items) this.#waiting.set(id, w);
    void this.#collect();
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
    const checkpoint = await this.#store.checkpointFrom(row.treeSize);
    if (checkpoint === undefined)
      throw new TuidangError('corrupt', `no checkpoint stored from tree size ${row.treeSize}`);
    return receipts(this.#store.readTiles, checkpoint.treeSize, checkpoint.note, cores);
  }

  async #accept(s: Submission, idempotency: IdempotencyInfo | undefined): Promise<Receipt[]> {
    if (this.#closed) throw new ClosedError();
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
    // A request with an Idempotency-Key goes the long way also on the leader: its row is taken
    // and finished like another node's (see docs/storage.md on keys sent to two nodes at once).
    const local = this.#lock !== undefined && idempotency === undefined;
    const answer = new Promise<Receipt[]>((resolve, reject) => {
      const w = { ...prepared, idempotency, resolve, reject };
      if (local) this.#local.push({ id, w });
      else this.#waiting.set(id, w);
    });
    if (local) void this.#sequence();
    else if (this.#lock !== undefined) this.#wake();
    else void this.#collect();
    return answer;
  }

  /**
   * Group commit of accepted submissions into the shared table: while INSERTs run, new
   * submissions gather, and the next INSERT takes them all.
   */
  async #insert(): Promise<void> {
    if (this.#inserting >= INSERTS || this.#toInsert.length === 0) return;
    this.#inserting++;
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
          // The leader logs its own rows from memory: no notice.
          { quiet: this.#lock !== undefined },
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
    this.#inserting--;
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
      // One read of each checkpoint, and of each tile, for all these receipts.
      const checkpoints = new Map<
        number,
        Promise<{ treeSize: number; note: string } | undefined>
      >();
      await this.#answer(
        rows.map((row) => ({
          id: row.id,
          w: this.#waiting.get(row.id) as Waiting,
          indexes: row.indexes,
          treeSize: row.treeSize,
        })),
        memoized(this.#store.readTiles),
        (treeSize) => {
          let c = checkpoints.get(treeSize);
          if (c === undefined) {
            c = this.#store.checkpointFrom(treeSize);
            checkpoints.set(treeSize, c);
          }
          return c;
        },
      );
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

  /**
   * Finishes the rows of sequenced requests of this node (sealed receipts and publications kept,
   * rows gone, in one statement) while building their receipts, then answers them. Throws,
   * answering none, if finishing fails: the rows stay, sequenced, for another try.
   */
  async #answer(
    done: ReadonlyArray<{ id: number; w: Waiting; indexes: number[]; treeSize: number }>,
    readTiles: ReadTiles,
    checkpointFrom: (treeSize: number) => Promise<{ treeSize: number; note: string } | undefined>,
  ): Promise<void> {
    const now = unixNow(this.#opts);
    const cores = done.map((d) => receiptCores(d.w.entries, d.w.salts, d.indexes));
    // Sealed receipts and publications are kept while the proofs are computed. Publications are
    // stored by the accepting node, which alone still holds the names.
    const finished = this.#queue.finishPending(
      done.map((d) => d.id),
      done.flatMap((d, i) =>
        d.w.idempotency
          ? [sealRecord(d.w.idempotency, cores[i] as ReceiptCore[], d.treeSize, now)]
          : [],
      ),
      done.flatMap((d) => withIndexes(d.w, d.indexes)),
    );
    finished.catch(() => {}); // awaited below, after the proofs
    // One hash of each node for all receipts of a tree size.
    const caches = new Map<number, NodeCache>();
    const built = await Promise.allSettled(
      done.map(async (d, i) => {
        // The commit's checkpoint, or the first kept after it if a later commit replaced it.
        const checkpoint = await checkpointFrom(d.treeSize);
        if (checkpoint === undefined)
          throw new TuidangError('corrupt', `no checkpoint stored from tree size ${d.treeSize}`);
        let cache = caches.get(checkpoint.treeSize);
        if (cache === undefined) {
          cache = new Map();
          caches.set(checkpoint.treeSize, cache);
        }
        return receipts(
          readTiles,
          checkpoint.treeSize,
          checkpoint.note,
          cores[i] as ReceiptCore[],
          cache,
        );
      }),
    );
    await finished;
    const failed = built.flatMap((b) => (b.status === 'rejected' ? [b.reason] : []));
    if (failed.length > 0)
      reportFailure(
        this.#opts.telemetry,
        'answer',
        `building the receipts of ${count(failed.length, 'sequenced submission', 'sequenced submissions')} failed`,
        failed[0],
        'their requests were answered with an error although their entries are logged (a retry with the same Idempotency-Key gets the receipts)',
      );
    done.forEach((d, i) => {
      const b = built[i] as PromiseSettledResult<Receipt[]>;
      this.#settle(d.id, d.w);
      if (b.status === 'fulfilled') d.w.resolve(b.value);
      else d.w.reject(new SequencingError(true, { cause: b.reason }));
    });
  }

  /** A request of this node is answered (from #waiting, or held by the leader's last commit). */
  #settle(id: number, w: Waiting): void {
    if (this.#waiting.get(id) === w) this.#waiting.delete(id);
    this.#waitingDeclarants -= w.entries.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    // Give requests already accepted a moment to be answered, by this node or another leader.
    for (
      let waited = 0;
      (this.#waiting.size > 0 || this.#local.length > 0 || this.#sequencing) && waited < 5000;
      waited += 50
    ) {
      await new Promise((r) => setTimeout(r, 50));
      void this.#collect();
      void this.#sequence();
    }
    for (const t of this.#timers) clearInterval(t);
    while (this.#sequencing) await new Promise((r) => setTimeout(r, 10));
    for (const { id, w } of this.#local.splice(0)) this.#waiting.set(id, w);
    for (const [id, w] of this.#waiting) {
      this.#settle(id, w);
      w.reject(
        new ClosedError(
          'The registry is restarting; the declaration may still be logged: send it again with the same Idempotency-Key.',
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

/** A request of this node, with the id of its queued row. */
interface Local {
  readonly id: number;
  readonly w: Waiting;
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
