// C2SP tlog-tiles (c2sp.org/tlog-tiles): tile coordinates, paths and entry bundles.
//
// A tile at level L holds the hashes of the tree's nodes at height 8·L (TILE_HEIGHT·L), 256 of them
// when full. Level -1 names entry bundles (`tile/entries/…`), which hold the entries themselves.

import { LogError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 1 << TILE_HEIGHT; // 256
/** `level` of an entry bundle in a {@link Tile}. */
export const ENTRIES_LEVEL = -1;
/** tlog-tiles: "entries MUST NOT be larger than 65535 bytes" (uint16 length prefix). */
export const MAX_ENTRY_SIZE = 0xffff;
// tlog-tiles allows tile levels up to 63; a tree fits in 2^53 leaves here (JavaScript numbers).
const MAX_TILE_LEVEL = 63;

export interface Tile {
  /** Tile level; {@link ENTRIES_LEVEL} for an entry bundle. */
  readonly level: number;
  /** Tile index N within its level. */
  readonly index: number;
  /** Number of hashes (or entries) in the tile: 256 for a full tile, 1..255 for a partial one. */
  readonly width: number;
}

export interface TileData {
  readonly tile: Tile;
  readonly data: Uint8Array;
}

/** Number of nodes at tile level `level` (node height 8·level) in a tree of `treeSize` leaves. */
export function nodesAtLevel(treeSize: number, level: number): number {
  return level <= 0 ? treeSize : Math.floor(treeSize / TILE_WIDTH ** level);
}

/** The tile with index `index` at `level` as it stands in a tree of `treeSize` leaves. */
export function tileAt(treeSize: number, level: number, index: number): Tile {
  const width = Math.min(TILE_WIDTH, nodesAtLevel(treeSize, level) - index * TILE_WIDTH);
  if (width <= 0) {
    throw new LogError(
      'out-of-range',
      `tile ${level}/${index} does not exist at tree size ${treeSize}`,
    );
  }
  return { level, index, width };
}

/** The right-most (possibly partial) tile of each level, up to the top of a tree of `treeSize`. */
export function edgeTiles(treeSize: number): Tile[] {
  const tiles: Tile[] = [];
  for (let level = ENTRIES_LEVEL; nodesAtLevel(treeSize, level) > 0; level++) {
    const n = nodesAtLevel(treeSize, level);
    if (n % TILE_WIDTH !== 0)
      tiles.push({ level, index: Math.floor(n / TILE_WIDTH), width: n % TILE_WIDTH });
  }
  return tiles;
}

/** tlog-tiles path: `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`. */
export function tilePath(tile: Tile): string {
  const level = tile.level === ENTRIES_LEVEL ? 'entries' : String(tile.level);
  const partial = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
  return `tile/${level}/${encodeIndex(tile.index)}${partial}`;
}

// "<N> is the index of the tile within the level. It MUST be a non-negative integer encoded into
// zero-padded 3-digit path elements. All but the last path element MUST begin with an x."
function encodeIndex(index: number): string {
  let s = String(index % 1000).padStart(3, '0');
  for (let n = Math.floor(index / 1000); n > 0; n = Math.floor(n / 1000)) {
    s = `x${String(n % 1000).padStart(3, '0')}/${s}`;
  }
  return s;
}

const PATH =
  /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * Parses a tile path. The path is attacker-controlled (it comes from a URL): only the one canonical
 * spelling of each tile is accepted, so that one tile never has two cache keys.
 */
export function parseTilePath(path: string): Tile {
  const m = PATH.exec(path);
  if (m === null) throw new LogError('malformed-tile', `not a tile path: ${JSON.stringify(path)}`);
  const [, levelText = '', groups = '', last = '', widthText] = m;
  const level = levelText === 'entries' ? ENTRIES_LEVEL : Number(levelText);
  if (level > MAX_TILE_LEVEL)
    throw new LogError('malformed-tile', `tile level ${level} is above ${MAX_TILE_LEVEL}`);
  const parts = groups === '' ? [] : groups.slice(1, -1).split('/x');
  if (parts[0] === '000')
    throw new LogError('malformed-tile', `tile index has a leading zero group: ${path}`);
  let index = 0;
  for (const part of [...parts, last]) index = index * 1000 + Number(part);
  if (!Number.isSafeInteger(index))
    throw new LogError('malformed-tile', `tile index too large: ${path}`);
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH)
    throw new LogError('malformed-tile', `partial tile width must be 1-255: ${path}`);
  return { level, index, width };
}

/** The `index`-th hash of a hash tile's data (a view, not a copy). */
export function tileHash(data: Uint8Array, index: number): Uint8Array {
  return data.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
}

/** Concatenates hashes into a tile's data. */
export function joinHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => {
    out.set(h, i * HASH_SIZE);
  });
  return out;
}

/** Entry bundle: each entry as a big-endian uint16 length followed by its bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE) {
      throw new LogError(
        'out-of-range',
        `entry of ${e.length} bytes is larger than ${MAX_ENTRY_SIZE} bytes`,
      );
    }
    size += 2 + e.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * {@link encodeEntryBundle} of entries packed one after another in `packed` from offset `from`,
 * with their `lengths` (each at most 0xffff by its type): an import's batch, no object per entry.
 */
export function encodePackedBundle(
  packed: Uint8Array,
  from: number,
  lengths: Uint16Array,
): Uint8Array {
  let size = 0;
  for (const length of lengths) size += 2 + length;
  const out = new Uint8Array(size);
  let at = 0;
  let src = from;
  for (const length of lengths) {
    out[at] = length >> 8;
    out[at + 1] = length & 0xff;
    // Entries are some 40 bytes: a loop, not a view per entry.
    for (let j = 0; j < length; j++) out[at + 2 + j] = packed[src + j] as number;
    at += 2 + length;
    src += length;
  }
  return out;
}

/**
 * Splits an entry bundle into its entries (views into `data`). The bundle is attacker-controlled
 * when it comes from a mirror: every length is checked against what is left, and a bundle that
 * does not hold exactly `width` entries is rejected (when `width` is given).
 */
export function parseEntryBundle(data: Uint8Array, width?: number): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length)
      throw new LogError(
        'malformed-tile',
        `entry bundle truncated in a length prefix at byte ${at}`,
      );
    const length = ((data[at] as number) << 8) | (data[at + 1] as number);
    if (at + 2 + length > data.length) {
      throw new LogError(
        'malformed-tile',
        `entry ${entries.length} of the bundle claims ${length} bytes, only ${data.length - at - 2} left`,
      );
    }
    entries.push(data.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (width !== undefined && entries.length !== width) {
    throw new LogError(
      'malformed-tile',
      `entry bundle holds ${entries.length} entries, expected ${width}`,
    );
  }
  return entries;
}

/**
 * The partial tile `tile` (of width `tile.width`) cut from a wider version of it, as stores and
 * mirrors keep only the widest: a hash tile's prefix, or an entry bundle's first entries.
 */
export function narrowTile(tile: Tile, wider: Uint8Array): Uint8Array {
  if (tile.level !== ENTRIES_LEVEL) return wider.subarray(0, tile.width * HASH_SIZE);
  // A full bundle has no wider version: it is served as stored, without parsing it.
  if (tile.width === TILE_WIDTH) return wider;
  const entries = parseEntryBundle(wider);
  return entries.length === tile.width ? wider : encodeEntryBundle(entries.slice(0, tile.width));
}
