// A store made of its parts: each backend implements the log, the site and the cluster capability
// in a file of its own (sqlite-log.ts, postgres-site.ts, …), and this base forwards the flat Store
// surface to them, so that callers may take the whole Store or just the part they need.
import type { Moderation, Publication, PublicationQuery } from '../registry/index.ts';
import type {
  AuditEntry,
  AuditRecord,
  ClusterStore,
  Commit,
  IdempotencyRecord,
  LogState,
  LogStore,
  ModerationQueue,
  PublishedLog,
  SignInThrottle,
  SiteStore,
  StaffSession,
  StaffUser,
  Store,
  Subscriber,
} from './store.ts';
import type { VolunteerLedger } from './volunteers.ts';

export abstract class ComposedStore implements Store {
  abstract readonly log: LogStore;
  abstract readonly site: SiteStore;
  abstract readonly cluster: ClusterStore;
  abstract readonly volunteers: VolunteerLedger;
  abstract readonly shared: boolean;
  abstract close(): Promise<void>;

  // LogStore
  state(): Promise<LogState> {
    return this.log.state();
  }
  readonly readTiles: LogStore['readTiles'] = (tiles) => this.log.readTiles(tiles);
  commit(c: Commit): Promise<void> {
    return this.log.commit(c);
  }
  isVoided(index: number): Promise<boolean> {
    return this.log.isVoided(index);
  }
  checkpointAt(treeSize: number): Promise<string | undefined> {
    return this.log.checkpointAt(treeSize);
  }
  checkpointFrom(treeSize: number): Promise<{ treeSize: number; note: string } | undefined> {
    return this.log.checkpointFrom(treeSize);
  }
  recordPublication(p: PublishedLog): Promise<boolean> {
    return this.log.recordPublication(p);
  }
  publication(): Promise<PublishedLog | undefined> {
    return this.log.publication();
  }
  idempotency(keyId: string): Promise<IdempotencyRecord | undefined> {
    return this.log.idempotency(keyId);
  }
  importCursor(source: string): Promise<number> {
    return this.log.importCursor(source);
  }
  verifierKey(): Promise<string | undefined> {
    return this.log.verifierKey();
  }
  pinVerifierKey(vkey: string): Promise<string> {
    return this.log.pinVerifierKey(vkey);
  }

  // SiteStore
  publications(q: PublicationQuery): Promise<Publication[]> {
    return this.site.publications(q);
  }
  moderate(index: number, decision: Moderation, at?: number): Promise<boolean> {
    return this.site.moderate(index, decision, at);
  }
  erasePublication(index: number, ownerTag?: Uint8Array): Promise<boolean> {
    return this.site.erasePublication(index, ownerTag);
  }
  createStaffUser(user: StaffUser): Promise<boolean> {
    return this.site.createStaffUser(user);
  }
  staffUser(username: string): Promise<StaffUser | undefined> {
    return this.site.staffUser(username);
  }
  setSecondFactor(
    username: string,
    secondFactor: string | undefined,
    recoveryHashes: readonly string[],
  ): Promise<boolean> {
    return this.site.setSecondFactor(username, secondFactor, recoveryHashes);
  }
  useRecoveryCode(username: string, codeHash: string): Promise<boolean> {
    return this.site.useRecoveryCode(username, codeHash);
  }
  createStaffSession(tokenHash: string, session: Omit<StaffSession, 'role'>): Promise<void> {
    return this.site.createStaffSession(tokenHash, session);
  }
  staffSession(tokenHash: string, now: number): Promise<StaffSession | undefined> {
    return this.site.staffSession(tokenHash, now);
  }
  deleteStaffSession(tokenHash: string): Promise<void> {
    return this.site.deleteStaffSession(tokenHash);
  }
  recordAudit(entry: AuditEntry): Promise<void> {
    return this.site.recordAudit(entry);
  }
  auditLog(limit: number, before?: number): Promise<AuditRecord[]> {
    return this.site.auditLog(limit, before);
  }
  moderationQueue(after: number, limit: number): Promise<ModerationQueue> {
    return this.site.moderationQueue(after, limit);
  }
  attemptSignIn(keys: readonly string[], now: number, throttle: SignInThrottle): Promise<number> {
    return this.site.attemptSignIn(keys, now, throttle);
  }
  forgiveSignIn(
    reset: readonly string[],
    undo: readonly string[],
    throttle: SignInThrottle,
  ): Promise<void> {
    return this.site.forgiveSignIn(reset, undo, throttle);
  }
  subscribe(email: string, termsVersion: string, expires: number): Promise<Subscriber> {
    return this.site.subscribe(email, termsVersion, expires);
  }
  subscriber(id: number): Promise<Subscriber | undefined> {
    return this.site.subscriber(id);
  }
  setSubscriberStatus(id: number, status: Subscriber['status']): Promise<boolean> {
    return this.site.setSubscriberStatus(id, status);
  }
  deleteSubscriber(id: number): Promise<boolean> {
    return this.site.deleteSubscriber(id);
  }
  expireSubscribers(now: number): Promise<number> {
    return this.site.expireSubscribers(now);
  }
  confirmedSubscribers(afterId: number, limit: number): Promise<Subscriber[]> {
    return this.site.confirmedSubscribers(afterId, limit);
  }
}
