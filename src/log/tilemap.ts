// An in-memory set of tiles: the latest version of each tile, as a store keeps them. Used by tests,
// by the in-memory store, and by clients that assemble a tree from downloaded tiles.
import { LogError } from './errors.ts';
import type { ReadTiles } from './proof.ts';
import { edgeTiles, type Tile, type TileData } from './tile.ts';

export class TileMap {
  readonly #tiles = new Map<string, TileData>();

  /** Stores tiles, replacing narrower versions of the same tile. */
  apply(tiles: Iterable<TileData>): void {
    for (const t of tiles) this.#tiles.set(key(t.tile), t);
  }

  get(tile: Tile): TileData | undefined {
    return this.#tiles.get(key(tile));
  }

  get size(): number {
    return this.#tiles.size;
  }

  /** A {@link ReadTiles} over this map; a tile narrower than requested is missing. */
  readonly readTiles: ReadTiles = async (tiles) =>
    tiles.map((tile) => {
      const t = this.#tiles.get(key(tile));
      if (t === undefined || t.tile.width < tile.width) {
        throw new LogError(
          'out-of-range',
          `tile ${tile.level}/${tile.index} (width ${tile.width}) is not stored`,
        );
      }
      return t.data;
    });
}

function key(t: Tile): string {
  return `${t.level}/${t.index}`;
}

/**
 * The right-edge tiles of a tree of `treeSize` leaves, all that the next integration reads: each
 * from `written` (the tiles an integration up to `treeSize` just produced) or, where it did not
 * change, from `previous` (the edge before that integration).
 */
export function nextEdge(previous: TileMap, written: TileMap, treeSize: number): TileMap {
  const edge = new TileMap();
  for (const tile of edgeTiles(treeSize)) {
    const t = written.get(tile) ?? previous.get(tile);
    if (t !== undefined) edge.apply([t]);
  }
  return edge;
}
