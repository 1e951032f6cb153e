// An in-memory store for tests, with fault injection: `failNextCommit` makes the next commit throw
// before anything is applied, as a crashed transaction would.
import { TileMap } from '../log/index.ts';
import {
  emptyTotals,
  type Moderation,
  matches,
  type Publication,
  type PublicationQuery,
} from '../registry/index.ts';
import { countAttempt, type ThrottleRow, uncount } from './sign-in-throttle.ts';
import {
  type AuditEntry,
  type AuditRecord,
  type Commit,
  type IdempotencyRecord,
  type LogState,
  type ModerationQueue,
  type SignInThrottle,
  type StaffSession,
  type StaffUser,
  type Store,
  StoreError,
  type Subscriber,
} from './store.ts';

export class MemoryStore implements Store {
  readonly #tiles = new TileMap();
  #state: LogState = { treeSize: 0, checkpoint: undefined, totals: emptyTotals() };
  readonly #voided = new Set<number>();
  readonly #checkpoints = new Map<number, string>();
  readonly #idempotency = new Map<string, IdempotencyRecord>();
  readonly #publications: Publication[] = [];
  readonly #imports = new Map<string, number>();
  readonly #subscribers: Subscriber[] = [];
  readonly #staff = new Map<string, StaffUser>();
  readonly #sessions = new Map<string, Omit<StaffSession, 'role'>>();
  readonly #audit: AuditEntry[] = [];
  readonly #throttle = new Map<string, ThrottleRow>();
  /** When set, the next commit fails with this error and changes nothing. */
  failNextCommit: Error | undefined;

  async state(): Promise<LogState> {
    return structuredClone(this.#state);
  }

  readonly readTiles = async (tiles: Parameters<TileMap['readTiles']>[0]) => {
    try {
      return await this.#tiles.readTiles(tiles);
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
    this.#tiles.apply(c.tiles.map((t) => ({ tile: t.tile, data: Uint8Array.from(t.data) })));
    for (const i of c.voided) this.#voided.add(i);
    if (!this.#checkpoints.has(c.newSize)) this.#checkpoints.set(c.newSize, c.checkpoint);
    for (const p of c.publications ?? [])
      this.#publications.push({ ...structuredClone(p), status: 'pending' });
    if (c.importProgress) this.#imports.set(c.importProgress.source, c.importProgress.line);
    for (const r of c.idempotency ?? []) {
      if (this.#idempotency.has(r.keyId))
        throw new StoreError('conflict', 'idempotency key recorded twice');
      this.#idempotency.set(r.keyId, structuredClone(r));
    }
    if (c.expireBefore !== undefined) {
      for (const [k, r] of this.#idempotency)
        if (r.expires < c.expireBefore) this.#idempotency.delete(k);
    }
    this.#state = structuredClone({
      treeSize: c.newSize,
      checkpoint: c.checkpoint,
      totals: c.totals,
    });
  }

  async isVoided(index: number): Promise<boolean> {
    return this.#voided.has(index);
  }

  async replaceCheckpoint(treeSize: number, note: string): Promise<void> {
    if (!this.#checkpoints.has(treeSize))
      throw new StoreError('not-found', `no checkpoint of tree size ${treeSize}`);
    this.#checkpoints.set(treeSize, note);
    if (this.#state.treeSize === treeSize) this.#state = { ...this.#state, checkpoint: note };
  }

  async createStaffUser(user: StaffUser): Promise<boolean> {
    if (this.#staff.has(user.username)) return false;
    this.#staff.set(user.username, { ...user });
    return true;
  }

  async staffUser(username: string): Promise<StaffUser | undefined> {
    const u = this.#staff.get(username);
    return u && { ...u };
  }

  async createStaffSession(tokenHash: string, session: Omit<StaffSession, 'role'>): Promise<void> {
    this.#sessions.set(tokenHash, { ...session });
  }

  async staffSession(tokenHash: string, now: number): Promise<StaffSession | undefined> {
    const s = this.#sessions.get(tokenHash);
    const u = s && this.#staff.get(s.username);
    return s && u && s.expires > now ? { ...s, role: u.role } : undefined;
  }

  async deleteStaffSession(tokenHash: string): Promise<void> {
    this.#sessions.delete(tokenHash);
  }

  async recordAudit(entry: AuditEntry): Promise<void> {
    this.#audit.push({ ...entry });
  }

  async auditLog(limit: number, before?: number): Promise<AuditRecord[]> {
    const end = Math.min(this.#audit.length, (before ?? Number.MAX_SAFE_INTEGER) - 1);
    return this.#audit
      .slice(Math.max(0, end - limit), Math.max(0, end))
      .map((e, i) => ({ ...e, id: Math.max(0, end - limit) + i + 1 }))
      .reverse();
  }

  async moderationQueue(after: number, limit: number): Promise<ModerationQueue> {
    const pending = this.#publications
      .filter((p) => p.status === 'pending')
      .sort((a, b) => a.index - b.index);
    return {
      total: pending.length,
      page: pending
        .filter((p) => p.index > after)
        .slice(0, limit)
        .map(({ ownerTag: _, ...p }) => structuredClone(p)),
    };
  }

  async attemptSignIn(
    keys: readonly string[],
    now: number,
    throttle: SignInThrottle,
  ): Promise<number> {
    const { wait, write } = countAttempt(this.#throttle, keys, now, throttle);
    for (const row of write) this.#throttle.set(row.key, row);
    return wait;
  }

  async forgiveSignIn(
    reset: readonly string[],
    undo: readonly string[],
    throttle: SignInThrottle,
  ): Promise<void> {
    for (const key of reset) this.#throttle.delete(key);
    for (const key of undo) {
      const row = this.#throttle.get(key);
      const kept = row && uncount(row, throttle);
      if (kept) this.#throttle.set(key, kept);
      else this.#throttle.delete(key);
    }
  }

  async subscribe(email: string, termsVersion: string, expires: number): Promise<Subscriber> {
    const at = this.#subscribers.findIndex((x) => x.email === email);
    const found = this.#subscribers[at];
    if (found?.status === 'confirmed') return { ...found };
    const sub: Subscriber = {
      id: found?.id ?? this.#subscribers.length + 1,
      email,
      status: 'pending',
      termsVersion,
      expires,
    };
    if (found) this.#subscribers[at] = sub;
    else this.#subscribers.push(sub);
    return { ...sub };
  }

  async subscriber(id: number): Promise<Subscriber | undefined> {
    const s = this.#subscribers.find((x) => x.id === id);
    return s && { ...s };
  }

  async setSubscriberStatus(id: number, status: Subscriber['status']): Promise<boolean> {
    const at = this.#subscribers.findIndex((x) => x.id === id);
    const s = this.#subscribers[at];
    if (s === undefined) return false;
    this.#subscribers[at] = { ...s, status };
    return true;
  }

  async confirmedSubscribers(afterId: number, limit: number): Promise<Subscriber[]> {
    return this.#subscribers
      .filter((x) => x.status === 'confirmed' && x.id > afterId)
      .slice(0, limit)
      .map((x) => ({ ...x }));
  }

  async importCursor(source: string): Promise<number> {
    return this.#imports.get(source) ?? 0;
  }

  async moderate(index: number, decision: Moderation): Promise<boolean> {
    const at = this.#publications.findIndex((p) => p.index === index);
    const p = this.#publications[at];
    if (p === undefined) return false;
    this.#publications[at] = {
      ...p,
      status: decision.status,
      name: decision.name ?? p.name,
      statement: decision.statement ?? p.statement,
    };
    return true;
  }

  async erasePublication(index: number, tag?: Uint8Array): Promise<boolean> {
    const at = this.#publications.findIndex(
      (p) =>
        p.index === index &&
        (tag === undefined ||
          (p.ownerTag !== undefined &&
            Buffer.compare(Buffer.from(p.ownerTag), Buffer.from(tag)) === 0)),
    );
    if (at < 0) return false;
    this.#publications.splice(at, 1);
    return true;
  }

  async publications(q: PublicationQuery): Promise<Publication[]> {
    return this.#publications
      .filter((p) => matches(p, q))
      .sort((a, b) => b.index - a.index)
      .slice(0, q.limit)
      .map(({ ownerTag: _, ...p }) => structuredClone(p));
  }

  async checkpointAt(treeSize: number): Promise<string | undefined> {
    return this.#checkpoints.get(treeSize);
  }

  async idempotency(keyId: string): Promise<IdempotencyRecord | undefined> {
    const r = this.#idempotency.get(keyId);
    return r === undefined ? undefined : structuredClone(r);
  }

  async close(): Promise<void> {}
}
