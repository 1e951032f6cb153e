// Appending entries to a tiled log without I/O: the caller reads the tiles it is asked for and
// writes, in one transaction, the tiles this returns. A crash before the commit leaves the old tree
// intact; after it, the new one. (After transparency-dev/tessera's integrate.)
import { LogError } from './errors.ts';
import { concatBytes, HASH_SIZE, hashLeaf } from './hash.ts';
import { foldRange, packedRangeHash } from './merkle.ts';
import type { ReadTiles } from './proof.ts';
import { subtreeHashInto } from './sha256.ts';
import {
  ENTRIES_LEVEL,
  edgeTiles,
  encodeEntryBundle,
  encodePackedBundle,
  joinHashes,
  nodesAtLevel,
  parseEntryBundle,
  TILE_WIDTH,
  type Tile,
  type TileData,
} from './tile.ts';

export interface Integration {
  readonly treeSize: number;
  readonly root: Uint8Array;
  /** Every tile and entry bundle that is new or changed, full and partial, each level once. */
  readonly tiles: TileData[];
}

/**
 * Entries packed one after another, with their lengths and their leaf hashes (32 bytes each, in
 * the same order): an import's batch as its worker threads made it, without an object per entry.
 */
export interface PackedEntries {
  readonly packed: Uint8Array;
  readonly lengths: Uint16Array;
  readonly leafHashes: Uint8Array;
  /**
   * Hashes of complete 256-leaf subtrees of the new entries, computed elsewhere: the first is of
   * leaves `from`…`from + 255` (`from` a multiple of 256, not before the first new entry), each next
   * one of the 256 leaves after. Without them, they are computed here.
   */
  readonly subtrees?: { readonly from: number; readonly roots: Uint8Array } | undefined;
}

/**
 * Appends `entries` to the tree of `oldSize` leaves. `readTiles` is called once, for the partial
 * tiles and entry bundle on the right edge of the old tree, and must return them at exactly the
 * old tree's widths (the latest partial tiles, as a store keeps them). Packed entries bring their
 * leaf hashes (an import hashes them on other threads), and perhaps some subtree hashes; a list of
 * entries may bring them too (`hashed`: a verifier has just checked them against a level-0 tile).
 */
export async function integrate(
  readTiles: ReadTiles,
  oldSize: number,
  entries: readonly Uint8Array[] | PackedEntries,
  hashed?: Pick<PackedEntries, 'leafHashes' | 'subtrees'>,
): Promise<Integration> {
  const packed = Array.isArray(entries) ? undefined : (entries as PackedEntries);
  const count = packed ? packed.lengths.length : (entries as readonly Uint8Array[]).length;
  const given = packed?.leafHashes ?? hashed?.leafHashes;
  if (given !== undefined && given.length !== count * HASH_SIZE)
    throw new LogError(
      'out-of-range',
      `${given.length / HASH_SIZE} leaf hashes for ${count} entries`,
    );
  if (!Number.isSafeInteger(oldSize) || oldSize < 0)
    throw new LogError('out-of-range', `bad tree size ${oldSize}`);
  const treeSize = oldSize + count;
  const subtree = subtreesOf(packed?.subtrees ?? hashed?.subtrees, oldSize, treeSize);
  const edge = edgeTiles(oldSize);
  const edgeData = edge.length === 0 ? [] : await readTiles(edge);
  const old = new Map<number, { tile: Tile; data: Uint8Array }>();
  edge.forEach((tile, i) => {
    const data = edgeData[i];
    if (data === undefined)
      throw new LogError('malformed-tile', `tile reader returned no data for level ${tile.level}`);
    if (tile.level !== ENTRIES_LEVEL && data.length !== tile.width * HASH_SIZE) {
      throw new LogError(
        'malformed-tile',
        `edge tile ${tile.level}/${tile.index} has ${data.length} bytes, expected ${tile.width * HASH_SIZE}`,
      );
    }
    old.set(tile.level, { tile, data });
  });

  const tiles: TileData[] = [];
  const bundle = old.get(ENTRIES_LEVEL);
  if (bundle !== undefined) parseEntryBundle(bundle.data, bundle.tile.width); // checks width
  for (const t of bundleTiles(oldSize, count, packed ?? entries, bundle?.data)) tiles.push(t);

  // Walk up the levels. `added` holds the new hashes at node height 8·level, packed.
  let added = given ?? joinHashes((entries as readonly Uint8Array[]).map(hashLeaf));
  // The root's parts, as ranges of packed hashes: hashed only if the root is asked for.
  const rootParts: Array<Array<readonly [Uint8Array, number, number]>> = [];
  for (let level = 0; nodesAtLevel(treeSize, level) > 0; level++) {
    const oldN = nodesAtLevel(oldSize, level);
    const newN = nodesAtLevel(treeSize, level);
    const start = oldN - (oldN % TILE_WIDTH); // first index of the edge tile
    const prior = old.get(level)?.data;
    // The hash of node (8·level, start + j) at j·32: the old partial tile's, then the new ones.
    const hashes =
      prior === undefined || oldN === start
        ? added
        : concatBytes(prior.subarray(0, (oldN - start) * HASH_SIZE), added);

    for (let t = start; t < newN && newN > oldN; t += TILE_WIDTH) {
      const width = Math.min(TILE_WIDTH, newN - t);
      const from = (t - start) * HASH_SIZE;
      tiles.push({
        tile: { level, index: t / TILE_WIDTH, width },
        data: hashes.slice(from, from + width * HASH_SIZE),
      });
    }
    // The tree's root folds the complete subtrees of its right edge. Those below the next tile
    // level are made of the hashes in the last, partial group of this level.
    const rest = newN % TILE_WIDTH;
    const parts: Array<readonly [Uint8Array, number, number]> = [];
    for (let at = newN - rest - start, size = TILE_WIDTH / 2; size >= 1; size /= 2) {
      if (rest & size) {
        parts.push([hashes, at, at + size]);
        at += size;
      }
    }
    rootParts.push(parts);
    // Each full group of 256 new-or-completed hashes becomes one hash of the level above.
    const next = new Uint8Array(
      (Math.floor(newN / TILE_WIDTH) - Math.floor(oldN / TILE_WIDTH)) * HASH_SIZE,
    );
    for (let t = start, k = 0; t + TILE_WIDTH <= newN; t += TILE_WIDTH, k++) {
      const given = level === 0 ? subtree(t) : undefined;
      if (given !== undefined) next.set(given, k * HASH_SIZE);
      else subtreeHashInto(next, k * HASH_SIZE, hashes, (t - start) * HASH_SIZE, TILE_WIDTH);
    }
    added = next;
  }
  let root: Uint8Array | undefined;
  return {
    treeSize,
    tiles,
    // A verifier integrating bundle by bundle needs the root only at a few sizes: folding it at
    // every bundle would cost about as many hashes again as the bundle's own.
    get root() {
      root ??= foldRange(
        rootParts
          .reverse()
          .flat()
          .map(([hashes, from, to]) => packedRangeHash(hashes, from, to)),
      );
      return root;
    },
  };
}

/** The given hash of the 256-leaf subtree from leaf `t`, if any; checks that they fit the tree. */
function subtreesOf(
  given: PackedEntries['subtrees'],
  oldSize: number,
  treeSize: number,
): (t: number) => Uint8Array | undefined {
  if (given === undefined || given.roots.length === 0) return () => undefined;
  const n = given.roots.length / HASH_SIZE;
  if (
    !Number.isInteger(n) ||
    given.from % TILE_WIDTH !== 0 ||
    given.from < oldSize ||
    given.from + n * TILE_WIDTH > treeSize
  ) {
    throw new LogError(
      'out-of-range',
      `${n} subtree hashes from leaf ${given.from} do not fit leaves ${oldSize}…${treeSize - 1}`,
    );
  }
  return (t) => {
    const k = (t - given.from) / TILE_WIDTH;
    return k >= 0 && k < n ? given.roots.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE) : undefined;
  };
}

function bundleTiles(
  oldSize: number,
  count: number,
  entries: readonly Uint8Array[] | PackedEntries,
  prior: Uint8Array | undefined,
): TileData[] {
  const tiles: TileData[] = [];
  const newSize = oldSize + count;
  const start = oldSize - (oldSize % TILE_WIDTH);
  let at = 0; // for packed entries: the offset of the next one
  for (let t = start; t < newSize && count > 0; t += TILE_WIDTH) {
    const width = Math.min(TILE_WIDTH, newSize - t);
    const lo = Math.max(0, t - oldSize);
    const hi = t + width - oldSize;
    let fresh: Uint8Array;
    if (Array.isArray(entries)) fresh = encodeEntryBundle(entries.slice(lo, hi));
    else {
      const { packed, lengths } = entries as PackedEntries;
      fresh = encodePackedBundle(packed, at, lengths.subarray(lo, hi));
      for (let i = lo; i < hi; i++) at += lengths[i] as number;
    }
    const data = t === start && prior !== undefined ? concatBytes(prior, fresh) : fresh;
    tiles.push({ tile: { level: ENTRIES_LEVEL, index: t / TILE_WIDTH, width }, data });
  }
  return tiles;
}
