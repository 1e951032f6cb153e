// The log's state in memory, for tests, with fault injection: `failNextCommit` makes the next
// commit throw before anything is applied, as a crashed transaction would.
import { type Tile, TileMap } from '../log/index.ts';
import { emptyTotals } from '../registry/index.ts';
import type { MemoryQueue } from './memory-cluster.ts';
import type { MemorySite } from './memory-site.ts';
import {
  type Commit,
  cursorOf,
  type FingerprintedImport,
  type IdempotencyRecord,
  type ImportCursor,
  type LogState,
  type LogStore,
  type PublishedLog,
  StoreError,
} from './store.ts';

export class MemoryLog implements LogStore {
  readonly #tiles = new TileMap();
  #state: LogState = { treeSize: 0, checkpoint: undefined, totals: emptyTotals() };
  readonly #voided = new Set<number>();
  /** Checkpoints of publications, and the latest: true for those published. */
  readonly #checkpoints = new Map<number, { note: string; published: boolean }>();
  #publication: PublishedLog | undefined;
  readonly #idempotency = new Map<string, IdempotencyRecord>();
  readonly #imports = new Map<string, ImportCursor>();
  readonly #site: MemorySite;
  readonly #queue: MemoryQueue;
  /** When set, the next commit fails with this error and changes nothing. */
  failNextCommit: Error | undefined;

  constructor(site: MemorySite, queue: MemoryQueue) {
    this.#site = site;
    this.#queue = queue;
  }

  async state(): Promise<LogState> {
    return structuredClone(this.#state);
  }

  readonly readTiles = async (tiles: readonly Tile[]): Promise<Uint8Array[]> => {
    try {
      return [...(await this.#tiles.readTiles(tiles))];
    } catch (cause) {
      throw new StoreError('not-found', (cause as Error).message, { cause });
    }
  };

  async commit(c: Commit): Promise<void> {
    const fault = this.failNextCommit;
    if (fault !== undefined) {
      this.failNextCommit = undefined;
      throw fault;
    }
    if (c.oldSize !== this.#state.treeSize) {
      throw new StoreError(
        'conflict',
        `commit builds on tree size ${c.oldSize}, but the log has ${this.#state.treeSize} entries`,
      );
    }
    // Every check before the first change, as a database's constraints would roll back.
    for (const i of c.voided)
      if (this.#voided.has(i)) throw new StoreError('conflict', `entry ${i} is voided already`);
    for (const r of c.idempotency ?? [])
      if (this.#idempotency.has(r.keyId))
        throw new StoreError('conflict', 'idempotency key recorded twice');
    for (const q of c.sequenced ?? [])
      if (this.#queue.rows.get(q.id)?.indexes !== null)
        throw new StoreError(
          'conflict',
          `queued submission ${q.id} is not waiting to be sequenced`,
        );
    this.#site.insert(c.publications ?? []);
    this.#tiles.apply(c.tiles.map((t) => ({ tile: t.tile, data: Uint8Array.from(t.data) })));
    for (const i of c.voided) this.#voided.add(i);
    if (!this.#checkpoints.has(c.newSize))
      this.#checkpoints.set(c.newSize, { note: c.checkpoint, published: false });
    if (c.newSize > c.oldSize && this.#checkpoints.get(c.oldSize)?.published === false)
      this.#checkpoints.delete(c.oldSize);
    for (const { source, line, prefix } of c.importProgress ?? [])
      this.#imports.set(source, cursorOf(line, prefix));
    for (const r of c.idempotency ?? []) this.#idempotency.set(r.keyId, structuredClone(r));
    if (c.expireBefore !== undefined) {
      for (const [k, r] of this.#idempotency)
        if (r.expires < c.expireBefore) this.#idempotency.delete(k);
    }
    this.#queue.markSequenced(c.sequenced ?? [], c.newSize);
    this.#state = structuredClone({
      treeSize: c.newSize,
      checkpoint: c.checkpoint,
      totals: c.totals,
    });
  }

  /** Keeps a sealed receipt unless one is kept for the key already (the queue's answers). */
  keep(r: IdempotencyRecord): void {
    if (!this.#idempotency.has(r.keyId)) this.#idempotency.set(r.keyId, structuredClone(r));
  }

  async isVoided(index: number): Promise<boolean> {
    return this.#voided.has(index);
  }

  async checkpointAt(treeSize: number): Promise<string | undefined> {
    return this.#checkpoints.get(treeSize)?.note;
  }

  async checkpointFrom(treeSize: number): Promise<{ treeSize: number; note: string } | undefined> {
    let best: { treeSize: number; note: string } | undefined;
    for (const [size, c] of this.#checkpoints)
      if (size >= treeSize && (best === undefined || size < best.treeSize))
        best = { treeSize: size, note: c.note };
    return best;
  }

  async recordPublication(p: PublishedLog): Promise<boolean> {
    const last = this.#publication;
    if (last !== undefined && last.treeSize > p.treeSize) return false;
    this.#checkpoints.set(p.treeSize, { note: p.checkpoint, published: true });
    for (const [size, c] of this.#checkpoints)
      if (!c.published && size < p.treeSize) this.#checkpoints.delete(size);
    this.#publication = structuredClone({ ...p, at: Math.max(p.at, last?.at ?? 0) });
    if (this.#state.treeSize === p.treeSize)
      this.#state = { ...this.#state, checkpoint: p.checkpoint };
    return true;
  }

  async publication(): Promise<PublishedLog | undefined> {
    return structuredClone(this.#publication);
  }

  /** The tree sizes of the checkpoints kept (tests: no commit between publications is kept). */
  checkpointSizes(): number[] {
    return [...this.#checkpoints.keys()].sort((a, b) => a - b);
  }

  /** Whether a request with this key has its record (the cluster queue does not take it again). */
  hasIdempotency(keyId: string): boolean {
    return this.#idempotency.has(keyId);
  }

  async idempotency(keyId: string): Promise<IdempotencyRecord | undefined> {
    const r = this.#idempotency.get(keyId);
    return r === undefined ? undefined : structuredClone(r);
  }

  #vkey: string | undefined;

  async verifierKey(): Promise<string | undefined> {
    return this.#vkey;
  }

  async pinVerifierKey(vkey: string): Promise<string> {
    this.#vkey ??= vkey;
    return this.#vkey;
  }

  async fingerprintedImports(): Promise<FingerprintedImport[]> {
    return [...this.#imports]
      .flatMap(([source, c]) =>
        c.prefix === undefined ? [] : [{ source, line: c.line, prefix: c.prefix }],
      )
      .sort((a, b) => b.line - a.line || (a.source < b.source ? -1 : 1));
  }

  async importCursor(source: string): Promise<ImportCursor> {
    return this.#imports.get(source) ?? { line: 0 };
  }
}
