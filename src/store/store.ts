// The storage contracts: the log's state, and the cluster capability (the site's state is in
// site-store.ts). Three implementations follow them (SQLite, the default; PostgreSQL; an
// in-memory one for tests), and one test suite per contract (log.test.ts, site.test.ts,
// cluster.test.ts) runs against each.
import { TuidangError } from '../errors/index.ts';
import type { ReadTiles, TileData } from '../log/index.ts';
import type { Publication, Totals } from '../registry/index.ts';
import type { SiteStore } from './site-store.ts';
import type { VolunteerLedger } from './volunteers.ts';

export interface LogState {
  readonly treeSize: number;
  /** The latest signed checkpoint (a signed note); undefined before the first commit. */
  readonly checkpoint: string | undefined;
  /** Read-only: a store may hand the same (frozen) object to every reader at one tree size. */
  readonly totals: Totals;
}

/** The log as published: what every node serves until the next publication. */
export interface PublishedLog {
  readonly treeSize: number;
  /** The checkpoint, with the cosignatures of the witnesses that answered. */
  readonly checkpoint: string;
  readonly totals: Totals;
  /** The publication's instant, POSIX seconds: a multiple of the publication interval. */
  readonly at: number;
}

/** What a store keeps for an Idempotency-Key: nothing readable without the key itself. */
export interface IdempotencyRecord {
  /** SHA-256 of the key, hex. */
  readonly keyId: string;
  /**
   * HMAC of the validated request under a key derived from the Idempotency-Key, hex: the same key
   * with another request is a conflict, and without the key it confirms no guessed request.
   */
  readonly requestHash: string;
  /** Tree size of the receipts' checkpoint. */
  readonly treeSize: number;
  /** AES-256-GCM(iv ‖ ciphertext ‖ tag) of the receipts' index, entry and salt. */
  readonly sealed: Uint8Array;
  /** POSIX seconds after which the record may be deleted. */
  readonly expires: number;
}

export interface Commit {
  /** The tree size this commit builds on. A store whose tree has another size refuses the commit. */
  readonly oldSize: number;
  readonly newSize: number;
  /** New and changed tiles and entry bundles, from `integrate`. */
  readonly tiles: readonly TileData[];
  /**
   * The signed checkpoint for `newSize`. A commit that adds no entry (an import batch of rejected
   * records only) keeps the checkpoint already stored for that size.
   */
  readonly checkpoint: string;
  /** Totals after this commit's entries. */
  readonly totals: Totals;
  /**
   * True when `totals.imported` is the tally of the state this commit builds on: the store need
   * not write it again (SQL stores keep it in a row of its own, 125 KB of JSON for the real
   * history, written only by the commits that change it). Absent or false: it is written.
   */
  readonly importedUnchanged?: boolean;
  /** Indexes of declarations voided by this commit's entries. */
  readonly voided: readonly number[];
  /** Sealed receipts of requests that came with an Idempotency-Key. */
  readonly idempotency?: readonly IdempotencyRecord[];
  /** Forget idempotency records that expired before this POSIX time. */
  readonly expireBefore?: number;
  /**
   * Queued submissions this commit logs (the cluster queue): marked sequenced, atomically. Each
   * must be queued and not sequenced yet, or the whole commit is refused (`conflict`): a row is
   * never logged twice, even by two nodes that both believe they sequence.
   */
  readonly sequenced?: ReadonlyArray<{ readonly id: number; readonly indexes: readonly number[] }>;
  /** Names and statements of declarants of this commit who consented to publication. */
  readonly publications?: readonly Publication[];
  /**
   * For an import: the source and the last of its lines this commit completes (with a file that
   * continues an earlier import, that import's source too).
   */
  readonly importProgress?: ReadonlyArray<ImportCursor & { readonly source: string }>;
}

/** An import cursor as stored: no `prefix` key where none was recorded. */
export function cursorOf(line: number, prefix: string | null | undefined): ImportCursor {
  return prefix === null || prefix === undefined ? { line } : { line, prefix };
}

/** An import source recorded with the fingerprint of its lines. */
export interface FingerprintedImport {
  readonly source: string;
  readonly line: number;
  readonly prefix: string;
}

/** How far an import source got: its last line committed, and the fingerprint of its lines. */
export interface ImportCursor {
  /** The last line committed (0 if none): an import resumes after it. */
  readonly line: number;
  /**
   * The fingerprint of lines 1 to `line` (src/import/fingerprint.ts); absent for CSV, and for
   * imports recorded before schema 16 (SQLite) or 15 (PostgreSQL).
   */
  readonly prefix?: string;
}

/**
 * A log's durable state: tiles, checkpoints, totals, voids, sealed idempotency records and import
 * cursors. Everything a commit writes is here.
 *
 * - Durability: once `commit` resolves, the commit survives a crash of the process or the machine.
 * - Atomicity: a commit is applied whole or not at all; readers never see part of one.
 * - One writer: only the sequencer that holds the store's write lock calls `commit`. A commit
 *   whose `oldSize` is not the stored tree size is refused with a `StoreError` of code `conflict`,
 *   so that even a confused second writer can never fork the log.
 * - `readTiles` returns, for each tile asked, the stored version, which may be wider than asked
 *   (a later partial or the full tile); it throws `not-found` for a tile that is not stored.
 */
export interface LogStore {
  state(): Promise<LogState>;
  readonly readTiles: ReadTiles;
  commit(c: Commit): Promise<void>;
  /** Whether a declaration was voided (a void entry already names it). */
  isVoided(index: number): Promise<boolean>;
  /**
   * The signed checkpoint of a tree size, if the store kept it. A store keeps the checkpoints of
   * publications and the latest one only: a checkpoint of every commit would date the commits
   * between two publications (docs/timing-privacy.md). A commit forgets the checkpoint it builds
   * on unless that one was published.
   */
  checkpointAt(treeSize: number): Promise<string | undefined>;
  /**
   * The first checkpoint kept of at least `treeSize` entries (the one of that size, else the
   * publication that first included them, else the latest), to build receipts of entries below
   * `treeSize` against; undefined if the log is smaller.
   */
  checkpointFrom(treeSize: number): Promise<{ treeSize: number; note: string } | undefined>;
  /**
   * Records a publication, in one transaction: its checkpoint (with the witnesses' cosignatures)
   * is kept for good, and it becomes what {@link publication} returns, unless a larger one was
   * recorded (a public log never shrinks; then nothing changes and false is returned). The same
   * size again only moves `at` on.
   */
  recordPublication(p: PublishedLog): Promise<boolean>;
  /** The latest publication recorded, if any. */
  publication(): Promise<PublishedLog | undefined>;
  /** The idempotency record of a key id, unless expired and forgotten. */
  idempotency(keyId: string): Promise<IdempotencyRecord | undefined>;
  /** How far an import source got (line 0 if it never committed): imports resume after it. */
  importCursor(source: string): Promise<ImportCursor>;
  /** Every import source with a fingerprint, longest first: what a grown file may continue. */
  fingerprintedImports(): Promise<readonly FingerprintedImport[]>;
  /**
   * The verifier key (and so the origin) of the log this store holds, once recorded: a log is
   * signed by one key for life (see log-key.ts).
   */
  verifierKey(): Promise<string | undefined>;
  /**
   * Records the log's verifier key unless one is recorded already, atomically (nodes starting
   * together record one); returns the recorded key, which the caller compares with its own.
   */
  pinVerifierKey(vkey: string): Promise<string>;
}

/** A submission accepted by some node, waiting in the shared queue. */
export interface PendingRow {
  readonly id: number;
  readonly entries: Uint8Array[];
}

/** A queued submission the sequencer has logged. */
export interface SequencedRow {
  readonly id: number;
  readonly indexes: number[];
  readonly treeSize: number;
  readonly keyId: string | null;
  readonly requestHash: string | null;
  readonly sealed: Uint8Array | null;
  readonly entries: Uint8Array[];
}

/** A submission to queue: its entries, and its sealed salts if it came with an Idempotency-Key. */
export interface PendingItem {
  readonly entries: readonly Uint8Array[];
  readonly idem?: { keyId: string; requestHash: string; sealed: Uint8Array } | undefined;
}

/** The right to sequence, held until released or lost (the connection or process that held it ended). */
export interface SequencerLock {
  release(): Promise<void>;
}

/** A subscription to the queue's notices; polling stays the fallback. */
export interface QueueListener {
  close(): Promise<void>;
}

/**
 * What lets several processes share one log: a queue of accepted submissions, the lock that makes
 * one of them the sequencer, and a memory of single-use tokens. Every store has it; `Store.shared`
 * says whether other processes may use the same store, so that sequencing must go through it.
 *
 * - The queue: any node adds; the lock holder takes the oldest unsequenced rows and marks them
 *   sequenced in its commit (`Commit.sequenced`); the accepting node answers from its own memory
 *   and finishes them. The lock holder sequences the rows it added itself from its own memory,
 *   without taking them back (`quiet`, `mine`). Rows record the node that added them, so that rows of a node that died
 *   (no heartbeat since `staleBefore`) can be reclaimed once sequenced.
 * - The lock lives as long as the process (or database session) that took it: if that ends, the
 *   lock is free again and `onLost` is called where the process still runs.
 */
export interface ClusterStore {
  /**
   * Persists accepted submissions; the id of each, or undefined for a key id already queued.
   * `quiet`: no `pending` notice (the sequencing node adds rows it sequences itself).
   */
  addPending(
    items: readonly PendingItem[],
    options?: { quiet?: boolean },
  ): Promise<Array<number | undefined>>;
  /**
   * The oldest submissions not yet sequenced, up to about `maxEntries` entries. With `mine`, rows
   * this node (this store object) added are taken only if listed there: the others it holds in
   * memory.
   */
  takePending(maxEntries: number, mine?: readonly number[]): Promise<PendingRow[]>;
  /** Queued rows among `ids` (or with `keyId`) that have been sequenced. */
  sequenced(ids: readonly number[], keyId?: string): Promise<SequencedRow[]>;
  /** The queued row of an idempotency key id, sequenced or not. */
  pendingByKey(keyId: string): Promise<{ id: number; requestHash: string } | undefined>;
  /** Answered: forget the rows, and keep sealed receipts and publications, in one transaction. */
  finishPending(
    ids: readonly number[],
    records?: readonly IdempotencyRecord[],
    publications?: readonly Publication[],
  ): Promise<void>;
  /** Records that this node (this store object) is alive at `now` (POSIX seconds). */
  heartbeat(now: number): Promise<void>;
  /**
   * Deletes sequenced rows whose accepting node has sent no heartbeat since `staleBefore` (POSIX
   * seconds): their receipts can no longer be delivered, and the rows hold entries and sealed
   * salts. Returns how many rows were deleted.
   */
  reclaimPending(staleBefore: number): Promise<number>;
  /** Takes the sequencer's lock if it is free; undefined if another holds it. */
  lockSequencer(onLost?: () => void): Promise<SequencerLock | undefined>;
  /** Calls `pending` when a node queued rows and `sequenced` when a commit sequenced some. */
  listen(on: { pending?: () => void; sequenced?: () => void }): Promise<QueueListener>;
  /**
   * Records a single-use token (a solved proof-of-work challenge, a form ticket) of a `kind`:
   * true the first time, false if this or any other node spent it before, also after a restart.
   * Kept until `expiresAtMs` (POSIX milliseconds), and only as a hash.
   */
  spendOnce(kind: string, token: string, expiresAtMs: number): Promise<boolean>;
}

/**
 * A store is its log (the backend's log part, e.g. `SqliteStore extends SqliteLog`), with the
 * site's state, the cluster capability and the volunteers' ledger as parts of their own. A caller
 * takes the narrowest of these it needs: `LogStore` (the store itself), `store.site`,
 * `store.cluster`, `store.volunteers`; only what opens and closes a store takes it whole.
 */
export interface Store extends LogStore {
  /** Whether other processes may use this store at the same time (PostgreSQL). */
  readonly shared: boolean;
  readonly site: SiteStore;
  readonly cluster: ClusterStore;
  /** What staff declare for others: batches and per-account budgets (volunteers.ts). */
  readonly volunteers: VolunteerLedger;
  close(): Promise<void>;
}

export type StoreErrorCode = 'conflict' | 'not-found' | 'unavailable' | 'corrupt' | 'config';

/** What opening a store did to its schema, for the caller to log. */
export interface Migration {
  readonly from: number;
  readonly to: number;
}

/**
 * The message that refuses to upgrade an existing database without the operator's word: the data
 * of a registry cannot be taken back from a failed upgrade, so the operator backs it up first.
 */
export function upgradeRefused(from: number, to: number, backup: string): StoreError {
  return new StoreError(
    'config',
    `the database is at schema version ${from} and this tuidang needs ${to}: back it up first (${backup}), read CHANGELOG.md, then start once with TUIDANG_MIGRATE=yes (docs/upgrading.md)`,
  );
}

export class StoreError extends TuidangError<StoreErrorCode> {
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}

/** POSIX seconds rounded down to the hour: what the stores keep of a staff action's time. */
export function hourFloor(seconds: number): number {
  return Math.floor(seconds / 3600) * 3600;
}

/** POSIX seconds rounded up to the hour: what the stores keep of an expiry. */
export function hourCeil(seconds: number): number {
  return Math.ceil(seconds / 3600) * 3600;
}

/** The time now, in POSIX seconds (what the stores record when a caller gives no time). */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
