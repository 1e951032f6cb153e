// The hashes inside a tile (c2sp.org/tlog-tiles). A tile of level L stores only the hashes at height
// 8·L; a proof also needs the nodes between them (heights 8·L+1 … 8·L+7), which are hashed from
// the tile's own hashes: up to 255 SHA-256 calls per tile. That hashing, not reading, is most of
// the cost of a proof, so the computed nodes of the tiles every proof shares are worth keeping.
import { HASH_SIZE, hashChildren } from './hash.ts';
import { TILE_HEIGHT, TILE_WIDTH, type Tile } from './tile.ts';

/** Offset (in hashes) of row `r` of a tile tree: rows 0…7 hold 256, 128, …, 2 nodes. */
const rowStart = (r: number): number => 2 * TILE_WIDTH - ((2 * TILE_WIDTH) >> r);

/** Bytes of the tree of a full tile: rows 0…7. */
export const TILE_TREE_SIZE = rowStart(TILE_HEIGHT) * HASH_SIZE;

/**
 * Every complete node inside a tile of `width` hashes: row 0 is the tile's hashes, row r the nodes
 * r levels above them. `data` is checked by the caller to hold at least `width` hashes.
 */
export function tileTree(data: Uint8Array, width: number): Uint8Array {
  const tree = new Uint8Array(TILE_TREE_SIZE);
  tree.set(data.subarray(0, width * HASH_SIZE));
  for (let r = 1, n = width >> 1; r < TILE_HEIGHT && n > 0; r++, n >>= 1) {
    const below = rowStart(r - 1) * HASH_SIZE;
    const here = rowStart(r) * HASH_SIZE;
    for (let k = 0; k < n; k++) {
      const left = below + 2 * k * HASH_SIZE;
      tree.set(
        hashChildren(
          tree.subarray(left, left + HASH_SIZE),
          tree.subarray(left + HASH_SIZE, left + 2 * HASH_SIZE),
        ),
        here + k * HASH_SIZE,
      );
    }
  }
  return tree;
}

/** The node `r` rows above the tile's hashes at position `k` of its row. */
export function treeNode(tree: Uint8Array, r: number, k: number): Uint8Array {
  const at = (rowStart(r) + k) * HASH_SIZE;
  return tree.subarray(at, at + HASH_SIZE);
}

/**
 * Computed tile trees, keyed by `level/index/width`. A tree depends only on the tile's hashes,
 * which never change for a given width, so an entry never goes stale. Pass one map to all the
 * proofs of a batch (each tile is then hashed once per batch), or a {@link TileTreeCache} to keep
 * them across requests.
 */
export interface NodeCache {
  get(key: string): Uint8Array | undefined;
  set(key: string, tree: Uint8Array): unknown;
}

export function tileTreeKey(tile: Tile): string {
  return `${tile.level}/${tile.index}/${tile.width}`;
}

/**
 * A bounded cache of tile trees for a server that answers proofs. It keeps the trees of the upper
 * tiles and of partial tiles (the right edge), which every proof of a tree size shares, and drops
 * the least recently used once `maxBytes` is reached. Full level-0 tiles are not kept: at scale each
 * proof touches a different one, and they would only push out the trees that are shared.
 */
export class TileTreeCache implements NodeCache {
  readonly #trees = new Map<string, Uint8Array>();
  readonly #max: number;

  constructor(maxBytes: number) {
    this.#max = Math.max(0, Math.floor(maxBytes / TILE_TREE_SIZE));
  }

  get(key: string): Uint8Array | undefined {
    const tree = this.#trees.get(key);
    if (tree !== undefined) {
      // Map order is insertion order: re-inserting marks the tree as the most recently used.
      this.#trees.delete(key);
      this.#trees.set(key, tree);
    }
    return tree;
  }

  set(key: string, tree: Uint8Array): void {
    if (key.startsWith('0/') && key.endsWith(`/${TILE_WIDTH}`)) return;
    if (this.#max === 0) return;
    this.#trees.delete(key);
    this.#trees.set(key, tree);
    while (this.#trees.size > this.#max) {
      const oldest = this.#trees.keys().next().value as string;
      this.#trees.delete(oldest);
    }
  }

  /** Trees kept now. */
  get size(): number {
    return this.#trees.size;
  }

  /** Bytes kept now (the trees' buffers). */
  get bytes(): number {
    return this.#trees.size * TILE_TREE_SIZE;
  }
}
