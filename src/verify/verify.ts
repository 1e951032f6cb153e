// Verifying a whole log: the checkpoint's signatures, every entry bundle and hash tile up to the
// root, every entry's format, and the totals recounted from the entries. Memory stays small: the
// tree is rebuilt bundle by bundle keeping only its right edge, and each served tile is compared
// with the rebuilt one as soon as it is complete.
import {
  ENTRIES_LEVEL,
  edgeTiles,
  encodeBase64,
  equalBytes,
  hashLeaf,
  integrate,
  nextEdge,
  type OpenedCheckpoint,
  parseEntryBundle,
  proveInclusion,
  TILE_WIDTH,
  type Tile,
  type TileData,
  TileMap,
  tilePath,
  verifyInclusion,
} from '../log/index.ts';
import {
  decodeEntry,
  EntryFormatError,
  Recount,
  TallyError,
  type Totals,
} from '../registry/index.ts';
import { checkSignatures, type SignatureOptions, VerificationError } from './signatures.ts';
import { type LogSource, readTilesOf } from './source.ts';

// Defined apart, so that the browser's receipt check does not bundle the log readers.
export { checkSignatures, VerificationError };

export interface Previous {
  readonly size: number;
  readonly root: Uint8Array;
}

export interface VerifyOptions extends SignatureOptions {
  /** A checkpoint verified before: the new one must be consistent with it. */
  readonly previous?: Previous | undefined;
  /** Verify this checkpoint instead of the source's (a mirror checks before it publishes). */
  readonly checkpoint?: string;
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface VerifyResult {
  readonly checkpoint: OpenedCheckpoint;
  readonly note: string;
  readonly cosigners: string[];
  readonly totals: Totals;
}

export async function verifyLog(source: LogSource, opts: VerifyOptions): Promise<VerifyResult> {
  const note = opts.checkpoint ?? (await source.checkpoint());
  const { checkpoint, cosigners } = checkSignatures(note, opts);
  const size = checkpoint.treeSize;
  const previous = opts.previous;
  if (previous && previous.size > size) {
    throw new VerificationError(
      'checkpoint',
      `the log shrank: it had ${previous.size} entries, now it claims ${size}`,
    );
  }

  // Nothing kept per entry: a void's target is read again from the log, with a proof.
  const recount = new Recount({ keep: false });
  const readTiles = readTilesOf(source);
  const voidTarget = async (target: number, at: number, current: Uint8Array[], first: number) => {
    if (!(Number.isSafeInteger(target) && target >= 0 && target < at)) return undefined;
    if (target >= first) return decodeEntry(current[target - first] as Uint8Array);
    // Read from the source again, so proven against the signed root: a source that answers
    // differently the second time is caught here.
    const k = Math.floor(target / TILE_WIDTH);
    const [bundle] = await readTiles([{ level: ENTRIES_LEVEL, index: k, width: widthOf(k) }]);
    const entry = parseEntryBundle(bundle as Uint8Array, widthOf(k))[target % TILE_WIDTH];
    const proof = await proveInclusion(readTiles, size, target);
    try {
      verifyInclusion(target, size, hashLeaf(entry as Uint8Array), proof, checkpoint.root);
    } catch (e) {
      throw new VerificationError(`entry ${target}`, (e as Error).message);
    }
    return decodeEntry(entry as Uint8Array);
  };
  let edge = new TileMap();
  let built = 0;
  const bundles = Math.ceil(size / TILE_WIDTH);
  const widthOf = (k: number) => Math.min(TILE_WIDTH, size - k * TILE_WIDTH);

  // Fetch ahead: the next bundles and level-0 tiles download while this one is checked.
  const window = opts.concurrency ?? 16;
  const fetched = new Map<number, Promise<[Uint8Array, Uint8Array]>>();
  const fetchBundle = (k: number) => {
    if (k >= bundles || fetched.has(k)) return;
    const w = widthOf(k);
    const p = Promise.all([
      source.tile({ level: ENTRIES_LEVEL, index: k, width: w }),
      source.tile({ level: 0, index: k, width: w }),
    ]);
    p.catch(() => {}); // awaited below; keep an early failure from being unhandled
    fetched.set(k, p);
  };

  const compare = async (t: TileData) => {
    const served = t.tile.level === 0 ? undefined : await source.tile(t.tile);
    if (served !== undefined && !equalBytes(served, t.data)) {
      throw new VerificationError(
        tilePath(t.tile),
        'the served tile differs from the one the entries produce',
      );
    }
  };

  const integrateUpTo = async (entries: Uint8Array[], level0: Uint8Array, k: number) => {
    const r = await integrate(edge.readTiles, built, entries);
    const fresh = new TileMap();
    fresh.apply(r.tiles);
    edge = nextEdge(edge, fresh, r.treeSize);
    built = r.treeSize;
    for (const t of r.tiles) {
      if (t.tile.level === ENTRIES_LEVEL) continue;
      if (t.tile.level === 0 && t.tile.index === k && t.tile.width === widthOf(k)) {
        if (!equalBytes(level0, t.data)) {
          const at = firstDifference(level0, t.data);
          throw new VerificationError(
            tilePath(t.tile),
            `hash ${at} differs from the hash of entry ${k * TILE_WIDTH + at}`,
          );
        }
      } else if (t.tile.width === TILE_WIDTH || (built === size && isEdge(t.tile, size))) {
        await compare(t);
      }
    }
    return r.root;
  };

  for (let k = 0; k < Math.min(window, bundles); k++) fetchBundle(k);
  for (let k = 0; k < bundles; k++) {
    fetchBundle(k + window);
    const pair = fetched.get(k) as Promise<[Uint8Array, Uint8Array]>;
    fetched.delete(k);
    const [bundle, level0] = await pair;
    const where = tilePath({ level: ENTRIES_LEVEL, index: k, width: widthOf(k) });
    let entries: Uint8Array[];
    try {
      entries = parseEntryBundle(bundle, widthOf(k));
    } catch (e) {
      throw new VerificationError(where, (e as Error).message);
    }
    if (level0.length !== widthOf(k) * 32)
      throw new VerificationError(
        tilePath({ level: 0, index: k, width: widthOf(k) }),
        'wrong size',
      );
    for (let i = 0; i < entries.length; i++) {
      const at = k * TILE_WIDTH + i;
      try {
        const entry = decodeEntry(entries[i] as Uint8Array);
        const target =
          entry.kind === 'void'
            ? await voidTarget(entry.target, at, entries, k * TILE_WIDTH)
            : undefined;
        recount.add(entry, target);
      } catch (err) {
        if (err instanceof EntryFormatError || err instanceof TallyError) {
          throw new VerificationError(`entry ${at}`, err.message);
        }
        throw err;
      }
    }
    // Stop exactly at the previous checkpoint's size, to compare its root.
    if (previous && previous.size > built && previous.size < built + entries.length) {
      const split = previous.size - built;
      await integrateUpTo(entries.slice(0, split), level0, k);
      const atPrevious = await rootAtEdge(edge, built);
      checkPrevious(previous, atPrevious);
      await integrateUpTo(entries.slice(split), level0, k);
    } else {
      const root = await integrateUpTo(entries, level0, k);
      if (previous && built === previous.size) checkPrevious(previous, root);
    }
    opts.onProgress?.(built, size);
  }
  if (previous && previous.size === 0 && size === 0) checkPrevious(previous, checkpoint.root);
  // The right edge's partial tiles above level 0 change with every batch: check them at the end.
  for (const tile of edgeTiles(size)) {
    const rebuilt = edge.get(tile);
    if (tile.level > 0 && rebuilt !== undefined) await compare(rebuilt);
  }
  const root = await rootAtEdge(edge, built);
  if (!equalBytes(root, checkpoint.root)) {
    throw new VerificationError(
      'checkpoint',
      `the ${size} entries lead to root ${encodeBase64(root)}, not to the checkpoint's root`,
    );
  }
  return { checkpoint, note, cosigners, totals: recount.totals };
}

function checkPrevious(previous: Previous, root: Uint8Array): void {
  if (!equalBytes(previous.root, root)) {
    throw new VerificationError(
      'checkpoint',
      `FORK: at tree size ${previous.size} the log now has root ${encodeBase64(root)}, but an earlier verified checkpoint had ${encodeBase64(previous.root)}. The log rewrote its history.`,
    );
  }
}

async function rootAtEdge(edge: TileMap, size: number): Promise<Uint8Array> {
  return (await integrate(edge.readTiles, size, [])).root;
}

function isEdge(tile: Tile, size: number): boolean {
  return edgeTiles(size).some(
    (e) => e.level === tile.level && e.index === tile.index && e.width === tile.width,
  );
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 32) {
    if (!equalBytes(a.subarray(i, i + 32), b.subarray(i, i + 32))) return i / 32;
  }
  return Math.min(a.length, b.length) / 32;
}

/** Every leaf value where two totals differ, as rows `[path, server, recount]`. */
export function totalsDifferences(
  server: unknown,
  recount: unknown,
): Array<[string, string, string]> {
  const flat = (v: unknown, at: string, out: Map<string, string>) => {
    if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) flat(x, at ? `${at}.${k}` : k, out);
    else out.set(at, JSON.stringify(v));
    return out;
  };
  const a = flat(server, '', new Map());
  const b = flat(recount, '', new Map());
  const rows: Array<[string, string, string]> = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    // A tally key at zero and a missing key mean the same.
    const x = a.get(key) ?? '0';
    const y = b.get(key) ?? '0';
    if (x !== y) rows.push([key, x, y]);
  }
  return rows;
}
