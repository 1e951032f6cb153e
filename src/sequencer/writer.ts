// The one writer of a log: appends a batch of entries in one commit. It keeps what the next
// commit needs in memory (tree size, totals, the right-edge tiles), and starts again from the
// store before the commit after one that failed, since the store is the truth.
import { TuidangError } from '../errors/index.ts';
import {
  ENTRIES_LEVEL,
  integrate,
  type NoteSigner,
  nextEdge,
  type PackedEntries,
  parseEntryBundle,
  type ReadTiles,
  signCheckpoint,
  TILE_WIDTH,
  TileMap,
} from '../log/index.ts';
import {
  addEntry,
  addTotals,
  cloneTotals,
  type DeclarationEntry,
  decodeEntry,
  type Entry,
  type Totals,
  talliesChanged,
} from '../registry/index.ts';
import type { Commit, LogStore } from '../store/index.ts';
import { randomBytesFromPool } from './random.ts';
import { type Telemetry, telemetry } from './telemetry.ts';

export interface Appended {
  readonly oldSize: number;
  readonly treeSize: number;
  readonly checkpoint: string;
  /** The index each input entry received (inputs are shuffled before indexing). */
  readonly indexes: number[];
  /** Reads tiles from the ones just written and the edge, else from the store. */
  readonly readTiles: ReadTiles;
}

/** What a caller adds to the commit once it knows the indexes: idempotency records, and so on. */
export type CommitExtras = (
  indexes: number[],
  treeSize: number,
) => Pick<Commit, 'idempotency' | 'expireBefore' | 'publications' | 'importProgress' | 'sequenced'>;

export class LogWriter {
  readonly #store: LogStore;
  readonly #origin: string;
  readonly #signer: NoteSigner;
  readonly #t: Telemetry;
  #treeSize = 0;
  #totals!: Totals;
  /**
   * `#totals` is this writer's own copy, which no one else holds: an import's batches add to it
   * in place (a copy of the totals at each commit showed). The store's are frozen and shared.
   */
  #ownTotals = false;
  /** The right-edge tiles at the current tree size: all that integration reads. */
  #edge = new TileMap();
  /** A commit failed: what is in memory may not be what is stored. */
  #stale = true;

  constructor(store: LogStore, origin: string, signer: NoteSigner, t: Telemetry = telemetry()) {
    this.#store = store;
    this.#origin = origin;
    this.#signer = signer;
    this.#t = t;
  }

  get treeSize(): number {
    return this.#treeSize;
  }

  /**
   * Starts a log writer that serves: from the store's state, and for a store that holds no
   * checkpoint yet, with the signed checkpoint of the empty tree. An empty log is a log, which
   * anyone can fetch and verify from the first start, and which every later checkpoint extends.
   */
  async start(): Promise<void> {
    const state = await this.#store.state();
    if (state.checkpoint === undefined && state.treeSize === 0) {
      const empty = await integrate(this.#store.readTiles, 0, []);
      const checkpoint = signCheckpoint(
        { origin: this.#origin, treeSize: 0, root: empty.root },
        this.#signer,
      );
      await this.#store.commit({
        oldSize: 0,
        newSize: 0,
        tiles: [],
        checkpoint,
        totals: state.totals,
        voided: [],
      });
    }
    await this.reload();
  }

  async reload(): Promise<void> {
    this.#edge = new TileMap();
    const state = await this.#store.state();
    this.#treeSize = state.treeSize;
    this.#totals = state.totals;
    this.#ownTotals = false;
    this.#stale = false;
    this.#t.metrics.treeSize(state.treeSize);
  }

  /**
   * The declarations that void entries name, checked: each must be an earlier declaration, not
   * voided before nor twice in this batch. A void that breaks this is refused before anything is
   * written, since `tuidang verify` would reject a log that holds it.
   */
  async #voidTargets(
    entries: readonly Entry[],
    oldSize: number,
  ): Promise<Map<number, DeclarationEntry>> {
    const targets = new Map<number, DeclarationEntry>();
    for (const e of entries) {
      if (e.kind !== 'void') continue;
      if (!(Number.isSafeInteger(e.target) && e.target >= 0 && e.target < oldSize)) {
        throw new VoidError(
          `entry ${e.target} is not in the log (it has ${oldSize} entries)`,
          e.target,
          'missing',
        );
      }
      if (targets.has(e.target) || (await this.#store.isVoided(e.target)))
        throw new VoidError(`entry ${e.target} is voided already`, e.target, 'voided');
      const k = Math.floor(e.target / TILE_WIDTH);
      const width = Math.min(TILE_WIDTH, oldSize - k * TILE_WIDTH);
      const [bundle] = await overlay(
        [this.#edge],
        this.#store.readTiles,
      )([{ level: ENTRIES_LEVEL, index: k, width }]);
      const target = decodeEntry(
        parseEntryBundle(bundle as Uint8Array, width)[e.target % TILE_WIDTH] as Uint8Array,
      );
      if (target.kind !== 'declaration')
        throw new VoidError(`entry ${e.target} is itself a void entry`, e.target, 'void');
      targets.set(e.target, target);
    }
    return targets;
  }

  /**
   * Appends `entries` (with their decoded `declarations`, for the totals) in one durable commit.
   * Entries are shuffled before they get indexes, so that order within a batch says nothing about
   * who arrived when. Throws if the commit fails; nothing is then logged, and the next append
   * starts again from the store. The caller logs the failure: it knows what it affects.
   */
  async append(
    entries: readonly Uint8Array[],
    declarations: readonly Entry[],
    extras?: CommitExtras,
  ): Promise<Appended> {
    if (this.#stale) await this.reload();
    const order = shuffledPositions(entries.length);
    const oldSize = this.#treeSize;
    return this.#append(
      async () => {
        const targets = await this.#voidTargets(declarations, oldSize);
        // Only the tallies this batch changes are copied; the others stay shared (see cloneTotals).
        const changed = talliesChanged(declarations, targets);
        const totals = cloneTotals(this.#totals, changed);
        for (const p of order) {
          const e = declarations[p] as Entry;
          addEntry(totals, e, e.kind === 'void' ? targets.get(e.target) : undefined);
        }
        return {
          input: order.map((p) => entries[p] as Uint8Array),
          totals,
          importedUnchanged: !changed.imported,
          voided: [...targets.keys()],
        };
      },
      order,
      extras,
    );
  }

  /**
   * Appends declarations prepared on other threads (an import's batch): already in random order,
   * packed with their leaf hashes, with the totals they add. No void among them.
   */
  async appendPrepared(prepared: PreparedDeclarations, extras?: CommitExtras): Promise<Appended> {
    if (this.#stale) await this.reload();
    const order = Array.from({ length: prepared.lengths.length }, (_, i) => i);
    return this.#append(
      async () => {
        // Changed in place: if the commit fails, the writer is stale and reloads from the store.
        if (!this.#ownTotals) this.#totals = cloneTotals(this.#totals);
        this.#ownTotals = true;
        addTotals(this.#totals, prepared.added);
        return { input: prepared, totals: this.#totals, voided: [] };
      },
      order,
      extras,
    );
  }

  async #append(
    prepare: () => Promise<{
      input: readonly Uint8Array[] | PackedEntries;
      totals: Totals;
      importedUnchanged?: boolean;
      voided: number[];
    }>,
    order: readonly number[],
    extras: CommitExtras | undefined,
  ): Promise<Appended> {
    const oldSize = this.#treeSize;
    const started = performance.now();
    try {
      const { input, totals, importedUnchanged, voided } = await prepare();
      const result = await integrate(overlay([this.#edge], this.#store.readTiles), oldSize, input);
      const checkpoint = signCheckpoint(
        { origin: this.#origin, treeSize: result.treeSize, root: result.root },
        this.#signer,
      );
      const indexes: number[] = new Array(order.length);
      for (let k = 0; k < order.length; k++) indexes[order[k] as number] = oldSize + k;
      const more = extras?.(indexes, result.treeSize) ?? {};
      const commit: Commit = {
        oldSize,
        newSize: result.treeSize,
        tiles: result.tiles,
        checkpoint,
        totals,
        importedUnchanged,
        voided,
        ...more,
      };
      await this.#store.commit(commit);

      const fresh = new TileMap();
      fresh.apply(result.tiles);
      const edge = nextEdge(this.#edge, fresh, result.treeSize);
      this.#treeSize = result.treeSize;
      if (totals !== this.#totals) {
        this.#totals = totals;
        this.#ownTotals = false; // the live path's copy went to the store (a memory store keeps it)
      }
      this.#edge = edge;
      this.#t.metrics.commit(order.length, (performance.now() - started) / 1000, result.treeSize);
      return {
        oldSize,
        treeSize: result.treeSize,
        checkpoint,
        indexes,
        readTiles: overlay([fresh, edge], this.#store.readTiles),
      };
    } catch (e) {
      // The store may have moved on (another writer) or be half-known: start again from it.
      this.#stale = true;
      throw e;
    }
  }
}

/**
 * Declarations prepared on other threads (an import): already in random order, packed with their
 * leaf hashes (and perhaps some subtree hashes), with the totals they add. No void among them.
 */
export interface PreparedDeclarations extends PackedEntries {
  readonly added: Totals;
}

/** A void entry that would make the log invalid: nothing was written. */
export class VoidError extends TuidangError<'invalid-void'> {
  override name = 'VoidError';
  /** The entry that cannot be voided, and why: not in the log, voided already, or a void entry. */
  readonly target: number;
  readonly problem: 'missing' | 'voided' | 'void';
  constructor(message: string, target: number, problem: VoidError['problem']) {
    super('invalid-void', message);
    this.target = target;
    this.problem = problem;
  }
}

/** Reads each tile from the first map that holds it at least as wide, else from `fallback`. */
export function overlay(maps: readonly TileMap[], fallback: ReadTiles): ReadTiles {
  return async (tiles) => {
    const out: Uint8Array[] = [];
    const missing: number[] = [];
    tiles.forEach((t, i) => {
      const found = maps
        .map((m) => m.get(t))
        .find((f) => f !== undefined && f.tile.width >= t.width);
      if (found !== undefined) out[i] = found.data;
      else missing.push(i);
    });
    if (missing.length > 0) {
      const read = await fallback(missing.map((i) => tiles[i] as (typeof tiles)[number]));
      missing.forEach((i, k) => {
        out[i] = read[k] as Uint8Array;
      });
    }
    return out;
  };
}

/** Positions 0…n-1 in a uniformly random order: sorted by random 64-bit keys. */
function shuffledPositions(n: number): number[] {
  const keys = randomBytesFromPool(8 * n);
  const view = new DataView(keys.buffer, keys.byteOffset, keys.byteLength);
  return Array.from({ length: n }, (_, i) => ({ i, key: view.getBigUint64(8 * i) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.i);
}
