// Adaptive group commit. Validated declarants wait in a bounded pool; as soon as the previous
// commit is done and the pool is not empty, one transaction writes everything in the pool (up to a
// batch limit): entries, tiles, totals and the signed checkpoint. Only then is each waiting request
// answered with its receipts. Batches grow with load by themselves; there is no fixed tick.
import {
  edgeTiles,
  encodeBase64,
  integrate,
  type NodeCache,
  type NoteSigner,
  proveInclusion,
  type ReadTiles,
  signCheckpoint,
  TileMap,
} from '../log/index.ts';
import {
  addEntry,
  commitment,
  type DeclarationEntry,
  encodeEntry,
  SALT_SIZE,
  type Submission,
  type Totals,
  utcDay,
} from '../registry/index.ts';
import type { IdempotencyRecord, Store } from '../store/index.ts';
import {
  checkKey,
  IDEMPOTENCY_TTL_SECONDS,
  keyIdOf,
  requestHashOf,
  seal,
  unseal,
} from './idempotency.ts';
import { randomBytesFromPool } from './random.ts';

export interface Receipt {
  readonly index: number;
  /** The log entry, base64. */
  readonly entry: string;
  /** The commitment's salt, base64: held by nobody but the declarant. */
  readonly salt: string;
  readonly treeSize: number;
  readonly inclusionProof: string[];
  /** The signed checkpoint of `treeSize`. */
  readonly checkpoint: string;
}

/** The Idempotency-Key was used before for another request: the caller should answer 409. */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
  constructor() {
    super(
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
  }
}

/** The pool is full: the caller should answer 503 with Retry-After. */
export class PoolFullError extends Error {
  override name = 'PoolFullError';
  readonly retryAfterSeconds = 1;
}

export interface SequencerOptions {
  readonly origin: string;
  readonly signer: NoteSigner;
  /** Most declarants in one commit. */
  readonly maxBatch?: number;
  /** Most declarants waiting; beyond it, submissions are refused with {@link PoolFullError}. */
  readonly maxPool?: number;
  /** Milliseconds a commit may wait to gather more declarants once the pool is not empty. */
  readonly delayMs?: number;
  readonly now?: () => Date;
}

interface Waiting {
  readonly entries: Uint8Array[];
  readonly salts: Uint8Array[];
  readonly declarations: DeclarationEntry[];
  readonly idempotency: { key: string; keyId: string; requestHash: string } | undefined;
  readonly resolve: (r: Receipt[]) => void;
  readonly reject: (e: unknown) => void;
}

export class Sequencer {
  readonly #store: Store;
  readonly #opts: Required<Omit<SequencerOptions, 'now'>> & { now: () => Date };
  #treeSize = 0;
  #totals!: Totals;
  #pool: Waiting[] = [];
  /** Requests with an idempotency key that are not answered yet, by key id. */
  readonly #inflight = new Map<string, { requestHash: string; promise: Promise<Receipt[]> }>();
  /** The right-edge tiles at the current tree size: all that integration reads. */
  #edge = new TileMap();
  #pooled = 0;
  #running = false;
  #closed = false;
  #idle: Promise<void> = Promise.resolve();

  private constructor(store: Store, opts: SequencerOptions) {
    this.#store = store;
    this.#opts = { maxBatch: 4096, maxPool: 65536, delayMs: 2, now: () => new Date(), ...opts };
  }

  /** A sequencer over `store`, starting from its latest commit. */
  static async open(store: Store, opts: SequencerOptions): Promise<Sequencer> {
    const s = new Sequencer(store, opts);
    await s.#reload();
    return s;
  }

  get treeSize(): number {
    return this.#treeSize;
  }

  get poolDepth(): number {
    return this.#pooled;
  }

  async #reload(): Promise<void> {
    this.#edge = new TileMap();
    const state = await this.#store.state();
    this.#treeSize = state.treeSize;
    this.#totals = state.totals;
  }

  /**
   * Logs a validated submission; resolves with one receipt per declarant once durable. With an
   * idempotency key, a repeated request gets the receipts of the first, and adds nothing.
   */
  submit(s: Submission, options: { idempotencyKey?: string | undefined } = {}): Promise<Receipt[]> {
    const key = options.idempotencyKey;
    if (key === undefined) return this.#enqueue(s, undefined);
    checkKey(key);
    const keyId = keyIdOf(key);
    const requestHash = requestHashOf(s);
    const inflight = this.#inflight.get(keyId);
    if (inflight !== undefined) {
      if (inflight.requestHash !== requestHash)
        return Promise.reject(new IdempotencyConflictError());
      return inflight.promise;
    }
    const promise = (async () => {
      const record = await this.#store.idempotency(keyId);
      const now = Math.floor(this.#opts.now().getTime() / 1000);
      if (record !== undefined && record.expires >= now) {
        if (record.requestHash !== requestHash) throw new IdempotencyConflictError();
        return this.#replay(key, record);
      }
      return this.#enqueue(s, { key, keyId, requestHash });
    })();
    this.#inflight.set(keyId, { requestHash, promise });
    const forget = () => this.#inflight.delete(keyId);
    promise.then(forget, forget);
    return promise;
  }

  /** The receipts of an earlier request, rebuilt from its sealed record at its tree size. */
  async #replay(key: string, record: IdempotencyRecord): Promise<Receipt[]> {
    const checkpoint = await this.#store.checkpointAt(record.treeSize);
    if (checkpoint === undefined)
      throw new Error(`no checkpoint stored for tree size ${record.treeSize}`);
    const cache: NodeCache = new Map();
    return Promise.all(
      unseal(key, record.sealed).map(async ({ index, entry, salt }) => ({
        index,
        entry,
        salt,
        treeSize: record.treeSize,
        inclusionProof: (
          await proveInclusion(this.#store.readTiles, record.treeSize, index, cache)
        ).map(encodeBase64),
        checkpoint,
      })),
    );
  }

  #enqueue(s: Submission, idempotency: Waiting['idempotency']): Promise<Receipt[]> {
    if (this.#closed) return Promise.reject(new Error('the sequencer is shut down'));
    if (this.#pooled + s.declarants.length > this.#opts.maxPool) {
      return Promise.reject(new PoolFullError('too many declarations are waiting'));
    }
    const day = utcDay(this.#opts.now());
    const n = s.declarants.length;
    // One call to the random source per submission: salts, then the group id of a family.
    const random = randomBytesFromPool(SALT_SIZE * n + (n > 1 ? 16 : 0));
    const groupId = n > 1 ? new Uint8Array(random.subarray(SALT_SIZE * n)) : undefined;
    const salts: Uint8Array[] = [];
    const declarations = s.declarants.map((d, i) => {
      const salt = new Uint8Array(random.subarray(i * SALT_SIZE, (i + 1) * SALT_SIZE));
      salts.push(salt);
      const e: DeclarationEntry = {
        kind: 'declaration',
        day,
        orgs: d.orgs,
        channel: s.channel,
        region: d.region,
        groupId,
        commitment: commitment(salt, d.name, d.nameKind, d.statement),
      };
      return e;
    });
    return new Promise((resolve, reject) => {
      this.#pool.push({
        entries: declarations.map(encodeEntry),
        salts,
        declarations,
        idempotency,
        resolve,
        reject,
      });
      this.#pooled += declarations.length;
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#running || this.#pool.length === 0) return;
    this.#running = true;
    this.#idle = new Promise((done) => {
      setTimeout(() => void this.#drain().finally(done), this.#opts.delayMs);
    });
  }

  async #drain(): Promise<void> {
    while (this.#pool.length > 0) {
      let take = 0;
      let n = 0;
      for (const w of this.#pool) {
        if (take > 0 && n + w.entries.length > this.#opts.maxBatch) break;
        take++;
        n += w.entries.length;
      }
      const batch = this.#pool.splice(0, take);
      this.#pooled -= n;
      await this.#commit(batch);
    }
    this.#running = false;
  }

  async #commit(batch: Waiting[]): Promise<void> {
    // Entries of one batch are shuffled before they get indexes, so that order within a batch
    // says nothing about who arrived when.
    const slots = shuffled(batch.flatMap((w, wi) => w.entries.map((_, i) => ({ wi, i }))));
    const oldSize = this.#treeSize;
    try {
      const entries = slots.map(({ wi, i }) => (batch[wi] as Waiting).entries[i] as Uint8Array);
      const result = await integrate(
        overlay([this.#edge], this.#store.readTiles),
        oldSize,
        entries,
      );
      const totals = structuredClone(this.#totals);
      for (const { wi, i } of slots)
        addEntry(totals, (batch[wi] as Waiting).declarations[i] as DeclarationEntry);
      const checkpoint = signCheckpoint(
        { origin: this.#opts.origin, treeSize: result.treeSize, root: result.root },
        this.#opts.signer,
      );
      const fresh = new TileMap();
      fresh.apply(result.tiles);
      const indexes: number[][] = batch.map(() => []);
      slots.forEach(({ wi, i }, k) => {
        (indexes[wi] as number[])[i] = oldSize + k;
      });
      const now = Math.floor(this.#opts.now().getTime() / 1000);
      const idempotency: IdempotencyRecord[] = [];
      batch.forEach((w, wi) => {
        if (w.idempotency === undefined) return;
        const sealed = seal(
          w.idempotency.key,
          w.entries.map((e, i) => ({
            index: (indexes[wi] as number[])[i] as number,
            entry: encodeBase64(e),
            salt: encodeBase64(w.salts[i] as Uint8Array),
          })),
        );
        const { keyId, requestHash } = w.idempotency;
        idempotency.push({
          keyId,
          requestHash,
          treeSize: result.treeSize,
          sealed,
          expires: now + IDEMPOTENCY_TTL_SECONDS,
        });
      });
      await this.#store.commit({
        oldSize,
        newSize: result.treeSize,
        tiles: result.tiles,
        checkpoint,
        totals,
        voided: [],
        idempotency,
        expireBefore: now,
      });
      this.#treeSize = result.treeSize;
      this.#totals = totals;
      const edge = new TileMap();
      for (const tile of edgeTiles(result.treeSize)) {
        const t = fresh.get(tile) ?? this.#edge.get(tile);
        if (t !== undefined) edge.apply([t]);
      }
      this.#edge = edge;

      // Proofs read the tiles just written from memory, and older ones from the store.
      const read = overlay([fresh, this.#edge], this.#store.readTiles);
      const receipts: Receipt[][] = batch.map(() => []);
      const cache: NodeCache = new Map();
      await Promise.all(
        slots.map(async ({ wi, i }, k) => {
          const index = oldSize + k;
          const proof = await proveInclusion(read, result.treeSize, index, cache);
          const w = batch[wi] as Waiting;
          (receipts[wi] as Receipt[])[i] = {
            index,
            entry: encodeBase64(w.entries[i] as Uint8Array),
            salt: encodeBase64(w.salts[i] as Uint8Array),
            treeSize: result.treeSize,
            inclusionProof: proof.map(encodeBase64),
            checkpoint,
          };
        }),
      );
      batch.forEach((w, wi) => {
        w.resolve(receipts[wi] as Receipt[]);
      });
    } catch (e) {
      for (const w of batch) w.reject(e);
      // The store may have moved on (another writer) or be half-known: start again from it.
      await this.#reload().catch(() => {});
    }
  }

  /** Stops taking submissions and waits for those already taken. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#running) await this.#idle;
  }
}

/** Reads each tile from the first map that holds it at least as wide, else from `fallback`. */
function overlay(maps: readonly TileMap[], fallback: ReadTiles): ReadTiles {
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

/** A uniformly random order: sort by random 64-bit keys (one call to the random source). */
function shuffled<T>(items: T[]): T[] {
  const keys = randomBytesFromPool(8 * items.length);
  const view = new DataView(keys.buffer, keys.byteOffset, keys.byteLength);
  return items
    .map((item, i) => ({ item, key: view.getBigUint64(8 * i) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.item);
}
