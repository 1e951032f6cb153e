// The sequencing core that every backend runs: take a batch of prepared requests (prepare.ts),
// commit it with the log writer (writer.ts: integrate, sign, commit), and answer each request with
// its receipts. `Sequencer` (one machine) and `ClusterSequencer` (the node holding the lock) differ
// only in where their requests wait and what they store with a commit.
import { TuidangError } from '../errors/index.ts';
import type { NodeCache, ReadTiles } from '../log/index.ts';
import { type DeclarationEntry, decodeEntry, type Entry, type Receipt } from '../registry/index.ts';
import type { Commit } from '../store/index.ts';
import { SequencingError, type Waiting } from './declarations.ts';
import { type ReceiptCore, receipts } from './prepare.ts';
import { count, reportFailure, type Telemetry } from './telemetry.ts';
import type { Appended, LogWriter } from './writer.ts';

/** What a batch is made of: a request's entries, with their decoded form (for the totals). */
export interface Batched {
  readonly entries: readonly Uint8Array[];
  readonly declarations: readonly Entry[];
}

/**
 * How many requests from the front of `queue` go in a batch with `room` entries left: as many as
 * fit, and the first whatever its size unless the batch holds something already (`started`), so
 * that a request larger than a batch is still logged, alone.
 */
export function fitting(
  queue: Iterable<{ readonly entries: readonly unknown[] }>,
  room: number,
  started: boolean,
): number {
  let take = 0;
  for (const r of queue) {
    if ((started || take > 0) && r.entries.length > room) break;
    take++;
    room -= r.entries.length;
  }
  return take;
}

/** The declarations a queued row holds (a row of the pending queue never holds a void). */
export function declarationsOf(entries: readonly Uint8Array[]): DeclarationEntry[] {
  return entries.map((e) => {
    const d = decodeEntry(e);
    if (d.kind !== 'declaration')
      throw new TuidangError('corrupt', 'a pending submission holds a void entry');
    return d;
  });
}

/** What a caller stores with the commit, once it knows the indexes of each request's entries. */
export type BatchExtras = (
  mine: readonly number[][],
  treeSize: number,
) => Pick<Commit, 'idempotency' | 'expireBefore' | 'publications' | 'sequenced'>;

/**
 * Logs the requests of `batch` in one durable commit; `mine` gives, in batch order, the indexes
 * each request's entries received. Throws if the commit fails: nothing is logged then.
 */
export async function commitBatch(
  writer: LogWriter,
  batch: readonly Batched[],
  extras: BatchExtras,
): Promise<{ appended: Appended; mine: number[][] }> {
  let mine: number[][] = [];
  const appended = await writer.append(
    batch.flatMap((r) => r.entries),
    batch.flatMap((r) => r.declarations),
    (indexes, treeSize) => {
      mine = perRequest(indexes, batch);
      return extras(mine, treeSize);
    },
  );
  return { appended, mine };
}

/** Splits a batch's indexes back into one list per request, in request order. */
function perRequest(
  indexes: readonly number[],
  batch: ReadonlyArray<{ readonly entries: readonly unknown[] }>,
): number[][] {
  let at = 0;
  return batch.map((r) => {
    const mine = indexes.slice(at, at + r.entries.length);
    at += r.entries.length;
    return mine;
  });
}

/** A checkpoint by the tree size it was committed at (or the first kept after it). */
export type CheckpointAt = (
  treeSize: number,
) => Promise<{ treeSize: number; note: string } | undefined>;

/**
 * Each request's receipts with inclusion proofs, from `readTiles` and the checkpoint of the tree
 * size it was committed at; one hash of each node for all the receipts of a checkpoint.
 */
export function buildReceipts(
  requests: ReadonlyArray<{ readonly cores: readonly ReceiptCore[]; readonly treeSize: number }>,
  readTiles: ReadTiles,
  checkpointAt: CheckpointAt,
): Promise<PromiseSettledResult<Receipt[]>[]> {
  const caches = new Map<number, NodeCache>();
  return Promise.allSettled(
    requests.map(async ({ cores, treeSize }) => {
      // The commit's checkpoint, or the first kept after it if a later commit replaced it.
      const checkpoint = await checkpointAt(treeSize);
      if (checkpoint === undefined)
        throw new TuidangError('corrupt', `no checkpoint stored from tree size ${treeSize}`);
      let cache = caches.get(checkpoint.treeSize);
      if (cache === undefined) {
        cache = new Map();
        caches.set(checkpoint.treeSize, cache);
      }
      return receipts(readTiles, checkpoint.treeSize, checkpoint.note, cores, cache);
    }),
  );
}

/**
 * Answers each request with its receipts, or, if they could not be built, with a
 * {@link SequencingError} (its entries are logged all the same); logs such failures once.
 */
export function answer(
  t: Telemetry,
  requests: readonly Waiting[],
  built: readonly PromiseSettledResult<Receipt[]>[],
): void {
  const failed = built.flatMap((b) => (b.status === 'rejected' ? [b.reason] : []));
  if (failed.length > 0)
    // Reading back tiles the store has just written, or a checkpoint it holds, failed.
    reportFailure(
      t,
      'answer',
      `building the receipts of ${count(failed.length, 'request', 'requests')} failed`,
      failed[0],
      'they were answered with an error although their entries are logged (a retry with the same Idempotency-Key gets the receipts)',
    );
  requests.forEach((w, i) => {
    const b = built[i] as PromiseSettledResult<Receipt[]>;
    if (b.status === 'fulfilled') w.resolve(b.value);
    else w.reject(new SequencingError(true, { cause: b.reason }));
  });
}

/** The point a commit reached, for a caller that awaits it: its tree size and checkpoint. */
export function committedAt(appended: Appended): CheckpointAt {
  const checkpoint = { treeSize: appended.treeSize, note: appended.checkpoint };
  return async () => checkpoint;
}
