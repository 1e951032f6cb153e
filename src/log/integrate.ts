// Appending entries to a tiled log without I/O: the caller reads the tiles it is asked for and
// writes, in one transaction, the tiles this returns. A crash before the commit leaves the old tree
// intact; after it, the new one. (After transparency-dev/tessera's integrate.)
import { LogError } from './errors.ts';
import { HASH_SIZE, hashLeaf } from './hash.ts';
import { foldRange, rangeHash } from './merkle.ts';
import type { ReadTiles } from './proof.ts';
import {
  ENTRIES_LEVEL,
  edgeTiles,
  encodeEntryBundle,
  nodesAtLevel,
  parseEntryBundle,
  TILE_WIDTH,
  type Tile,
  type TileData,
  tileHash,
} from './tile.ts';

export interface Integration {
  readonly treeSize: number;
  readonly root: Uint8Array;
  /** Every tile and entry bundle that is new or changed, full and partial, each level once. */
  readonly tiles: TileData[];
  /** Leaf hashes of the appended entries, in order. */
  readonly leafHashes: Uint8Array[];
}

/**
 * Appends `entries` to the tree of `oldSize` leaves. `readTiles` is called once, for the partial
 * tiles and entry bundle on the right edge of the old tree, and must return them at exactly the
 * old tree's widths (the latest partial tiles, as a store keeps them). `leafHashes`, if given, are
 * the entries' leaf hashes computed elsewhere (an import hashes them on other threads).
 */
export async function integrate(
  readTiles: ReadTiles,
  oldSize: number,
  entries: readonly Uint8Array[],
  leafHashes?: readonly Uint8Array[],
): Promise<Integration> {
  if (leafHashes !== undefined && leafHashes.length !== entries.length)
    throw new LogError(
      'out-of-range',
      `${leafHashes.length} leaf hashes for ${entries.length} entries`,
    );
  if (!Number.isSafeInteger(oldSize) || oldSize < 0)
    throw new LogError('out-of-range', `bad tree size ${oldSize}`);
  const treeSize = oldSize + entries.length;
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
  for (const t of bundleTiles(oldSize, entries, bundle?.data)) tiles.push(t);

  const leaves = leafHashes ?? entries.map(hashLeaf);
  // Walk up the levels. `added` holds the new hashes at node height 8·level.
  const rootParts: Uint8Array[][] = [];
  let added: readonly Uint8Array[] = leaves;
  for (let level = 0; nodesAtLevel(treeSize, level) > 0; level++) {
    const oldN = nodesAtLevel(oldSize, level);
    const newN = nodesAtLevel(treeSize, level);
    const start = oldN - (oldN % TILE_WIDTH); // first index of the edge tile
    const prior = old.get(level)?.data;
    const hashes: Uint8Array[] = [];
    for (let i = 0; i < oldN - start; i++) hashes.push(tileHash(prior as Uint8Array, i));
    for (const h of added) hashes.push(h);
    // hashes[j] is node (8·level, start + j)

    for (let t = start; t < newN && newN > oldN; t += TILE_WIDTH) {
      const width = Math.min(TILE_WIDTH, newN - t);
      // The old partial tile is copied whole; only the new hashes are copied one by one.
      const kept = t === start && prior !== undefined ? prior : new Uint8Array(0);
      const data = new Uint8Array(width * HASH_SIZE);
      data.set(kept);
      for (let i = kept.length / HASH_SIZE; i < width; i++)
        data.set(hashes[t - start + i] as Uint8Array, i * HASH_SIZE);
      tiles.push({ tile: { level, index: t / TILE_WIDTH, width }, data });
    }
    // The tree's root folds the complete subtrees of its right edge. Those below the next tile
    // level are made of the hashes in the last, partial group of this level.
    const rest = newN % TILE_WIDTH;
    const parts: Uint8Array[] = [];
    for (let at = newN - rest - start, size = TILE_WIDTH / 2; size >= 1; size /= 2) {
      if (rest & size) {
        parts.push(rangeHash(hashes, at, at + size));
        at += size;
      }
    }
    rootParts.push(parts);
    // Each full group of 256 new-or-completed hashes becomes one hash of the level above.
    const next: Uint8Array[] = [];
    for (let t = oldN - (oldN % TILE_WIDTH); t + TILE_WIDTH <= newN; t += TILE_WIDTH) {
      next.push(rangeHash(hashes, t - start, t - start + TILE_WIDTH));
    }
    added = next;
  }
  const root = foldRange(rootParts.reverse().flat());
  return { treeSize, root, tiles, leafHashes: [...leaves] };
}

function bundleTiles(
  oldSize: number,
  entries: readonly Uint8Array[],
  prior: Uint8Array | undefined,
): TileData[] {
  const tiles: TileData[] = [];
  const newSize = oldSize + entries.length;
  const start = oldSize - (oldSize % TILE_WIDTH);
  for (let t = start; t < newSize && entries.length > 0; t += TILE_WIDTH) {
    const width = Math.min(TILE_WIDTH, newSize - t);
    const fresh = encodeEntryBundle(entries.slice(Math.max(0, t - oldSize), t + width - oldSize));
    const data = t === start && prior !== undefined ? concat(prior, fresh) : fresh;
    tiles.push({ tile: { level: ENTRIES_LEVEL, index: t / TILE_WIDTH, width }, data });
  }
  return tiles;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
