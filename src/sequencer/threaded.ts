// The single-machine sequencer on a thread of its own, so that the registry uses both cores: the
// main thread serves HTTP (parsing, validation, idempotency keys, replies) while the sequencer's
// thread prepares entries, integrates them, signs, commits (node:sqlite blocks its thread for the
// fsync), and builds the receipts' proofs. Each side batches what it sends: every turn of the event
// loop, one message carries all the submissions that arrived, and one carries all the answers of a
// commit.
//
// Nothing changes for a declarant: a request is answered only after its commit is durable, there
// is one writer (the thread owns the store's write connection; the main thread only reads, and
// writes what is not the log: staff, newsletter, spent tokens), and receipts are the same.
import { Worker } from 'node:worker_threads';
import { ClosedError, TuidangError } from '../errors/index.ts';
import type { Receipt, Submission, VoidReason } from '../registry/index.ts';
import type { Store } from '../store/index.ts';
import {
  type Declarations,
  IdempotencyConflictError,
  type IdempotencyInfo,
  PoolFullError,
  SequencingError,
} from './declarations.ts';
import { type Inflight, idempotent, replayRecord } from './replay.ts';
import { reportFailure, type Stage, type Telemetry } from './telemetry.ts';
import { VoidError } from './writer.ts';

/** What the sequencer's thread is started with: plain data (a signer is made from the key). */
export interface ThreadData {
  readonly dataDir: string;
  readonly origin: string;
  /** The log's signing key (a note signer key). */
  readonly skey: string;
  readonly delayMs: number;
  readonly maxBatch?: number | undefined;
  readonly maxPool?: number | undefined;
}

/** From the main thread, once per turn of its event loop. */
export interface ToThread {
  readonly submits: ReadonlyArray<{
    readonly id: number;
    readonly s: Submission;
    readonly info: IdempotencyInfo | undefined;
  }>;
  readonly voids: ReadonlyArray<{
    readonly id: number;
    readonly targets: readonly number[];
    readonly reason: VoidReason;
  }>;
  readonly close?: true;
}

export type WireError = {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly recorded?: boolean;
  readonly cause?: { readonly code: string; readonly message: string };
  readonly target?: number;
  readonly problem?: VoidError['problem'];
};

/** From the sequencer's thread. */
export type FromThread =
  | { readonly ready: true; readonly treeSize: number }
  | { readonly failedToStart: WireError }
  | { readonly closed: true }
  | {
      readonly answers: ReadonlyArray<
        | { readonly id: number; readonly receipts: Receipt[] }
        | { readonly id: number; readonly treeSize: number }
        | { readonly id: number; readonly error: WireError }
      >;
      readonly logs: readonly string[];
      readonly metrics: ReadonlyArray<{ readonly m: string; readonly a: unknown[] }>;
    };

/** An error as it crosses the thread boundary: its class's fields, without stack or data. */
export function toWire(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: 'Error', code: 'internal', message: String(e) };
  const code = e instanceof TuidangError ? e.code : 'internal';
  const out: WireError = { name: e.name, code, message: e.message };
  if (e instanceof SequencingError) {
    const c = e.cause;
    return {
      ...out,
      recorded: e.recorded,
      cause: {
        code: c instanceof TuidangError ? c.code : 'internal',
        message: c instanceof Error ? c.message : String(c),
      },
    };
  }
  if (e instanceof VoidError) return { ...out, target: e.target, problem: e.problem };
  return out;
}

/** The error `toWire` described, as the class the HTTP layer tells apart. */
export function fromWire(w: WireError): Error {
  switch (w.name) {
    case 'SequencingError':
      return new SequencingError(w.recorded ?? false, {
        cause: new TuidangError(
          (w.cause?.code ?? 'internal') as never,
          w.cause?.message ?? w.message,
        ),
      });
    case 'VoidError':
      return new VoidError(w.message, w.target ?? -1, w.problem ?? 'missing');
    case 'PoolFullError':
      return new PoolFullError(w.message);
    case 'IdempotencyConflictError':
      return new IdempotencyConflictError();
    default:
      return new TuidangError(w.code as never, w.message);
  }
}

interface Pending {
  readonly resolve: (value: never) => void;
  readonly reject: (e: unknown) => void;
  /** Declarants it holds (0 for a void). */
  readonly declarants: number;
}

export class ThreadedSequencer implements Declarations {
  readonly #worker: Worker;
  readonly #store: Store;
  readonly #t: Telemetry;
  readonly #maxPool: number;
  readonly #now: () => number;
  readonly #pending = new Map<number, Pending>();
  readonly #inflight: Inflight = new Map();
  #outbox: { submits: ToThread['submits'][number][]; voids: ToThread['voids'][number][] } = {
    submits: [],
    voids: [],
  };
  #flushing = false;
  #nextId = 1;
  #pooled = 0;
  /** Why no more can be sequenced: closed, or the thread stopped. */
  #stopped: Error | undefined;
  #exited: Promise<void>;
  readonly #started = Promise.withResolvers<void>();

  private constructor(worker: Worker, store: Store, t: Telemetry, maxPool: number) {
    this.#worker = worker;
    this.#store = store;
    this.#t = t;
    this.#maxPool = maxPool;
    this.#now = () => Math.floor(Date.now() / 1000);
    this.#exited = new Promise((done) => worker.once('exit', () => done()));
    worker.on('message', (m: FromThread) => this.#receive(m));
    worker.on('error', (e) => this.#stop(e));
    worker.once('exit', (code) => {
      const e = new TuidangError('internal', `the sequencer thread exited with code ${code}`);
      this.#started.reject(e);
      this.#stop(e);
    });
  }

  /**
   * Starts the sequencer's thread over the store in `data.dataDir` and waits until it serves (it
   * has written the empty tree's checkpoint if the log was new). `store` is this thread's own
   * connection, for replaying idempotent requests.
   */
  static async open(store: Store, data: ThreadData, t: Telemetry): Promise<ThreadedSequencer> {
    const worker = new Worker(new URL('./thread.ts', import.meta.url), { workerData: data });
    const s = new ThreadedSequencer(worker, store, t, data.maxPool ?? 65536);
    await s.#started.promise;
    return s;
  }

  get poolDepth(): number {
    return this.#pooled;
  }

  trouble(): string | undefined {
    return this.#stopped?.message;
  }

  submit(s: Submission, options: { idempotencyKey?: string | undefined } = {}): Promise<Receipt[]> {
    return idempotent(
      this.#inflight,
      options.idempotencyKey,
      s,
      (info) => replayRecord(this.#store, info, this.#now()),
      (info) => {
        if (this.#stopped) return Promise.reject(this.#stopped);
        if (this.#pooled + s.declarants.length > this.#maxPool)
          return Promise.reject(new PoolFullError('too many declarations are waiting'));
        const id = this.#nextId++;
        this.#outbox.submits.push({ id, s, info });
        return this.#await<Receipt[]>(id, s.declarants.length);
      },
    );
  }

  void(targets: readonly number[], reason: VoidReason): Promise<number> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    this.#outbox.voids.push({ id, targets: [...targets], reason });
    return this.#await<number>(id, 0);
  }

  #await<T>(id: number, declarants: number): Promise<T> {
    this.#pooled += declarants;
    const answer = new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: never) => void, reject, declarants });
    });
    if (!this.#flushing) {
      this.#flushing = true;
      setImmediate(() => this.#flush());
    }
    return answer;
  }

  #flush(): void {
    this.#flushing = false;
    const out = this.#outbox;
    if (out.submits.length === 0 && out.voids.length === 0) return;
    this.#outbox = { submits: [], voids: [] };
    this.#worker.postMessage(out satisfies ToThread);
  }

  #receive(m: FromThread): void {
    if ('ready' in m) {
      this.#t.metrics.treeSize(m.treeSize);
      this.#started.resolve();
      return;
    }
    if ('failedToStart' in m) {
      const e = fromWire(m.failedToStart);
      this.#stopped = e;
      this.#started.reject(e);
      return;
    }
    if ('closed' in m) return;
    for (const line of m.logs) this.#log(line);
    for (const { m: name, a } of m.metrics)
      (this.#t.metrics[name as keyof Telemetry['metrics']] as (...a: unknown[]) => void)(...a);
    for (const a of m.answers) {
      const p = this.#pending.get(a.id);
      if (p === undefined) continue;
      this.#pending.delete(a.id);
      this.#pooled -= p.declarants;
      if ('error' in a) p.reject(fromWire(a.error));
      else p.resolve(('receipts' in a ? a.receipts : a.treeSize) as never);
    }
  }

  /** A line the sequencer's thread logged, through this thread's logger (and its redaction). */
  #log(line: string): void {
    const {
      level,
      msg,
      time: _t,
      pid: _p,
      hostname: _h,
      service: _s,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const logger = this.#t.logger;
    const label = logger.levels.labels[level as number] ?? 'info';
    const write = logger[label as 'info'];
    write.call(logger, rest, String(msg ?? ''));
  }

  /** No more can be sequenced: every request still waiting is answered with an error. */
  #stop(e: Error): void {
    if (this.#stopped === undefined)
      reportFailure(
        this.#t,
        'commit' satisfies Stage,
        'the sequencer thread stopped',
        e,
        `${this.#pending.size} waiting requests were answered with an error; nothing more can be logged until the registry restarts`,
      );
    // The thread may have committed some before it stopped: a retry with the same
    // Idempotency-Key then gets their receipts.
    const failed = this.#stopped ?? new SequencingError(true, { cause: e });
    this.#stopped = failed;
    for (const p of this.#pending.values()) p.reject(failed);
    this.#pending.clear();
    this.#pooled = 0;
  }

  /**
   * Ends the thread at once, as a fault in it would (for tests of what requests are answered
   * then): every waiting request is answered with an error.
   */
  async abort(): Promise<void> {
    await this.#worker.terminate();
    await this.#exited;
  }

  /** Stops taking submissions, waits for those already taken, and stops the thread. */
  async close(): Promise<void> {
    if (this.#stopped === undefined) {
      this.#flush();
      this.#stopped = new ClosedError();
      this.#worker.postMessage({ submits: [], voids: [], close: true } satisfies ToThread);
    }
    await this.#exited;
  }
}
