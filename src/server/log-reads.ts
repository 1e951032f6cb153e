// The reads every visitor makes, kept cheap at any log size: proofs from cached tile trees, and the
// statistics as one JSON text per published state.
//
// At 100 M entries a proof reads five tiles, but hashing the nodes inside them (up to 255 SHA-256
// calls per tile) is most of its time; the upper tiles and the right edge are the same for every
// proof, so their trees are kept (bounded). The statistics are a ~200 kB document (one count per
// day) that changes only when the tree grows: serialising it on every page view and poll cost
// milliseconds, so it is serialised once per tree size and checkpoint.
import { createHash } from 'node:crypto';
import {
  encodeBase64,
  proveConsistency,
  proveInclusion,
  type ReadTiles,
  TileTreeCache,
} from '../log/index.ts';
import { headline } from '../registry/index.ts';
import type { LogState } from '../store/index.ts';

/** Default memory for tile trees: ~2,000 tiles, every level-1 tile of a 100 M log and more. */
export const TILE_TREE_CACHE_BYTES = 32 * 2 ** 20;

export interface StatsBody {
  readonly json: Buffer;
  /** A strong entity tag of `json`: pollers that send it back get 304 Not Modified. */
  readonly etag: string;
}

export class LogReads {
  readonly #readTiles: ReadTiles;
  readonly #trees: TileTreeCache;
  #stats: { treeSize: number; checkpoint: string | undefined; body: StatsBody } | undefined;

  constructor(readTiles: ReadTiles, treeCacheBytes = TILE_TREE_CACHE_BYTES) {
    this.#readTiles = readTiles;
    this.#trees = new TileTreeCache(treeCacheBytes);
  }

  /**
   * The body of GET /api/v1/stats for a state, as JSON bytes with an entity tag. Totals are a
   * function of the entries, so one body serves every request at a tree size; a new checkpoint
   * note at the same size (with witness cosignatures) makes a new one.
   */
  stats(state: LogState): StatsBody {
    const kept = this.#stats;
    if (kept?.treeSize === state.treeSize && kept.checkpoint === state.checkpoint) return kept.body;
    const json = Buffer.from(
      JSON.stringify({
        treeSize: state.treeSize,
        total: headline(state.totals),
        totals: state.totals,
        checkpoint: state.checkpoint ?? null,
      }),
    );
    const body = { json, etag: `"${createHash('sha256').update(json).digest('base64url')}"` };
    this.#stats = { treeSize: state.treeSize, checkpoint: state.checkpoint, body };
    return body;
  }

  async inclusion(treeSize: number, index: number): Promise<string[]> {
    return (await proveInclusion(this.#readTiles, treeSize, index, this.#trees)).map(encodeBase64);
  }

  async consistency(from: number, to: number): Promise<string[]> {
    return (await proveConsistency(this.#readTiles, from, to, this.#trees)).map(encodeBase64);
  }
}
