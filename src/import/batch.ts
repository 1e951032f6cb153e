// A batch of import records as it crosses from a worker to the thread that commits: shuffled,
// hashed and counted already, its entries and leaf hashes each packed in one transferred buffer,
// so that the committing thread has only the tree above the leaves and the commit left to do.
import { randomInt } from 'node:crypto';
import { HASH_SIZE, hashLeaf } from '../log/index.ts';
import {
  addEntry,
  type DeclarationEntry,
  emptyTotals,
  type Publication,
  type Totals,
} from '../registry/index.ts';

export interface Reject {
  readonly line: number;
  /** The line of the reject file: line number, reason and the record (shortened). */
  readonly text: string;
}

export interface PackedBatch {
  /** The entries, concatenated, in the order they are to be logged. */
  readonly packed: Uint8Array;
  readonly lengths: Uint16Array;
  /** SHA-256 leaf hashes of the entries, 32 bytes each, in the same order. */
  readonly leafHashes: Uint8Array;
  /** What the entries add to the totals. */
  readonly added: Totals;
  /** Publications, each with its entry's position in this batch in place of the log index. */
  readonly publications: Publication[];
  readonly rejects: Reject[];
  /** The last line this batch completes. */
  readonly lastLine: number;
  readonly bytesRead: number;
}

/** The buffers of a batch, to transfer rather than copy. */
export const transferList = (b: PackedBatch): ArrayBuffer[] => [
  b.packed.buffer as ArrayBuffer,
  b.lengths.buffer as ArrayBuffer,
  b.leafHashes.buffer as ArrayBuffer,
];

export function packBatch(
  records: ReadonlyArray<{
    readonly declaration: DeclarationEntry;
    readonly entry: Uint8Array;
    readonly publication: Omit<Publication, 'index'> | undefined;
  }>,
  rejects: Reject[],
  lastLine: number,
  bytesRead: number,
): PackedBatch {
  // The order of records in a file may say who came when: log them in a uniformly random order
  // (Fisher–Yates), as the sequencer does with a batch of live declarations.
  const order = records.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const lengths = new Uint16Array(records.length);
  let size = 0;
  for (const r of records) size += r.entry.length;
  const packed = new Uint8Array(size);
  const leafHashes = new Uint8Array(records.length * HASH_SIZE);
  const added = emptyTotals();
  const publications: Publication[] = [];
  let at = 0;
  order.forEach((from, k) => {
    const r = records[from] as (typeof records)[number];
    lengths[k] = r.entry.length;
    packed.set(r.entry, at);
    at += r.entry.length;
    leafHashes.set(hashLeaf(r.entry), k * HASH_SIZE);
    addEntry(added, r.declaration);
    if (r.publication) publications.push({ ...r.publication, index: k });
  });
  return { packed, lengths, leafHashes, added, publications, rejects, lastLine, bytesRead };
}

/** The entries and leaf hashes of a batch, as views into its buffers. */
export function unpackBatch(b: PackedBatch): { entries: Uint8Array[]; leafHashes: Uint8Array[] } {
  const entries: Uint8Array[] = [];
  const leafHashes: Uint8Array[] = [];
  let at = 0;
  b.lengths.forEach((length, k) => {
    entries.push(b.packed.subarray(at, at + length));
    leafHashes.push(b.leafHashes.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE));
    at += length;
  });
  return { entries, leafHashes };
}
