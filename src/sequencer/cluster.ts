// Sequencing with several web nodes on one PostgreSQL database. Every node accepts declarations
// and persists them in the shared `pending` table (pending.ts); exactly one node at a time, the
// holder of a session advisory lock (leadership.ts), takes pending rows and logs them in one
// transaction with the sequencing core (core.ts). The accepting node hears that its rows were
// sequenced, builds the receipts from the salts it kept in memory, and answers (collector.ts).
//
// The sequencing node's own submissions without an Idempotency-Key take a shorter way: their rows
// are queued the same (one multi-row INSERT for all that arrived meanwhile), but it keeps them in
// memory and logs them in its next commit without reading them back or waiting for a notice, and
// answers from that commit's tiles and checkpoint. Should that commit fail, they go the long way:
// the rows are still queued (or were sequenced, if the commit in fact went through), and the store
// refuses to sequence a row twice.
//
// Two nodes that both believe they sequence can never fork the log: every commit locks the log's
// state row and checks the tree size it builds on.
import { ClosedError, TuidangError } from '../errors/index.ts';
import { encodeEntry, type Receipt, type Submission, type VoidReason } from '../registry/index.ts';
import type { ClusterStore, PendingRow, QueueListener, Store } from '../store/index.ts';
import { Collector, POLL_MS, type Queued } from './collector.ts';
import { commitBatch, declarationsOf, fitting } from './core.ts';
import {
  type Declarations,
  type IdempotencyInfo,
  NotSequencingError,
  PoolFullError,
  type Resolved,
  type SequencerOptions,
  unixNow,
  voidEntries,
  withDefaults,
} from './declarations.ts';
import { Leadership, RECLAIM_MS } from './leadership.ts';
import { PendingInserts } from './pending.ts';
import { prepare } from './prepare.ts';
import { type Inflight, idempotent } from './replay.ts';
import { until } from './signal.ts';
import { count, FailureRun } from './telemetry.ts';
import { LogWriter } from './writer.ts';

/** How long a node that shuts down gives the requests it accepted to be answered. */
const CLOSE_MS = 5000;

export class ClusterSequencer implements Declarations {
  readonly #queue: ClusterStore;
  readonly #opts: Resolved;
  readonly #writer: LogWriter;
  readonly #leadership: Leadership;
  readonly #inserts: PendingInserts;
  readonly #collector: Collector;
  readonly #inflight: Inflight = new Map();
  /** As the leader: requests of this node, queued, that its next commit logs from memory. */
  #local: Queued[] = [];
  /** Rows of other nodes (or handed back ones of this node) may be waiting: take them next pass. */
  #takeQueued = true;
  /** The pass of #sequence, or the void, that writes the log now: one at a time. */
  #turn: Promise<void> | undefined;
  /** Requests were added while a pass ran: the pass goes on, or another starts. */
  #again = false;
  #closed = false;
  /** What requests queued after the shutdown answered the waiting ones are answered with. */
  #shutDown: ClosedError | undefined;
  #listener: QueueListener | undefined;
  #poll: NodeJS.Timeout | undefined;
  readonly #commitFailures: FailureRun;

  private constructor(store: Store, opts: SequencerOptions, reclaimMs: number) {
    this.#queue = store.cluster;
    this.#opts = withDefaults(opts);
    const t = this.#opts.telemetry;
    const now = () => unixNow(this.#opts);
    this.#writer = new LogWriter(store, opts.origin, opts.signer, t);
    this.#commitFailures = new FailureRun(t, 'commit');
    this.#collector = new Collector(store, t, now);
    this.#inserts = new PendingInserts(this.#queue, t, this.#opts.maxBatch, () => this.isLeader);
    this.#leadership = new Leadership(
      this.#queue,
      t,
      now,
      {
        start: async () => {
          await this.#writer.start();
          return this.#writer.treeSize;
        },
        leading: () => this.#sequence(),
        // Their rows are queued: the next sequencer takes them, and the collector answers.
        lost: () => this.#collector.handBack(this.#local.splice(0)),
      },
      reclaimMs,
    );
  }

  /** `reclaimMs`: how often the sequencing node reclaims rows of dead nodes (tests shorten it). */
  static async open(
    store: Store,
    opts: SequencerOptions,
    { reclaimMs = RECLAIM_MS }: { reclaimMs?: number } = {},
  ): Promise<ClusterSequencer> {
    const c = new ClusterSequencer(store, opts, reclaimMs);
    // The store reconnects a lost listener; polling goes on meanwhile.
    c.#listener = await c.#queue.listen({
      sequenced: () => c.#collector.noticed(),
      pending: () => c.#wake(),
    });
    await c.#leadership.begin();
    c.#poll = setInterval(() => {
      c.#collector.noticed();
      c.#wake();
    }, POLL_MS);
    c.#poll.unref();
    return c;
  }

  get poolDepth(): number {
    return this.#collector.declarants;
  }

  /** Closed, or this node cannot reach the database (its heartbeats fail). */
  trouble(): string | undefined {
    if (this.#closed) return 'the sequencer is shut down';
    if (this.#leadership.heartbeatsFail) return "this node's heartbeats to the database fail";
    if (this.isLeader && this.#commitFailures.failing) return 'commits are failing';
    return undefined;
  }

  /** Whether this node currently holds the right to sequence. */
  get isLeader(): boolean {
    return this.#leadership.isLeader;
  }

  submit(s: Submission, options: { idempotencyKey?: string | undefined } = {}): Promise<Receipt[]> {
    return idempotent(
      this.#inflight,
      options.idempotencyKey,
      s,
      (info) => this.#collector.earlier(info, false),
      (info) => this.#accept(s, info),
    );
  }

  async #accept(s: Submission, idempotency: IdempotencyInfo | undefined): Promise<Receipt[]> {
    if (this.#closed) throw new ClosedError();
    if (this.#collector.declarants + s.declarants.length > this.#opts.maxPool)
      throw new PoolFullError('too many declarations are waiting');
    const prepared = prepare(s, this.#opts.now());
    const n = prepared.entries.length;
    this.#collector.reserve(n);
    const id = await this.#inserts.add(prepared, idempotency).catch((e: unknown) => {
      this.#collector.reserve(-n);
      throw e;
    });
    if (id === undefined) {
      // Another node took this key at the same moment: answer as a retry of that request.
      this.#collector.reserve(-n);
      const answer = idempotency && (await this.#collector.earlier(idempotency, true));
      if (answer === undefined)
        throw new TuidangError('unavailable', 'the submission could not be stored; please retry');
      return answer;
    }
    if (this.#shutDown !== undefined) {
      // Queued after the shutdown answered the waiting requests: no one here would answer it.
      this.#collector.reserve(-n);
      throw this.#shutDown;
    }
    // A request with an Idempotency-Key goes the long way also on the leader: its row is taken
    // and finished like another node's (see docs/storage.md on keys sent to two nodes at once).
    const local = this.isLeader && idempotency === undefined;
    const answer = new Promise<Receipt[]>((resolve, reject) => {
      const q = { id, w: { ...prepared, idempotency, resolve, reject } };
      if (local) this.#local.push(q);
      else this.#collector.wait(q);
    });
    if (local) this.#sequence();
    else if (this.isLeader) this.#wake();
    else void this.#collector.collect();
    return answer;
  }

  /** Rows of other nodes were queued (a notice, or the poll): take them at the next pass. */
  #wake(): void {
    this.#takeQueued = true;
    this.#sequence();
  }

  /** As the leader: starts a pass of sequencing, or has the running one go on. */
  #sequence(): void {
    if (!this.isLeader) return;
    if (this.#turn !== undefined) {
      this.#again = true;
      return;
    }
    this.#exclusive(() => this.#pass(), false);
  }

  /**
   * Runs `work` as the one writer of the log, while no other pass or void runs; then starts a pass
   * if one was asked for meanwhile, or in any case with `resume`.
   */
  #exclusive<T>(work: () => Promise<T>, resume: boolean): Promise<T> {
    const turn = Promise.withResolvers<void>();
    this.#turn = turn.promise;
    const run = work();
    const end = () => {
      this.#turn = undefined;
      turn.resolve();
      if (resume || this.#again) this.#sequence();
    };
    run.then(end, end);
    return run;
  }

  /**
   * Logs this node's submissions from memory and the queued rows of others, batch after batch,
   * until none is left. The rows of others are read only after a notice or a poll.
   */
  async #pass(): Promise<void> {
    let entries = 0;
    let local: Queued[] = [];
    try {
      while (this.isLeader) {
        this.#again = false;
        entries = 0;
        let rows: PendingRow[] = [];
        if (this.#takeQueued) {
          this.#takeQueued = false;
          // This node's rows only if handed back: the others are in #local, or being queued.
          rows = await this.#queue.takePending(this.#opts.maxBatch, this.#collector.ids());
          // There may be more: look again next pass.
          if (rows.length > 0) this.#takeQueued = true;
        }
        const taken = rows.reduce((n, r) => n + r.entries.length, 0);
        const room = this.#opts.maxBatch - taken;
        const mineFirst = this.#local.map((l) => l.w);
        local = this.#local.splice(0, fitting(mineFirst, room, rows.length > 0));
        if (rows.length === 0 && local.length === 0) break;
        entries = local.reduce((n, l) => n + l.w.entries.length, taken);
        const batch = [
          ...local.map(({ id, w }) => ({ id, entries: w.entries, declarations: w.declarations })),
          ...rows.map(({ id, entries }) => ({
            id,
            entries,
            declarations: declarationsOf(entries),
          })),
        ];
        const now = unixNow(this.#opts);
        const { appended, mine } = await commitBatch(this.#writer, batch, (mine) => ({
          sequenced: batch.map((r, i) => ({ id: r.id, indexes: mine[i] as number[] })),
          expireBefore: now,
        }));
        this.#commitFailures.succeeded('commits succeed');
        const treeSize = appended.treeSize;
        const answered = local.map((l, i) => ({ ...l, indexes: mine[i] as number[], treeSize }));
        local = [];
        // Answered while the next batch commits; handed back to the collector if finishing fails.
        this.#collector.answerCommitted(answered, appended);
        // Rows of this node that went the long way are answered without waiting for the notice.
        if (rows.some((r) => this.#collector.has(r.id))) void this.#collector.collect();
      }
    } catch (e) {
      // A failed commit logged nothing, or, if it went through after all, sequenced its rows: the
      // rows of this node's requests go the long way (taken again, or collected). The writer
      // starts again from the store next time.
      this.#collector.handBack(local);
      this.#takeQueued = true;
      this.#commitFailures.failed(
        entries === 0
          ? 'reading the pending submissions failed'
          : `commit of ${count(entries, 'pending entry', 'pending entries')} at tree size ${this.#writer.treeSize} failed`,
        e,
        `retrying in ${POLL_MS} ms`,
      );
    }
  }

  /**
   * Voids on the node that sequences, between two of its commits. Another node refuses with
   * {@link NotSequencingError}: pending rows carry declarations only.
   */
  async void(targets: readonly number[], reason: VoidReason): Promise<number> {
    while (this.#turn !== undefined) await this.#turn;
    if (!this.isLeader || this.#closed) throw new NotSequencingError();
    const entries = voidEntries(targets, reason, this.#opts.now());
    return this.#exclusive(
      async () => (await this.#writer.append(entries.map(encodeEntry), entries)).treeSize,
      true,
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#leadership.stopTrying();
    // Give requests already accepted a moment to be answered, by this node or another leader:
    // woken by each answer, each notice or poll, and the end of each pass.
    const end = Date.now() + CLOSE_MS;
    while ((this.#collector.declarants > 0 || this.#turn !== undefined) && Date.now() < end) {
      void this.#collector.collect();
      this.#sequence();
      const turn = this.#turn ?? new Promise<never>(() => {});
      await until(Math.min(POLL_MS, end - Date.now()), this.#collector.changed.next(), turn);
    }
    clearInterval(this.#poll);
    while (this.#turn !== undefined) await this.#turn;
    for (const q of this.#local.splice(0)) this.#collector.wait(q);
    this.#shutDown = new ClosedError(
      'The registry is restarting; the declaration may still be logged: send it again with the same Idempotency-Key.',
    );
    this.#collector.rejectAll(this.#shutDown);
    while (this.#turn !== undefined) await this.#turn;
    const listener = this.#listener;
    this.#listener = undefined;
    // Both end a database connection and never throw: a connection that is gone is closed anyway.
    await Promise.all([this.#leadership.release(), listener?.close()]);
  }
}
