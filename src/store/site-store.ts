// The site's storage contract: what the web site keeps beside the log (publications and their
// moderation, staff accounts and sessions, the audit log, newsletter subscribers). Each backend
// implements it in a file of its own (sqlite-site.ts, postgres-site.ts, memory-site.ts), and
// site.test.ts runs against each; a store exposes it as `store.site`.
import type { Moderation, Publication, PublicationQuery } from '../registry/index.ts';
import type { Erasures } from './erasure.ts';

/** A newsletter subscriber: an email address, with consent to a versioned terms text. */
export interface Subscriber {
  readonly id: number;
  readonly email: string;
  readonly status: 'pending' | 'confirmed' | 'unsubscribed';
  /** The version of the terms the subscriber consented to. */
  readonly termsVersion: string;
  /** POSIX seconds after which a pending subscription can no longer be confirmed. */
  readonly expires: number;
}

export type StaffRole = 'admin' | 'moderator' | 'volunteer';
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'moderator', 'volunteer'];

export interface StaffUser {
  readonly username: string;
  readonly role: StaffRole;
  /** argon2id PHC string. */
  readonly passwordHash: string;
  /** The TOTP secret once enrolled, sealed by the server (never in the clear); else undefined. */
  readonly secondFactor?: string | undefined;
}

export interface StaffSession {
  readonly username: string;
  readonly role: StaffRole;
  /** The session's CSRF token, required on every staff form. */
  readonly csrf: string;
  /** POSIX seconds. */
  readonly expires: number;
}

/** A staff action: who, what, when, on which entry. Never a declarant's personal data. */
export interface AuditEntry {
  readonly at: number;
  readonly username: string;
  readonly action: string;
  readonly target: string;
}

/** An audit entry as stored: `id` orders the log (a later action has a larger id). */
export interface AuditRecord extends AuditEntry {
  readonly id: number;
}

/**
 * How staff sign-in attempts are throttled. Keys are opaque to the store (keyed hashes of an
 * account and an address, never the address itself).
 */
export interface SignInThrottle {
  /** Seconds a key must wait after its `failures`-th counted failure (0: the next may go on). */
  wait(key: string, failures: number): number;
  /** A key whose last failure is older than this many seconds starts again from nothing. */
  readonly forgetSeconds: number;
}

/** One page of the moderation queue, and how many publications wait in all. */
export interface ModerationQueue {
  readonly total: number;
  /** How many pending publications come before this page (index at most `after`). */
  readonly before: number;
  /** Pending publications, oldest (lowest index) first. */
  readonly page: Publication[];
}

/**
 * What the web site keeps beside the log: publications and their moderation, staff accounts and
 * sessions, the audit log, newsletter subscribers. None of it is part of the log, and all of it
 * can be changed or erased.
 */
export interface SiteStore {
  /**
   * Publications matching a query (approved ones unless `q.status` says otherwise), newest first:
   * approved ones by approval time, the others by index.
   */
  publications(q: PublicationQuery): Promise<Publication[]>;
  /**
   * Records a moderator's decision on a publication; false if there is none at that index.
   * `at` (POSIX seconds) is the time of the decision: an approval keeps the first one.
   */
  moderate(index: number, decision: Moderation, at?: number): Promise<boolean>;
  /**
   * Erases a publication for good (the log's entry stays, and reveals nothing without the salt).
   * With `ownerTag`, only if it is the one stored: the declarant proving it is theirs. The text
   * leaves the store's files before this resolves, or, while a reader older than the erasure is
   * open (a backup running), once that reader has ended: see `erasures`.
   */
  erasePublication(index: number, ownerTag?: Uint8Array): Promise<boolean>;
  /**
   * Erasures (and redactions, deleted newsletter addresses) whose text may still be in the files,
   * waiting for older readers to end; `settled()` resolves once there are none.
   */
  readonly erasures: Erasures;
  /** Adds a staff account; false if the username is taken. */
  createStaffUser(user: StaffUser): Promise<boolean>;
  staffUser(username: string): Promise<StaffUser | undefined>;
  /**
   * Sets an account's sealed second factor and replaces its recovery codes (SHA-256 hashes), in
   * one step; `undefined` removes both and ends the account's sessions (a reset). False if there
   * is no such account.
   */
  setSecondFactor(
    username: string,
    secondFactor: string | undefined,
    recoveryHashes: readonly string[],
  ): Promise<boolean>;
  /** Uses up one recovery code of an account: true once, false if it is not (or no longer) one. */
  useRecoveryCode(username: string, codeHash: string): Promise<boolean>;
  /** Stores a session under the SHA-256 of its token (the token itself is only in the cookie). */
  createStaffSession(tokenHash: string, session: Omit<StaffSession, 'role'>): Promise<void>;
  /** The session of a token hash, with the user's current role, unless expired. */
  staffSession(tokenHash: string, now: number): Promise<StaffSession | undefined>;
  deleteStaffSession(tokenHash: string): Promise<void>;
  recordAudit(entry: AuditEntry): Promise<void>;
  /** The audit log, newest first: at most `limit` entries, with an id below `before` if given. */
  auditLog(limit: number, before?: number): Promise<AuditRecord[]>;
  /** Pending publications with an index above `after`, oldest first, and the number pending. */
  moderationQueue(after: number, limit: number): Promise<ModerationQueue>;
  /**
   * One staff sign-in attempt, as one atomic step, so that concurrent guesses cannot slip in
   * between a check and a count: if any of `keys` must still wait at `now` (POSIX seconds),
   * nothing changes and the longest wait in seconds is returned; otherwise the attempt counts as
   * a failure of every key (until {@link forgiveSignIn} says it was not) and 0 is returned.
   */
  attemptSignIn(keys: readonly string[], now: number, throttle: SignInThrottle): Promise<number>;
  /**
   * After a successful sign-in: `reset` keys start again from nothing, and `undo` keys lose the
   * failure that {@link attemptSignIn} counted for this attempt.
   */
  forgiveSignIn(
    reset: readonly string[],
    undo: readonly string[],
    throttle: SignInThrottle,
  ): Promise<void>;
  /**
   * Records a subscription (pending, until confirmed before `expires`). An address already
   * confirmed stays as it is; an earlier pending or unsubscribed one starts again.
   */
  subscribe(email: string, termsVersion: string, expires: number): Promise<Subscriber>;
  subscriber(id: number): Promise<Subscriber | undefined>;
  setSubscriberStatus(id: number, status: Subscriber['status']): Promise<boolean>;
  /**
   * Deletes a subscriber (an unsubscription) and erases the address from the database's files
   * as an erased publication is; false if there was none.
   */
  deleteSubscriber(id: number): Promise<boolean>;
  /**
   * Deletes, and erases from the files, pending subscriptions whose link expired before `now`
   * (POSIX seconds); returns how many.
   */
  expireSubscribers(now: number): Promise<number>;
  /** Confirmed subscribers with an id above `afterId`, in id order. */
  confirmedSubscribers(afterId: number, limit: number): Promise<Subscriber[]>;
}
