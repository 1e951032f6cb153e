// Inclusion and consistency proofs, and tree hashes, computed from tiles (c2sp.org/tlog-tiles).
//
// The code asks `readTiles` for exactly the tiles it needs, all at once, so the same functions
// serve a database, a directory or an HTTP mirror (which can fetch them concurrently).
import { LogError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import { consistencyRanges, foldRange, inclusionRanges, type Node, rangeNodes } from './merkle.ts';
import { TILE_HEIGHT, TILE_WIDTH, type Tile, tileAt } from './tile.ts';
import { type NodeCache, tileTree, tileTreeKey, treeNode } from './tile-tree.ts';

export type { NodeCache } from './tile-tree.ts';

/**
 * Reads hash tiles (or entry bundles). Returns one data buffer per requested tile, in order. A
 * reader may return a wider version of a partial tile (a later partial, or the full tile): only the
 * prefix is used. It throws if a tile cannot be read.
 */
export type ReadTiles = (tiles: readonly Tile[]) => Promise<readonly Uint8Array[]>;

/** Tile trees being read and hashed, per cache: concurrent proofs wait for them. */
const computing = new WeakMap<NodeCache, Map<string, Promise<Uint8Array>>>();

/** Hashes of complete subtrees of a tree of `treeSize`, read from the fewest tiles. */
export async function readNodeHashes(
  readTiles: ReadTiles,
  treeSize: number,
  nodes: readonly Node[],
  cache: NodeCache = new Map(),
): Promise<Uint8Array[]> {
  // Each node lies inside one tile: level L = ⌊height/8⌋, r = height mod 8 rows above the tile's
  // own hashes, at position k of that row.
  const where = nodes.map((node) => {
    if ((node.index + 1) * 2 ** node.height > treeSize) {
      throw new LogError(
        'out-of-range',
        `subtree ${node.height}/${node.index} is not complete in a tree of size ${treeSize}`,
      );
    }
    const level = Math.floor(node.height / TILE_HEIGHT);
    const r = node.height % TILE_HEIGHT;
    const perTile = TILE_WIDTH >> r;
    const tile = tileAt(treeSize, level, Math.floor(node.index / perTile));
    return { key: tileTreeKey(tile), tile, r, k: node.index % perTile };
  });
  // Proofs of one batch run concurrently and share the upper tiles: a tile being read and hashed
  // for one of them is awaited by the others, not hashed again.
  let pending = computing.get(cache);
  if (pending === undefined) {
    pending = new Map();
    computing.set(cache, pending);
  }
  const trees = new Map<string, Uint8Array | Promise<Uint8Array>>();
  const wanted: Tile[] = [];
  const wantedKeys = new Set<string>();
  for (const w of where) {
    if (trees.has(w.key) || wantedKeys.has(w.key)) continue;
    const tree = cache.get(w.key) ?? pending.get(w.key);
    if (tree !== undefined) trees.set(w.key, tree);
    else {
      wanted.push(w.tile);
      wantedKeys.add(w.key);
    }
  }
  if (wanted.length > 0) {
    const built = readTiles(wanted).then((data) =>
      wanted.map((tile, i) => {
        const d = data[i];
        // Tile bytes may come from an untrusted mirror: check the size before indexing into them.
        if (d === undefined || d.length < tile.width * HASH_SIZE || d.length % HASH_SIZE !== 0) {
          throw new LogError(
            'malformed-tile',
            `tile ${tile.level}/${tile.index} has ${d?.length ?? 0} bytes, expected at least ${tile.width * HASH_SIZE}`,
          );
        }
        return tileTree(d, tile.width);
      }),
    );
    const inflight = pending;
    wanted.forEach((tile, i) => {
      const key = tileTreeKey(tile);
      const tree = built.then((t) => t[i] as Uint8Array);
      trees.set(key, tree);
      inflight.set(key, tree);
      tree.then(
        (t) => {
          cache.set(key, t);
          inflight.delete(key);
        },
        () => inflight.delete(key),
      );
    });
  }
  const resolved = new Map<string, Uint8Array>();
  for (const [key, tree] of trees) resolved.set(key, await tree);
  return where.map((w) => treeNode(resolved.get(w.key) as Uint8Array, w.r, w.k));
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
  cache?: NodeCache,
): Promise<Uint8Array[]> {
  return readRangeHashes(readTiles, newSize, consistencyRanges(oldSize, newSize), cache);
}
