// Inclusion and consistency proofs, and tree hashes, computed from tiles (c2sp.org/tlog-tiles).
//
// The code asks `readTiles` for exactly the tiles it needs, all at once, so the same functions
// serve a database, a directory or an HTTP mirror (which can fetch them concurrently).
import { LogError } from './errors.ts';
import { HASH_SIZE, hashChildren } from './hash.ts';
import { consistencyRanges, foldRange, inclusionRanges, type Node, rangeNodes } from './merkle.ts';
import { TILE_HEIGHT, TILE_WIDTH, type Tile, tileAt, tileHash } from './tile.ts';

/**
 * Reads hash tiles (or entry bundles). Returns one data buffer per requested tile, in order. A
 * reader may return a wider version of a partial tile (a later partial, or the full tile): only the
 * prefix is used. It throws if a tile cannot be read.
 */
export type ReadTiles = (tiles: readonly Tile[]) => Promise<readonly Uint8Array[]>;

/**
 * Computed subtree hashes, keyed by `height/index`. Pass one cache to all the proofs of one tree
 * size (e.g. the receipts of a batch) and each node is hashed once instead of once per proof.
 */
export type NodeCache = Map<string, Uint8Array>;

/** Hashes of complete subtrees of a tree of `treeSize`, read from the fewest tiles. */
export async function readNodeHashes(
  readTiles: ReadTiles,
  treeSize: number,
  nodes: readonly Node[],
  cache: NodeCache = new Map(),
): Promise<Uint8Array[]> {
  const tiles = new Map<string, Tile>();
  for (const node of nodes) {
    if ((node.index + 1) * 2 ** node.height > treeSize) {
      throw new LogError(
        'out-of-range',
        `subtree ${node.height}/${node.index} is not complete in a tree of size ${treeSize}`,
      );
    }
    if (cache.has(`${node.height}/${node.index}`)) continue;
    // The node's hash is the root of 2^r consecutive hashes in one tile of level L.
    const level = Math.floor(node.height / TILE_HEIGHT);
    const first = node.index * 2 ** (node.height % TILE_HEIGHT);
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const key = `${level}/${tileIndex}`;
    if (!tiles.has(key)) tiles.set(key, tileAt(treeSize, level, tileIndex));
  }
  const wanted = [...tiles.values()];
  const data = wanted.length === 0 ? [] : await readTiles(wanted);
  const byKey = new Map<string, Uint8Array>();
  wanted.forEach((tile, i) => {
    const d = data[i];
    // Tile bytes may come from an untrusted mirror: check the size before indexing into them.
    if (d === undefined || d.length < tile.width * HASH_SIZE || d.length % HASH_SIZE !== 0) {
      throw new LogError(
        'malformed-tile',
        `tile ${tile.level}/${tile.index} has ${d?.length ?? 0} bytes, expected at least ${tile.width * HASH_SIZE}`,
      );
    }
    byKey.set(`${tile.level}/${tile.index}`, d);
  });
  const hashOf = (height: number, index: number): Uint8Array => {
    const key = `${height}/${index}`;
    let h = cache.get(key);
    if (h !== undefined) return h;
    if (height % TILE_HEIGHT === 0) {
      const level = height / TILE_HEIGHT;
      const d = byKey.get(`${level}/${Math.floor(index / TILE_WIDTH)}`) as Uint8Array;
      h = tileHash(d, index % TILE_WIDTH);
    } else {
      h = hashChildren(hashOf(height - 1, 2 * index), hashOf(height - 1, 2 * index + 1));
    }
    cache.set(key, h);
    return h;
  };
  return nodes.map((n) => hashOf(n.height, n.index));
}

/** MTH(D[lo:hi]) for each range, reading every needed tile in one call. */
export async function readRangeHashes(
  readTiles: ReadTiles,
  treeSize: number,
  ranges: ReadonlyArray<readonly [number, number]>,
  cache?: NodeCache,
): Promise<Uint8Array[]> {
  const perRange = ranges.map(([lo, hi]) => rangeNodes(lo, hi));
  const hashes = await readNodeHashes(readTiles, treeSize, perRange.flat(), cache);
  let at = 0;
  return perRange.map((nodes) => {
    const h = foldRange(hashes.slice(at, at + nodes.length));
    at += nodes.length;
    return h;
  });
}

/** The root hash of the tree of `treeSize` leaves. */
export async function treeRoot(readTiles: ReadTiles, treeSize: number): Promise<Uint8Array> {
  const [root] = await readRangeHashes(readTiles, treeSize, [[0, treeSize]]);
  return root as Uint8Array;
}

/** RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of `treeSize`. */
export async function proveInclusion(
  readTiles: ReadTiles,
  treeSize: number,
  index: number,
  cache?: NodeCache,
): Promise<Uint8Array[]> {
  return readRangeHashes(readTiles, treeSize, inclusionRanges(index, treeSize), cache);
}

/** RFC 9162 §2.1.4.1 consistency proof from the tree of `oldSize` to the tree of `newSize`. */
export async function proveConsistency(
  readTiles: ReadTiles,
  oldSize: number,
  newSize: number,
): Promise<Uint8Array[]> {
  return readRangeHashes(readTiles, newSize, consistencyRanges(oldSize, newSize));
}
