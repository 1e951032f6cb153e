// Verifying a whole log: the checkpoint's signatures, every entry bundle and hash tile up to the
// root, every entry's format, and the totals recounted from the entries. Memory stays small: the
// tree is rebuilt bundle by bundle keeping only its right edge, and each served tile is compared
// with the rebuilt one as soon as it is complete.
import {
  concatBytes,
  ENTRIES_LEVEL,
  edgeTiles,
  encodeBase64,
  equalBytes,
  HASH_SIZE,
  hashLeaf,
  integrate,
  nextEdge,
  type OpenedCheckpoint,
  parseEntryBundle,
  proveInclusion,
  rootFromLeafHashes,
  TILE_WIDTH,
  type Tile,
  type TileData,
  TileMap,
  tilePath,
  verifyInclusion,
} from '../log/index.ts';
import {
  dayOutsideWindow,
  decodeEntry,
  EntryFormatError,
  Recount,
  TallyError,
  type Totals,
  utcDay,
} from '../registry/index.ts';
import type { BundleCheck, CheckBundle } from './hashers.ts';
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
  /** The verifier's UTC day (`YYYY-MM-DD`), which bounds every entry's day; today by default. */
  readonly today?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** Hashes bundles elsewhere (other threads); without it, this thread hashes them. */
  readonly checkBundle?: CheckBundle;
}

export interface VerifyResult {
  readonly checkpoint: OpenedCheckpoint;
  readonly note: string;
  readonly cosigners: string[];
  readonly totals: Totals;
  /** Cached files that failed, were fetched again from the log, and then verified. */
  readonly refetched?: readonly string[];
}

/**
 * Verifies the log; a failure that rests on a file read from the local cache is checked again
 * with that file fetched afresh, so that a corrupted cache is repaired, not blamed on the log.
 */
export async function verifyLog(source: LogSource, opts: VerifyOptions): Promise<VerifyResult> {
  try {
    return await verifyOnce(source, opts);
  } catch (e) {
    const stale = e instanceof VerificationError ? e.files.filter((f) => source.cached?.(f)) : [];
    if (stale.length === 0) throw e;
    for (const f of stale) await source.forget?.(f);
    try {
      const result = await verifyOnce(source, opts);
      return { ...result, refetched: stale };
    } catch (again) {
      // Whatever failed the second time (the log, or fetching it), the first failure is told.
      (again as Error).message +=
        ` (the cached copy of ${stale.join(' and ')} failed first, and was fetched again from ${source.description})`;
      throw again;
    }
  }
}

/**
 * A tile or entry bundle in words: its path, its kind, whether it is full or partial, and the
 * entries it covers in a log of `size` entries.
 */
export function describeTile(t: Tile, size: number): string {
  const partial = t.width === TILE_WIDTH ? 'full' : `partial (${t.width} of ${TILE_WIDTH})`;
  const perItem = t.level === ENTRIES_LEVEL ? 1 : TILE_WIDTH ** t.level;
  const first = t.index * TILE_WIDTH * perItem;
  const last = Math.min(size, (t.index * TILE_WIDTH + t.width) * perItem) - 1;
  const kind = t.level === ENTRIES_LEVEL ? 'entry bundle' : `level-${t.level} hash tile`;
  return `${tilePath(t)}, a ${partial} ${kind} covering entries ${first}–${last}`;
}

/**
 * The entries' leaf hashes, and the index of the first that is not the level-0 tile's (-1 if every
 * one is): the check both a hashing thread and the verifying thread make.
 */
export function firstMismatch(
  entries: readonly Uint8Array[],
  level0: Uint8Array,
): { leaves: Uint8Array[]; bad: number } {
  const leaves = entries.map(hashLeaf);
  const bad = leaves.findIndex(
    (h, i) => !equalBytes(h, level0.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)),
  );
  return { leaves, bad };
}

async function verifyOnce(source: LogSource, opts: VerifyOptions): Promise<VerifyResult> {
  const note = opts.checkpoint ?? (await source.checkpoint());
  const { checkpoint, cosigners } = checkSignatures(note, opts);
  const size = checkpoint.treeSize;
  const previous = opts.previous;
  const today = opts.today ?? utcDay(new Date());
  if (previous && previous.size > size) {
    throw new VerificationError(
      'checkpoint',
      `the log shrank: it had ${previous.size} entries, now it claims ${size}`,
    );
  }
  const whence = (path: string) =>
    source.cached?.(path) ? 'read from the local cache' : `as served by ${source.description}`;
  const tileError = (t: Tile, message: string, also: Tile[] = []) =>
    new VerificationError(
      tilePath(t),
      `${describeTile(t, size)} (${whence(tilePath(t))}): ${message}`,
      {
        files: [t, ...also].map(tilePath),
      },
    );

  // Nothing kept per entry: a void's target is read again from the log, and proven against the
  // signed root once the whole tree is verified (a proof read earlier would rest on tiles not yet
  // checked, and a bad tile would be blamed on the entry).
  const recount = new Recount({ keep: false });
  const readTiles = readTilesOf(source);
  const proofsDue: Array<{ target: number; leaf: Uint8Array }> = [];
  const voidTarget = async (target: number, at: number, current: Uint8Array[], first: number) => {
    if (!(Number.isSafeInteger(target) && target >= 0 && target < at)) return undefined;
    if (target >= first) return decodeEntry(current[target - first] as Uint8Array);
    const k = Math.floor(target / TILE_WIDTH);
    const [bundle] = await readTiles([{ level: ENTRIES_LEVEL, index: k, width: widthOf(k) }]);
    const entry = parseEntryBundle(bundle as Uint8Array, widthOf(k))[target % TILE_WIDTH];
    proofsDue.push({ target, leaf: hashLeaf(entry as Uint8Array) });
    return decodeEntry(entry as Uint8Array);
  };
  let edge = new TileMap();
  let built = 0;
  const bundles = Math.ceil(size / TILE_WIDTH);
  const widthOf = (k: number) => Math.min(TILE_WIDTH, size - k * TILE_WIDTH);
  // An entry of the last, partial bundle whose hash differs from the partial level-0 tile: which
  // of the two is wrong is known once the root is (the entries lead to the signed root or not).
  let edgeMismatch: { k: number; at: number } | undefined;

  // Fetch ahead: the next bundles and level-0 tiles download while this one is checked.
  const window = opts.concurrency ?? 16;
  // With `checkBundle`, each pair is hashed elsewhere as soon as it arrives.
  type Fetched = readonly [Uint8Array, Uint8Array, BundleCheck | undefined];
  const fetched = new Map<number, Promise<Fetched>>();
  const fetchBundle = (k: number) => {
    if (k >= bundles) return;
    const w = widthOf(k);
    const p = Promise.all([
      source.tile({ level: ENTRIES_LEVEL, index: k, width: w }),
      source.tile({ level: 0, index: k, width: w }),
    ]).then(async ([b, l0]): Promise<Fetched> => [b, l0, await opts.checkBundle?.(b, l0, w)]);
    p.catch(() => {}); // awaited below; keep an early failure from being unhandled
    fetched.set(k, p);
  };

  /** A hash tile above level 0, rebuilt from the entries, against the one the source serves. */
  const compare = async (t: TileData) => {
    const served = await source.tile(t.tile);
    if (!equalBytes(served, t.data)) {
      const at = firstDifference(served, t.data);
      throw tileError(
        t.tile,
        served.length === t.data.length
          ? `hash ${at} differs from the one the entries below it produce`
          : `it holds ${served.length} bytes, not ${t.data.length}`,
      );
    }
  };

  /**
   * Entry `at` of a full bundle does not hash to its hash in the level-0 tile: the level-1 tile
   * above says which of the two is wrong.
   */
  const blameFull = async (k: number, i: number, leaves: Uint8Array[], level0: Uint8Array) => {
    const bundleTile = { level: ENTRIES_LEVEL, index: k, width: TILE_WIDTH };
    const level0Tile = { level: 0, index: k, width: TILE_WIDTH };
    const at = k * TILE_WIDTH + i;
    const p = Math.floor(k / TILE_WIDTH);
    const parentTile = {
      level: 1,
      index: p,
      width: Math.min(TILE_WIDTH, Math.floor(size / TILE_WIDTH) - p * TILE_WIDTH),
    };
    const parent = (await source.tile(parentTile)).subarray(
      (k % TILE_WIDTH) * HASH_SIZE,
      ((k % TILE_WIDTH) + 1) * HASH_SIZE,
    );
    const served = Array.from({ length: TILE_WIDTH }, (_, j) =>
      level0.subarray(j * HASH_SIZE, (j + 1) * HASH_SIZE),
    );
    if (
      equalBytes(rootFromLeafHashes(served), parent) &&
      !equalBytes(rootFromLeafHashes(leaves), parent)
    )
      return tileError(
        bundleTile,
        `entry ${at} does not hash to hash ${i} of ${tilePath(level0Tile)}, which ${tilePath(parentTile)} confirms`,
        [level0Tile],
      );
    return tileError(
      level0Tile,
      `hash ${i} is not the hash of entry ${at} in ${tilePath(bundleTile)}`,
      [bundleTile],
    );
  };

  const integrateUpTo = async (
    entries: Uint8Array[],
    leafHashes: Uint8Array,
    root?: Uint8Array,
  ) => {
    const subtrees = root === undefined ? undefined : { from: built, roots: root };
    const r = await integrate(edge.readTiles, built, entries, { leafHashes, subtrees });
    const fresh = new TileMap();
    fresh.apply(r.tiles);
    edge = nextEdge(edge, fresh, r.treeSize);
    built = r.treeSize;
    // Full tiles are final; the partial ones of the right edge are compared after the last batch.
    for (const t of r.tiles) if (t.tile.level > 0 && t.tile.width === TILE_WIDTH) await compare(t);
    return r;
  };

  for (let k = 0; k < Math.min(window, bundles); k++) fetchBundle(k);
  for (let k = 0; k < bundles; k++) {
    fetchBundle(k + window);
    const pair = fetched.get(k) as Promise<Fetched>;
    fetched.delete(k);
    const [bundle, level0, check] = await pair;
    const w = widthOf(k);
    const bundleTile = { level: ENTRIES_LEVEL, index: k, width: w };
    const level0Tile = { level: 0, index: k, width: w };
    let entries: Uint8Array[];
    try {
      entries = parseEntryBundle(bundle, w);
    } catch (e) {
      throw tileError(bundleTile, (e as Error).message);
    }
    if (level0.length !== w * HASH_SIZE)
      throw tileError(level0Tile, `it holds ${level0.length} bytes, not ${w * HASH_SIZE}`);
    // Each entry must hash to its hash in the level-0 tile, before anything is read from it. The
    // entries' own hashes are then the tile's (but in a partial bundle found wrong, which is blamed
    // once the root is known).
    let hashes = level0;
    if (!check?.matches) {
      const { leaves, bad } = firstMismatch(entries, level0);
      if (bad >= 0 && w === TILE_WIDTH) throw await blameFull(k, bad, leaves, level0);
      if (bad >= 0) {
        edgeMismatch = { k, at: bad };
        hashes = concatBytes(...leaves);
      }
    }
    for (let i = 0; i < entries.length; i++) {
      const at = k * TILE_WIDTH + i;
      const files = { files: [tilePath(bundleTile), tilePath(level0Tile)] };
      try {
        const entry = decodeEntry(entries[i] as Uint8Array);
        const outside = dayOutsideWindow(entry.day, today);
        if (outside !== undefined) throw new VerificationError(`entry ${at}`, outside, files);
        const target =
          entry.kind === 'void'
            ? await voidTarget(entry.target, at, entries, k * TILE_WIDTH)
            : undefined;
        recount.add(entry, target);
      } catch (err) {
        if (err instanceof EntryFormatError || err instanceof TallyError) {
          throw new VerificationError(
            `entry ${at}`,
            `${err.message} (entry ${i} of ${describeTile(bundleTile, size)}, ${whence(tilePath(bundleTile))})`,
            files,
          );
        }
        throw err;
      }
    }
    // Stop exactly at the previous checkpoint's size, to compare its root.
    if (previous && previous.size > built && previous.size < built + entries.length) {
      const split = previous.size - built;
      await integrateUpTo(entries.slice(0, split), hashes.subarray(0, split * HASH_SIZE));
      const atPrevious = await rootAtEdge(edge, built);
      checkPrevious(previous, atPrevious);
      await integrateUpTo(entries.slice(split), hashes.subarray(split * HASH_SIZE));
    } else {
      const r = await integrateUpTo(entries, hashes, check?.root);
      if (previous && built === previous.size) checkPrevious(previous, r.root);
    }
    opts.onProgress?.(built, size);
  }
  if (previous && previous.size === 0 && size === 0) checkPrevious(previous, checkpoint.root);
  const root = await rootAtEdge(edge, built);
  const rootMatches = equalBytes(root, checkpoint.root);
  if (edgeMismatch !== undefined) {
    const { k, at } = edgeMismatch;
    const w = widthOf(k);
    const bundleTile = { level: ENTRIES_LEVEL, index: k, width: w };
    const level0Tile = { level: 0, index: k, width: w };
    throw rootMatches
      ? tileError(
          level0Tile,
          `hash ${at} is not the hash of entry ${k * TILE_WIDTH + at}, and the entries lead to the signed root`,
          [bundleTile],
        )
      : tileError(
          bundleTile,
          `entry ${k * TILE_WIDTH + at} does not hash to hash ${at} of ${tilePath(level0Tile)}, and the entries do not lead to the signed root`,
          [level0Tile],
        );
  }
  // The right edge's partial tiles above level 0 change with every batch: check them at the end.
  for (const tile of edgeTiles(size)) if (tile.level > 0) await compare(edge.get(tile) as TileData);
  if (!rootMatches) {
    throw new VerificationError(
      'checkpoint',
      `the ${size} entries lead to root ${encodeBase64(root)}, not to the checkpoint's root`,
    );
  }
  // Every tile is now checked against the signed root: prove the voids' targets read again.
  for (const { target, leaf } of proofsDue) {
    const k = Math.floor(target / TILE_WIDTH);
    const files = [
      tilePath({ level: ENTRIES_LEVEL, index: k, width: widthOf(k) }),
      tilePath({ level: 0, index: k, width: widthOf(k) }),
    ];
    try {
      verifyInclusion(target, size, leaf, await proveInclusion(readTiles, size, target), root);
    } catch (e) {
      throw new VerificationError(
        `entry ${target}`,
        `read again as the target of a void, it is not the entry verified before (${files.join(', ')} answered differently the second time): ${(e as Error).message}`,
        { files },
      );
    }
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

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 32) {
    if (!equalBytes(a.subarray(i, i + 32), b.subarray(i, i + 32))) return i / 32;
  }
  return Math.min(a.length, b.length) / 32;
}
