// A cluster node's requests between their rows being queued and their answer: the node hears
// (LISTEN/NOTIFY, with polling as a fallback) that rows of its own were sequenced, by whichever
// node holds the lock, and answers them from the salts it kept in memory. The leader's own rows,
// logged from memory, are answered here too. Retries of a request another node accepted are
// answered from its row once sequenced.
import { TuidangError } from '../errors/index.ts';
import type { ReadTiles } from '../log/index.ts';
import type { Receipt } from '../registry/index.ts';
import type { ClusterStore, SequencedRow, Store } from '../store/index.ts';
import { answer, buildReceipts, type CheckpointAt, committedAt } from './core.ts';
import {
  IdempotencyConflictError,
  type IdempotencyInfo,
  PoolFullError,
  type Waiting,
} from './declarations.ts';
import { unseal } from './idempotency.ts';
import { receiptCores, withIndexes } from './prepare.ts';
import { replayRecord, sealRecord, storedReceipts } from './replay.ts';
import { Signal, until } from './signal.ts';
import { count, FailureRun, type Telemetry } from './telemetry.ts';
import type { Appended } from './writer.ts';

/** How often a node looks for its sequenced rows when it hears no notice. */
export const POLL_MS = 200;
/** How long a retry waits for the earlier request with its key to be logged. */
const EARLIER_MS = 30_000;

/** A request of this node, with the id of its queued row. */
export interface Queued {
  readonly id: number;
  readonly w: Waiting;
}

/** A request of this node whose entries were sequenced: at these indexes, at this tree size. */
interface Sequenced extends Queued {
  readonly indexes: number[];
  readonly treeSize: number;
}

export class Collector {
  readonly #store: Store;
  readonly #queue: ClusterStore;
  readonly #t: Telemetry;
  readonly #now: () => number;
  /** Requests of this node whose rows another node sequences (or did): answered by collect(). */
  readonly #waiting = new Map<number, Waiting>();
  /** Declarants accepted by this node and not answered yet, wherever they wait. */
  #declarants = 0;
  #collecting = false;
  readonly #failures: FailureRun;
  /** Fired at each notice or poll that rows were sequenced. */
  readonly #noticed = new Signal();
  /** Fired at each notice or poll, and each time requests are answered. */
  readonly changed = new Signal();

  constructor(store: Store, t: Telemetry, now: () => number) {
    this.#store = store;
    this.#queue = store.cluster;
    this.#t = t;
    this.#now = now;
    this.#failures = new FailureRun(t, 'answer');
  }

  get declarants(): number {
    return this.#declarants;
  }

  /** Counts declarants accepted (`n` > 0) or given up before they were queued (`n` < 0). */
  reserve(n: number): void {
    this.#declarants += n;
  }

  /** Requests waiting for another node to sequence their rows. */
  get size(): number {
    return this.#waiting.size;
  }

  /** The row ids of those requests. */
  ids(): number[] {
    return [...this.#waiting.keys()];
  }

  has(id: number): boolean {
    return this.#waiting.has(id);
  }

  /** A queued request goes the long way: another node (or this one) takes its row. */
  wait({ id, w }: Queued): void {
    this.#waiting.set(id, w);
  }

  /** Requests held in memory by the leader go the long way: answered by collect(). */
  handBack(items: readonly Queued[]): void {
    if (items.length === 0) return;
    for (const q of items) this.wait(q);
    void this.collect();
  }

  /** A notice, or the poll: rows may have been sequenced. */
  noticed(): void {
    this.#noticed.fire();
    this.changed.fire();
    void this.collect();
  }

  /** Answers every waiting request of this node whose entries have been sequenced. */
  async collect(): Promise<void> {
    if (this.#collecting || this.#waiting.size === 0) return;
    this.#collecting = true;
    let failed = false;
    try {
      const rows = (await this.#queue.sequenced(this.ids())).filter((r) => this.#waiting.has(r.id));
      if (rows.length === 0) return;
      // One read of each checkpoint, and of each tile, for all these receipts.
      const checkpoints = new Map<number, ReturnType<CheckpointAt>>();
      await this.answer(
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
      this.#failures.succeeded('answering waiting requests works');
    } catch (e) {
      failed = true;
      this.#failures.failed(
        `answering ${count(this.#waiting.size, 'waiting request', 'waiting requests')} failed`,
        e,
        `retrying in ${POLL_MS} ms`,
      );
    } finally {
      this.#collecting = false;
    }
    // Rows sequenced while this pass ran are answered by the next one, without waiting for a poll;
    // after a failure (the database down), the poll starts the next pass: never a loop at once.
    if (!failed && this.#waiting.size > 0) setImmediate(() => void this.collect());
  }

  /**
   * As the leader: answers this node's requests of a commit from its tiles and checkpoint, while
   * the next batch commits; hands them to collect() if finishing their rows fails.
   */
  answerCommitted(done: readonly Sequenced[], appended: Appended): void {
    void this.answer(done, appended.readTiles, committedAt(appended)).catch((e: unknown) => {
      this.#failures.failed(
        `answering ${count(done.length, 'request', 'requests')} of tree size ${appended.treeSize} failed`,
        e,
        `retrying in ${POLL_MS} ms`,
      );
      this.handBack(done.map(({ id, w }) => ({ id, w })));
    });
  }

  /**
   * Finishes the rows of sequenced requests of this node (sealed receipts and publications kept,
   * rows gone, in one statement) while building their receipts, then answers them. Throws,
   * answering none, if finishing fails: the rows stay, sequenced, for another try.
   */
  async answer(
    done: readonly Sequenced[],
    readTiles: ReadTiles,
    checkpointAt: CheckpointAt,
  ): Promise<void> {
    const now = this.#now();
    const cores = done.map((d) => receiptCores(d.w.entries, d.w.salts, d.indexes));
    // Publications are stored by the accepting node, which alone still holds the names.
    const finished = this.#queue.finishPending(
      done.map((d) => d.id),
      done.flatMap((d, i) =>
        d.w.idempotency ? [sealRecord(d.w.idempotency, cores[i] ?? [], d.treeSize, now)] : [],
      ),
      done.flatMap((d) => withIndexes(d.w, d.indexes)),
    );
    finished.catch(() => {}); // awaited below, after the proofs
    const built = await buildReceipts(
      done.map((d, i) => ({ cores: cores[i] ?? [], treeSize: d.treeSize })),
      readTiles,
      checkpointAt,
    );
    await finished;
    for (const d of done) this.#settle(d);
    answer(
      this.#t,
      done.map((d) => d.w),
      built,
    );
    this.changed.fire();
  }

  /** Answers every request still waiting with `error` (the node shuts down). */
  rejectAll(error: Error): void {
    for (const [id, w] of this.#waiting) {
      this.#settle({ id, w });
      w.reject(error);
    }
    this.changed.fire();
  }

  /** A request of this node is answered (from #waiting, or held by the leader's last commit). */
  #settle({ id, w }: Queued): void {
    if (this.#waiting.get(id) === w) this.#waiting.delete(id);
    this.#declarants -= w.entries.length;
  }

  /**
   * The receipts of an earlier request with this key, accepted by any node: from its sealed record,
   * or from its pending row once sequenced (waiting for that, woken by the notices and the poll).
   * Undefined if there is no such request, unless `known` says there is one: then wait for it.
   */
  async earlier(info: IdempotencyInfo, known: boolean): Promise<Receipt[] | undefined> {
    const deadline = Date.now() + EARLIER_MS;
    while (Date.now() < deadline) {
      const replayed = await replayRecord(this.#store, info, this.#now());
      if (replayed !== undefined) return replayed;
      const [row] = await this.#queue.sequenced([], info.keyId);
      if (row !== undefined) {
        if (row.requestHash !== info.requestHash) throw new IdempotencyConflictError();
        return this.#fromRow(row, info);
      }
      const pending = await this.#queue.pendingByKey(info.keyId);
      if (pending !== undefined && pending.requestHash !== info.requestHash)
        throw new IdempotencyConflictError();
      if (pending === undefined && !known) return undefined;
      await until(POLL_MS, this.#noticed.next());
    }
    throw new PoolFullError(
      'the earlier request with this Idempotency-Key is still waiting to be logged',
    );
  }

  #fromRow(row: SequencedRow, info: IdempotencyInfo): Promise<Receipt[]> {
    if (row.sealed === null)
      throw new TuidangError('corrupt', 'a sequenced submission with a key holds no sealed salts');
    const salts = unseal(info.key, row.sealed).map((c) => Buffer.from(c.salt, 'base64'));
    return storedReceipts(this.#store, row.treeSize, receiptCores(row.entries, salts, row.indexes));
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
