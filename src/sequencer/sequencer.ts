// Adaptive group commit on one machine. Validated declarants wait in a bounded pool; as soon as
// the previous commit is done and the pool is not empty, one transaction writes everything in the
// pool (up to a batch limit): entries, tiles, totals and the signed checkpoint. Only then is each
// waiting request answered with its receipts. Batches grow with load by themselves; there is no
// fixed tick, so throughput does not depend on how many clients wait.
import type { Logger } from 'pino';
import { ClosedError, TuidangError } from '../errors/index.ts';
import type { NodeCache, NoteSigner } from '../log/index.ts';
import {
  encodeEntry,
  type Receipt,
  type Submission,
  utcDay,
  type VoidEntry,
  type VoidReason,
} from '../registry/index.ts';
import type { IdempotencyRecord, Store } from '../store/index.ts';
import {
  checkKey,
  idempotencyExpiry,
  keyIdOf,
  requestHashOf,
  seal,
  unseal,
} from './idempotency.ts';
import { type Prepared, prepare, receiptCores, receipts, withIndexes } from './prepare.ts';
import { count, reportFailure, type Telemetry, telemetry, type WriteMetrics } from './telemetry.ts';
import { type Appended, LogWriter } from './writer.ts';

/** The Idempotency-Key was used before for another request: the caller should answer 409. */
export class IdempotencyConflictError extends TuidangError<'idempotency-conflict'> {
  override name = 'IdempotencyConflictError';
  constructor() {
    super(
      'idempotency-conflict',
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
  }
}

/**
 * A request could not be answered with its receipts: its commit failed (`recorded` false: nothing
 * of it was logged), or its receipts could not be built after the commit (`recorded` true). The
 * sequencer has logged the failure once, with what it affected; the caller answers (500) without
 * logging it again.
 */
export class SequencingError extends TuidangError<
  'commit-failed' | 'receipts-failed' | 'commit-unavailable'
> {
  override name = 'SequencingError';
  readonly recorded: boolean;
  constructor(recorded: boolean, options: { cause: unknown }) {
    super(
      options.cause instanceof TuidangError && options.cause.code === 'unavailable'
        ? 'commit-unavailable'
        : recorded
          ? 'receipts-failed'
          : 'commit-failed',
      recorded
        ? 'the entries were logged, but their receipts could not be built'
        : 'the commit failed: nothing was logged',
      options,
    );
    this.recorded = recorded;
  }
}

/** The pool is full: the caller should answer 503 with Retry-After. */
export class PoolFullError extends TuidangError<'pool-full'> {
  override name = 'PoolFullError';
  constructor(message: string) {
    super('pool-full', message, { retryAfterSeconds: 1 });
  }
}

export interface SequencerOptions {
  readonly origin: string;
  readonly signer: NoteSigner;
  /** Most declarants in one commit. */
  readonly maxBatch?: number;
  /** Most declarants waiting; beyond it, submissions are refused with {@link PoolFullError}. */
  readonly maxPool?: number;
  /** Milliseconds a commit may wait to gather more declarants once the pool is not empty. */
  readonly delayMs?: number;
  readonly now?: () => Date;
  /** Where failures are logged (JSON lines on stdout by default). */
  readonly logger?: Logger | undefined;
  /** Told of every commit and every failure (for /metrics). */
  readonly metrics?: Partial<WriteMetrics> | undefined;
}

/** What the HTTP layer needs of a sequencer, on one machine or in a cluster. */
export interface Declarations {
  submit(s: Submission, options?: { idempotencyKey?: string | undefined }): Promise<Receipt[]>;
  /**
   * Voids declarations while the log is served: one void entry for each target, with the reason,
   * in one commit after those already waiting. Resolves with the new tree size; rejects with a
   * `VoidError` (nothing written) if a target is not a declaration of the log or is voided already.
   */
  void(targets: readonly number[], reason: VoidReason): Promise<number>;
  close(): Promise<void>;
  /** Declarants accepted by this node and not answered yet. */
  readonly poolDepth: number;
  /** Why this node cannot log declarations now (for /readyz), or undefined when it can. */
  trouble?(): string | undefined;
}

/** The void entries for `targets`, dated today. */
export function voidEntries(
  targets: readonly number[],
  reason: VoidReason,
  now: Date,
): VoidEntry[] {
  const day = utcDay(now);
  return targets.map((target) => ({ kind: 'void', day, target, reason }));
}

export interface IdempotencyInfo {
  readonly key: string;
  readonly keyId: string;
  readonly requestHash: string;
}

/** A request waiting for its receipts. */
export interface Waiting extends Prepared {
  readonly idempotency: IdempotencyInfo | undefined;
  readonly resolve: (r: Receipt[]) => void;
  readonly reject: (e: unknown) => void;
}

export type Resolved = Required<Omit<SequencerOptions, 'now' | 'logger' | 'metrics'>> & {
  now: () => Date;
  telemetry: Telemetry;
};

export function withDefaults(opts: SequencerOptions): Resolved {
  return {
    maxBatch: 4096,
    maxPool: 65536,
    delayMs: 2,
    now: () => new Date(),
    ...opts,
    telemetry: telemetry({ logger: opts.logger, metrics: opts.metrics }),
  };
}

export function unixNow(opts: Resolved): number {
  return Math.floor(opts.now().getTime() / 1000);
}

/** Requests with an idempotency key that are not answered yet, by key id. */
export type Inflight = Map<string, { requestHash: string; promise: Promise<Receipt[]> }>;

/**
 * Both sequencers' `submit`: runs `fresh` for a request without an idempotency key, and for one
 * with a key unless an earlier request with the key is in flight (then its answer is shared) or
 * answered (then `lookup` rebuilds it). Another request under a known key is an
 * {@link IdempotencyConflictError}.
 */
export function idempotent(
  inflight: Inflight,
  key: string | undefined,
  request: Submission,
  lookup: (info: IdempotencyInfo) => Promise<Receipt[] | undefined>,
  fresh: (info: IdempotencyInfo | undefined) => Promise<Receipt[]>,
): Promise<Receipt[]> {
  if (key === undefined) return fresh(undefined);
  checkKey(key);
  const info = { key, keyId: keyIdOf(key), requestHash: requestHashOf(key, request) };
  const running = inflight.get(info.keyId);
  if (running !== undefined) {
    return running.requestHash === info.requestHash
      ? running.promise
      : Promise.reject(new IdempotencyConflictError());
  }
  const promise = (async () => (await lookup(info)) ?? fresh(info))();
  inflight.set(info.keyId, { requestHash: info.requestHash, promise });
  const forget = () => inflight.delete(info.keyId);
  promise.then(forget, forget);
  return promise;
}

/** The receipts of an earlier request from its sealed record, or undefined if there is none. */
export async function replayRecord(
  store: Store,
  info: IdempotencyInfo,
  now: number,
): Promise<Receipt[] | undefined> {
  const record = await store.idempotency(info.keyId);
  if (record === undefined || record.expires < now) return undefined;
  if (record.requestHash !== info.requestHash) throw new IdempotencyConflictError();
  // The commit's own checkpoint is kept only until the next commit, unless it was published: the
  // receipts are then those of the first checkpoint kept after it (the same entries and salts).
  const checkpoint = await store.checkpointFrom(record.treeSize);
  if (checkpoint === undefined)
    throw new TuidangError('corrupt', `no checkpoint stored from tree size ${record.treeSize}`);
  return receipts(
    store.readTiles,
    checkpoint.treeSize,
    checkpoint.note,
    unseal(info.key, record.sealed),
  );
}

/**
 * The receipts a request with this idempotency key was answered with, read from its sealed record
 * without ever logging anything (undefined if there is none, or it expired); an
 * {@link IdempotencyConflictError} if the key was used for another request.
 */
export function replayReceipts(
  store: Store,
  key: string,
  request: Submission,
  now: number = Math.floor(Date.now() / 1000),
): Promise<Receipt[] | undefined> {
  checkKey(key);
  return replayRecord(
    store,
    { key, keyId: keyIdOf(key), requestHash: requestHashOf(key, request) },
    now,
  );
}

export function sealRecord(
  info: IdempotencyInfo,
  cores: Parameters<typeof seal>[1],
  treeSize: number,
  now: number,
): IdempotencyRecord {
  return {
    keyId: info.keyId,
    requestHash: info.requestHash,
    treeSize,
    sealed: seal(info.key, cores),
    expires: idempotencyExpiry(now),
  };
}

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
      let take = 0;
      let n = 0;
      for (const w of this.#pool) {
        if (take > 0 && n + w.entries.length > this.#opts.maxBatch) break;
        take++;
        n += w.entries.length;
      }
      const batch = this.#pool.splice(0, take);
      this.#pooled -= n;
      await this.#commit(batch);
    }
    this.#running = false;
  }

  async #commit(batch: Waiting[]): Promise<void> {
    const oldSize = this.#writer.treeSize;
    const entries = batch.reduce((n, w) => n + w.entries.length, 0);
    let appended: Appended;
    try {
      const now = unixNow(this.#opts);
      appended = await this.#writer.append(
        batch.flatMap((w) => w.entries),
        batch.flatMap((w) => w.declarations),
        (indexes, treeSize) => {
          const idempotency: IdempotencyRecord[] = [];
          perRequest(indexes, batch).forEach((mine, i) => {
            const w = batch[i] as Waiting;
            if (w.idempotency)
              idempotency.push(
                sealRecord(w.idempotency, receiptCores(w.entries, w.salts, mine), treeSize, now),
              );
          });
          const publications = perRequest(indexes, batch).flatMap((mine, i) =>
            withIndexes(batch[i] as Waiting, mine),
          );
          return { idempotency, expireBefore: now, publications };
        },
      );
    } catch (e) {
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
    try {
      const cache: NodeCache = new Map();
      const answers = await Promise.all(
        perRequest(appended.indexes, batch).map((mine, i) => {
          const w = batch[i] as Waiting;
          return receipts(
            appended.readTiles,
            appended.treeSize,
            appended.checkpoint,
            receiptCores(w.entries, w.salts, mine),
            cache,
          );
        }),
      );
      batch.forEach((w, i) => {
        w.resolve(answers[i] as Receipt[]);
      });
    } catch (e) {
      // Reading back tiles the store has just written: the entries are logged all the same.
      reportFailure(
        this.#opts.telemetry,
        'answer',
        `building the receipts of tree size ${appended.treeSize} failed`,
        e,
        `${count(batch.length, 'request was', 'requests were')} answered with an error although the entries are logged (a retry with the same Idempotency-Key gets the receipts)`,
      );
      const failed = new SequencingError(true, { cause: e });
      for (const w of batch) w.reject(failed);
    }
  }

  /** Stops taking submissions and waits for those already taken. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running) await this.#idle;
  }
}

/** Splits a batch's indexes back into one list per request, in request order. */
function perRequest(
  indexes: readonly number[],
  batch: ReadonlyArray<{ entries: readonly unknown[] }>,
): number[][] {
  let at = 0;
  return batch.map((w) => {
    const mine = indexes.slice(at, at + w.entries.length);
    at += w.entries.length;
    return mine;
  });
}
