// A batch of import records as it crosses from a worker to the thread that commits: shuffled,
// hashed and counted already, its entries and leaf hashes each packed in one transferred buffer,
// so that the committing thread has only the tree above the leaves and the commit left to do.
// Records are kept as packed numbers until then (src/import/fast.ts), and written, committed to
// and hashed in one loop straight into the batch's buffers, in their shuffled order.
import { randomFillSync } from 'node:crypto';
import { TuidangError } from '../errors/index.ts';
import { HASH_SIZE, sha256Into, subtreeHashInto, TILE_WIDTH } from '../log/index.ts';
import {
  bareCommitmentInto,
  DECLARATION_SIZE,
  type Publication,
  SALT_SIZE,
  type Totals,
  writeDeclarationHead,
} from '../registry/index.ts';
import { fieldDay, fieldOrgs, fieldRegion } from './fast.ts';

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
  /** The log index the batch was expected to start at, when it was prepared. */
  readonly offset: number;
  /**
   * Hashes of the batch's complete 256-leaf subtrees if it starts at `offset` (`from` is the first
   * subtree's first leaf): of use unless an earlier batch still in the works had rejects.
   */
  readonly subtrees: { readonly from: number; readonly roots: Uint8Array };
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
  b.subtrees.roots.buffer as ArrayBuffer,
];

/** A record read by the general path: its commitment made already, and what it publishes. */
export interface GeneralRecord {
  readonly commitment: Uint8Array;
  readonly publication: Omit<Publication, 'index'> | undefined;
}

/**
 * The batch of `n` records: `fields[i]` packed as src/import/fast.ts does; records the general
 * path read (in `general`, by position) bring their commitment, the others get a fresh salt each,
 * committing to no name and no statement. All are import declarations of 40 bytes. `offset` is
 * the log index the batch is expected to start at.
 */
export function packBatch(
  offset: number,
  fields: Int32Array,
  n: number,
  general: ReadonlyMap<number, GeneralRecord>,
  added: Totals,
  rejects: Reject[],
  lastLine: number,
  bytesRead: number,
): PackedBatch {
  const order = shuffledOrder(n);
  const packed = new Uint8Array(n * DECLARATION_SIZE);
  const lengths = new Uint16Array(n).fill(DECLARATION_SIZE);
  const leafHashes = new Uint8Array(n * HASH_SIZE);
  const publications: Publication[] = [];
  // Salts of records with no name are not kept: no receipt is given for them.
  const salts = randomFillSync(new Uint8Array(n * SALT_SIZE));
  for (let k = 0; k < n; k++) {
    const from = order[k] as number;
    const f = fields[from] as number;
    const at = k * DECLARATION_SIZE;
    writeDeclarationHead(packed, at, fieldDay(f), fieldOrgs(f), 'import', fieldRegion(f));
    const g = general.size === 0 ? undefined : general.get(from);
    if (g === undefined) bareCommitmentInto(packed, at + 8, salts, k * SALT_SIZE);
    else {
      packed.set(g.commitment, at + 8);
      if (g.publication) publications.push({ ...g.publication, index: k });
    }
    sha256Into(leafHashes, k * HASH_SIZE, packed, at, DECLARATION_SIZE, 0x00); // the leaf hash
  }
  salts.fill(0);
  // The complete subtrees of 256 leaves, aligned in the log: the writer's hashing, done here.
  const first = (TILE_WIDTH - (offset % TILE_WIDTH)) % TILE_WIDTH;
  const count = n > first ? Math.floor((n - first) / TILE_WIDTH) : 0;
  const roots = new Uint8Array(count * HASH_SIZE);
  for (let g = 0; g < count; g++)
    subtreeHashInto(
      roots,
      g * HASH_SIZE,
      leafHashes,
      (first + g * TILE_WIDTH) * HASH_SIZE,
      TILE_WIDTH,
    );
  const subtrees = { from: offset + first, roots };
  return {
    offset,
    packed,
    lengths,
    leafHashes,
    subtrees,
    added,
    publications,
    rejects,
    lastLine,
    bytesRead,
  };
}

/**
 * 0…n-1 in a uniformly random order: the order of records in a file may say who came when, so
 * they are logged in random order (Fisher–Yates), as the sequencer does with a batch of live
 * declarations. Each position is drawn from 32 random bits without bias (Lemire's method).
 */
export function shuffledOrder(n: number): Uint32Array {
  if (n > 2 ** 21) throw new TuidangError('internal', `a batch of ${n} records is too large`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = randomFillSync(new Uint32Array(Math.max(1, n)));
  let used = 0;
  const draw = (): number => {
    if (used === random.length) {
      randomFillSync(random);
      used = 0;
    }
    return random[used++] as number;
  };
  const RANGE = 2 ** 32;
  for (let i = n - 1; i > 0; i--) {
    const s = i + 1; // below 2^21, so that r·s is exact
    let m = draw() * s;
    if (m % RANGE < s) {
      const threshold = (RANGE - s) % s;
      while (m % RANGE < threshold) m = draw() * s;
    }
    const j = Math.floor(m / RANGE);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}
