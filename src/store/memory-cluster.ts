// The cluster capability in memory, for tests: the queue, the lock and the spent tokens of one
// store object, shared by the sequencers that use it (several "nodes" in one process).
import { randomUUID } from 'node:crypto';
import type { Publication } from '../registry/index.ts';
import type { MemoryLog } from './memory-log.ts';
import type { MemorySite } from './memory-site.ts';
import { QueueNotices } from './notices.ts';
import type {
  ClusterStore,
  IdempotencyRecord,
  PendingItem,
  PendingRow,
  QueueListener,
  SequencedRow,
  SequencerLock,
} from './store.ts';

interface QueuedRow {
  readonly id: number;
  readonly entries: Uint8Array[];
  readonly keyId: string | null;
  readonly requestHash: string | null;
  readonly sealed: Uint8Array | null;
  readonly node: string;
  indexes: number[] | null;
  treeSize: number | null;
}

/** The queue's rows, shared with the log's commit, which marks them sequenced. */
export class MemoryQueue {
  readonly rows = new Map<number, QueuedRow>();
  readonly notices = new QueueNotices();
  nextId = 1;

  markSequenced(
    list: ReadonlyArray<{ readonly id: number; readonly indexes: readonly number[] }>,
    treeSize: number,
  ): void {
    for (const s of list) {
      const row = this.rows.get(s.id);
      if (row !== undefined) {
        row.indexes = [...s.indexes];
        row.treeSize = treeSize;
      }
    }
    if (list.length > 0) this.notices.emit('sequenced');
  }
}

export class MemoryCluster implements ClusterStore {
  readonly #queue: MemoryQueue;
  readonly #log: MemoryLog;
  readonly #site: MemorySite;
  readonly #node = randomUUID();
  readonly #seen = new Map<string, number>();
  readonly #spent = new Map<string, number>();
  #locked = false;

  constructor(queue: MemoryQueue, log: MemoryLog, site: MemorySite) {
    this.#queue = queue;
    this.#log = log;
    this.#site = site;
  }

  async addPending(
    items: readonly PendingItem[],
    { quiet = false }: { quiet?: boolean } = {},
  ): Promise<Array<number | undefined>> {
    const taken = new Set([...this.#queue.rows.values()].map((r) => r.keyId));
    const ids = items.map((it) => {
      const keyId = it.idem?.keyId ?? null;
      // Queued already, or finished (its row gone, its record kept): the caller waits or replays.
      if (keyId !== null && (taken.has(keyId) || this.#log.hasIdempotency(keyId))) return undefined;
      taken.add(keyId);
      const id = this.#queue.nextId++;
      this.#queue.rows.set(id, {
        id,
        entries: it.entries.map((e) => Uint8Array.from(e)),
        keyId,
        requestHash: it.idem?.requestHash ?? null,
        sealed: it.idem ? Uint8Array.from(it.idem.sealed) : null,
        node: this.#node,
        indexes: null,
        treeSize: null,
      });
      return id;
    });
    if (!quiet && ids.some((id) => id !== undefined)) this.#queue.notices.emit('pending');
    return ids;
  }

  async takePending(maxEntries: number, mine?: readonly number[]): Promise<PendingRow[]> {
    const out: PendingRow[] = [];
    let n = 0;
    for (const r of this.#queue.rows.values()) {
      if (r.indexes !== null) continue;
      if (mine !== undefined && r.node === this.#node && !mine.includes(r.id)) continue;
      if (out.length > 0 && n + r.entries.length > maxEntries) break;
      out.push({ id: r.id, entries: r.entries.map((e) => Uint8Array.from(e)) });
      n += r.entries.length;
    }
    return out;
  }

  async sequenced(ids: readonly number[], keyId?: string): Promise<SequencedRow[]> {
    return [...this.#queue.rows.values()]
      .filter(
        (r) =>
          r.indexes !== null && (ids.includes(r.id) || (keyId !== undefined && r.keyId === keyId)),
      )
      .map((r) => ({
        id: r.id,
        indexes: [...(r.indexes as number[])],
        treeSize: r.treeSize as number,
        keyId: r.keyId,
        requestHash: r.requestHash,
        sealed: r.sealed && Uint8Array.from(r.sealed),
        entries: r.entries.map((e) => Uint8Array.from(e)),
      }));
  }

  async pendingByKey(keyId: string): Promise<{ id: number; requestHash: string } | undefined> {
    const r = [...this.#queue.rows.values()].find((x) => x.keyId === keyId);
    return r && { id: r.id, requestHash: r.requestHash as string };
  }

  async finishPending(
    ids: readonly number[],
    records: readonly IdempotencyRecord[] = [],
    publications: readonly Publication[] = [],
  ): Promise<void> {
    this.#site.insert(publications);
    for (const r of records) this.#log.keep(r);
    for (const id of ids) this.#queue.rows.delete(id);
  }

  async heartbeat(now: number): Promise<void> {
    this.#seen.set(this.#node, Math.max(now, this.#seen.get(this.#node) ?? now));
  }

  async reclaimPending(staleBefore: number): Promise<number> {
    let n = 0;
    for (const [id, r] of this.#queue.rows) {
      if (r.indexes !== null && (this.#seen.get(r.node) ?? -Infinity) < staleBefore) {
        this.#queue.rows.delete(id);
        n++;
      }
    }
    for (const [node, seen] of this.#seen) if (seen < staleBefore) this.#seen.delete(node);
    return n;
  }

  async lockSequencer(): Promise<SequencerLock | undefined> {
    if (this.#locked) return undefined;
    this.#locked = true;
    return {
      release: async () => {
        this.#locked = false;
      },
    };
  }

  async listen(on: { pending?: () => void; sequenced?: () => void }): Promise<QueueListener> {
    return this.#queue.notices.listen(on);
  }

  async spendOnce(kind: string, token: string, expiresAtMs: number): Promise<boolean> {
    const key = `${kind}\n${token}`;
    if (this.#spent.has(key)) return false;
    this.#spent.set(key, expiresAtMs);
    return true;
  }
}
