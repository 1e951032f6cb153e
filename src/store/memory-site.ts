// The site's state in memory, for tests.
import {
  byCrowdOrder,
  byListOrder,
  type Moderation,
  matches,
  type Publication,
  type PublicationQuery,
} from '../registry/index.ts';
import { countAttempt, forgiveAttempt, type ThrottleRow } from './sign-in-throttle.ts';
import type {
  AuditEntry,
  AuditRecord,
  ModerationQueue,
  SignInThrottle,
  SiteStore,
  StaffSession,
  StaffUser,
  Subscriber,
} from './site-store.ts';
import { hourCeil, hourFloor, StoreError, unixNow } from './store.ts';

export class MemorySite implements SiteStore {
  /** Nothing to wait for: erased text is in no file. */
  readonly erasures = {
    waiting: false,
    settled: () => Promise.resolve(),
    observe: () => {},
    close: () => {},
  };

  readonly #publications: Publication[] = [];
  readonly #subscribers: Subscriber[] = [];
  #lastSubscriberId = 0;
  readonly #staff = new Map<string, StaffUser>();
  readonly #recovery = new Map<string, Set<string>>();
  readonly #sessions = new Map<string, Omit<StaffSession, 'role'>>();
  readonly #audit: AuditEntry[] = [];
  readonly #throttle = new Map<string, ThrottleRow>();

  /** Stores new publications (pending moderation); for the log's commit and the queue. */
  insert(list: readonly Publication[]): void {
    for (const p of list) {
      if (this.#publications.some((q) => q.index === p.index))
        throw new StoreError('conflict', `a publication at index ${p.index} is stored already`);
    }
    for (const p of list) this.#publications.push({ ...structuredClone(p), status: 'pending' });
  }

  async publications(q: PublicationQuery): Promise<Publication[]> {
    return this.#publications
      .filter((p) => matches(p, q))
      .sort(
        q.months !== undefined
          ? byCrowdOrder
          : (q.status ?? 'approved') === 'approved'
            ? byListOrder
            : (a, b) => b.index - a.index,
      )
      .slice(q.offset ?? 0, (q.offset ?? 0) + q.limit)
      .map(({ ownerTag: _, ...p }) => structuredClone(p));
  }

  async moderate(index: number, decision: Moderation, now = unixNow()): Promise<boolean> {
    const at = this.#publications.findIndex((p) => p.index === index);
    const p = this.#publications[at];
    if (p === undefined) return false;
    this.#publications[at] = {
      ...p,
      status: decision.status,
      approvedAt: p.approvedAt ?? (decision.status === 'approved' ? now : undefined),
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

  async createStaffUser(user: StaffUser): Promise<boolean> {
    if (this.#staff.has(user.username)) return false;
    this.#staff.set(user.username, { ...user });
    return true;
  }

  async staffUser(username: string): Promise<StaffUser | undefined> {
    const u = this.#staff.get(username);
    return u && { ...u };
  }

  async setSecondFactor(
    username: string,
    secondFactor: string | undefined,
    recoveryHashes: readonly string[],
  ): Promise<boolean> {
    const u = this.#staff.get(username);
    if (u === undefined) return false;
    const { secondFactor: _, ...rest } = u;
    this.#staff.set(username, secondFactor === undefined ? rest : { ...rest, secondFactor });
    this.#recovery.set(username, new Set(recoveryHashes));
    if (secondFactor === undefined)
      for (const [k, s] of this.#sessions) if (s.username === username) this.#sessions.delete(k);
    return true;
  }

  async useRecoveryCode(username: string, codeHash: string): Promise<boolean> {
    return this.#recovery.get(username)?.delete(codeHash) ?? false;
  }

  async createStaffSession(tokenHash: string, session: Omit<StaffSession, 'role'>): Promise<void> {
    this.#sessions.set(tokenHash, { ...session, expires: hourCeil(session.expires) });
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
    this.#audit.push({ ...entry, at: hourFloor(entry.at) });
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
      before: pending.filter((p) => p.index <= after).length,
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
    const { remove, write } = forgiveAttempt(this.#throttle, reset, undo, throttle);
    for (const key of remove) this.#throttle.delete(key);
    for (const row of write) this.#throttle.set(row.key, row);
  }

  async subscribe(email: string, termsVersion: string, expires: number): Promise<Subscriber> {
    const at = this.#subscribers.findIndex((x) => x.email === email);
    const found = this.#subscribers[at];
    if (found?.status === 'confirmed') return { ...found };
    const sub: Subscriber = {
      id: found?.id ?? ++this.#lastSubscriberId,
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

  async deleteSubscriber(id: number): Promise<boolean> {
    const at = this.#subscribers.findIndex((x) => x.id === id);
    if (at < 0) return false;
    this.#subscribers.splice(at, 1);
    return true;
  }

  async expireSubscribers(now: number): Promise<number> {
    const before = this.#subscribers.length;
    const kept = this.#subscribers.filter((x) => !(x.status !== 'confirmed' && x.expires < now));
    this.#subscribers.splice(0, before, ...kept);
    return before - kept.length;
  }

  async confirmedSubscribers(afterId: number, limit: number): Promise<Subscriber[]> {
    return this.#subscribers
      .filter((x) => x.status === 'confirmed' && x.id > afterId)
      .slice(0, limit)
      .map((x) => ({ ...x }));
  }
}
