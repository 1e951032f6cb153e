// Adaptive group commit on one machine. Validated declarants wait in a bounded pool; as soon as
// the previous commit is done and the pool is not empty, one transaction writes everything in the
// pool (up to a batch limit): entries, tiles, totals and the signed checkpoint. Only then is each
// waiting request answered with its receipts. Batches grow with load by themselves; there is no
// fixed tick, so throughput does not depend on how many clients wait.
import { ClosedError } from '../errors/index.ts';
import {
  encodeEntry,
  type Receipt,
  type Submission,
  type VoidEntry,
  type VoidReason,
} from '../registry/index.ts';
import type { IdempotencyRecord, Store } from '../store/index.ts';
import { answer, buildReceipts, commitBatch, committedAt, fitting } from './core.ts';
import {
  type Declarations,
  type IdempotencyInfo,
  PoolFullError,
  type Resolved,
  type SequencerOptions,
  SequencingError,
  unixNow,
  voidEntries,
  type Waiting,
  withDefaults,
} from './declarations.ts';
import { prepare, receiptCores, withIndexes } from './prepare.ts';
import { type Inflight, idempotent, replayRecord, sealRecord } from './replay.ts';
import { count, reportFailure } from './telemetry.ts';
import { LogWriter } from './writer.ts';

export class Sequencer implements Declarations {
  readonly #store: Store;
  readonly #opts: Resolved;
  readonly #writer: LogWriter;
  #pool: Waiting[] = [];
  /** Void requests, committed one by one between batches of declarations. */
  #voids: Array<{
    entries: VoidEntry[];
    resolve: (treeSize: number) => void;
    reject: (e: unknown) => void;
  }> = [];
  #pooled = 0;
  readonly #inflight: Inflight = new Map();
  #running = false;
  #closed = false;
  #idle: Promise<void> = Promise.resolve();

  private constructor(store: Store, opts: SequencerOptions) {
    this.#store = store;
    this.#opts = withDefaults(opts);
    this.#writer = new LogWriter(store, opts.origin, opts.signer, this.#opts.telemetry);
  }

  /** A sequencer over `store`, starting from its latest commit. */
  static async open(store: Store, opts: SequencerOptions): Promise<Sequencer> {
    const s = new Sequencer(store, opts);
    await s.#writer.start();
    return s;
  }

  get treeSize(): number {
    return this.#writer.treeSize;
  }

  get poolDepth(): number {
    return this.#pooled;
  }

  trouble(): string | undefined {
    return this.#closed ? 'the sequencer is shut down' : undefined;
  }

  /**
   * Logs a validated submission; resolves with one receipt per declarant once durable. With an
   * idempotency key, a repeated request gets the receipts of the first, and adds nothing.
   */
  submit(s: Submission, options: { idempotencyKey?: string | undefined } = {}): Promise<Receipt[]> {
    return idempotent(
      this.#inflight,
      options.idempotencyKey,
      s,
      (info) => replayRecord(this.#store, info, unixNow(this.#opts)),
      (info) => this.sequence(s, info),
    );
  }

  /**
   * Logs a submission whose idempotency key (if any) the caller has checked already: the thread
   * that serves HTTP checks keys and replays, and hands only new requests to the sequencer's.
   */
  sequence(s: Submission, idempotency: IdempotencyInfo | undefined): Promise<Receipt[]> {
    if (this.#closed) return Promise.reject(new ClosedError());
    if (this.#pooled + s.declarants.length > this.#opts.maxPool) {
      return Promise.reject(new PoolFullError('too many declarations are waiting'));
    }
    const prepared = prepare(s, this.#opts.now());
    return new Promise((resolve, reject) => {
      this.#pool.push({ ...prepared, idempotency, resolve, reject });
      this.#pooled += prepared.entries.length;
      this.#kick();
    });
  }

  void(targets: readonly number[], reason: VoidReason): Promise<number> {
    if (this.#closed) return Promise.reject(new ClosedError());
    const entries = voidEntries(targets, reason, this.#opts.now());
    return new Promise((resolve, reject) => {
      this.#voids.push({ entries, resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#running || (this.#pool.length === 0 && this.#voids.length === 0)) return;
    this.#running = true;
    this.#idle = new Promise((done) => {
      setTimeout(() => void this.#drain().finally(done), this.#opts.delayMs);
    });
  }

  async #drain(): Promise<void> {
    while (this.#pool.length > 0 || this.#voids.length > 0) {
      const v = this.#voids.shift();
      if (v !== undefined) {
        try {
          v.resolve((await this.#writer.append(v.entries.map(encodeEntry), v.entries)).treeSize);
        } catch (e) {
          v.reject(e);
        }
        continue;
      }
      const batch = this.#pool.splice(0, fitting(this.#pool, this.#opts.maxBatch, false));
      this.#pooled -= batch.reduce((n, w) => n + w.entries.length, 0);
      await this.#commit(batch);
    }
    this.#running = false;
  }

  /** One commit of `batch`, with its requests' sealed receipts and publications; then answers. */
  async #commit(batch: Waiting[]): Promise<void> {
    const oldSize = this.#writer.treeSize;
    let committed: Awaited<ReturnType<typeof commitBatch>>;
    try {
      const now = unixNow(this.#opts);
      committed = await commitBatch(this.#writer, batch, (mine, treeSize) => {
        const idempotency: IdempotencyRecord[] = [];
        batch.forEach((w, i) => {
          if (w.idempotency)
            idempotency.push(
              sealRecord(
                w.idempotency,
                receiptCores(w.entries, w.salts, mine[i] as number[]),
                treeSize,
                now,
              ),
            );
        });
        const publications = batch.flatMap((w, i) => withIndexes(w, mine[i] as number[]));
        return { idempotency, expireBefore: now, publications };
      });
    } catch (e) {
      const entries = batch.reduce((n, w) => n + w.entries.length, 0);
      reportFailure(
        this.#opts.telemetry,
        'commit',
        `commit of ${count(entries, 'entry', 'entries')} at tree size ${oldSize} failed`,
        e,
        `nothing of it was logged; its ${count(batch.length, 'request was', 'requests were')} answered with an error`,
      );
      const failed = new SequencingError(false, { cause: e });
      for (const w of batch) w.reject(failed);
      return;
    }
    const { appended, mine } = committed;
    const built = await buildReceipts(
      batch.map((w, i) => ({
        cores: receiptCores(w.entries, w.salts, mine[i] as number[]),
        treeSize: appended.treeSize,
      })),
      appended.readTiles,
      committedAt(appended),
    );
    answer(this.#opts.telemetry, batch, built);
  }

  /** Stops taking submissions and waits for those already taken. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running) await this.#idle;
  }
}
