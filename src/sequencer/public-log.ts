// What the world may read of the log: the state at the last publication (its size, checkpoint and
// totals) and the tiles of that tree, nothing else. Public routes (the tlog endpoints, the JSON
// API, the pages that show the total or check a receipt) take this interface, not a store, so
// that what was committed since the last publication cannot leak through them
// (docs/timing-privacy.md). It fails closed: a read the interface does not name does not exist
// for them, and a read added to a store later is not public until someone adds it here.
import { narrowTile, nodesAtLevel, type ReadTiles, TILE_WIDTH, type Tile } from '../log/index.ts';
import { type LogState, type LogStore, StoreError } from '../store/index.ts';

export interface PublicLog {
  /** The log as last published: tree size, checkpoint (with cosignatures) and totals. */
  state(): Promise<LogState>;
  /**
   * Tiles of the published tree, each exactly as wide as asked (C2SP tlog-tiles). A tile beyond
   * the published size is refused with a `StoreError` of code `not-found`.
   */
  readonly readTiles: ReadTiles;
}

/** Where the published state comes from: a Publisher, or the store itself (every commit public). */
export interface PublishedState {
  published(): Promise<LogState>;
}

/** Whether `tile` is part of the tree of `treeSize` entries, at least as wide as asked. */
export function tileWithin(tile: Tile, treeSize: number): boolean {
  return tile.index * TILE_WIDTH + tile.width <= nodesAtLevel(treeSize, tile.level);
}

/**
 * The public view of a store: it holds the store privately and exposes only {@link PublicLog}.
 * Without a publisher, everything committed is public (no publication interval).
 */
export class PublishedLogView implements PublicLog {
  readonly #store: LogStore;
  readonly #published: () => Promise<LogState>;
  /** The largest published size seen: it only grows, so a tile within it is within the current. */
  #size = 0;

  constructor(store: LogStore, publisher?: PublishedState) {
    this.#store = store;
    this.#published = publisher ? () => publisher.published() : () => store.state();
    // An arrow property, not a method: callers pass `view.readTiles` around on its own.
    this.readTiles = (tiles) => this.#readTiles(tiles);
  }

  readonly readTiles: ReadTiles;

  async state(): Promise<LogState> {
    const state = await this.#published();
    this.#size = Math.max(this.#size, state.treeSize);
    return state;
  }

  async #readTiles(tiles: readonly Tile[]): Promise<readonly Uint8Array[]> {
    if (!tiles.every((t) => tileWithin(t, this.#size))) {
      const { treeSize } = await this.state();
      const beyond = tiles.find((t) => !tileWithin(t, treeSize));
      if (beyond !== undefined)
        throw new StoreError(
          'not-found',
          `tile ${beyond.level}/${beyond.index} (width ${beyond.width}) is beyond the published tree size ${treeSize}`,
        );
    }
    const stored = await this.#store.readTiles(tiles);
    return stored.map((data, i) => narrowTile(tiles[i] as Tile, data));
  }
}
