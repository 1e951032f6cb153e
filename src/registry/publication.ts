// A publication: the name and statement of a declarant who asked for them to be shown. Kept apart
// from the log (which never holds them), linked by the entry's index, and only with consent. It is
// shown only once a moderator approved it, and can be erased for good by a moderator or by the
// declarant, who proves it is theirs with the salt in their receipt.
import { hash } from 'node:crypto';

export type PublicationStatus = 'pending' | 'approved' | 'rejected';
export const PUBLICATION_STATUSES: readonly PublicationStatus[] = [
  'pending',
  'approved',
  'rejected',
];
const OWNER_TAG = 'tuidang/publication-owner/v1\n';

/**
 * What the store keeps to recognise the declarant: SHA-256 of a tag and the receipt's salt. It
 * reveals nothing of the salt, so the commitment in the log stays hiding.
 */
export function ownerTag(salt: Uint8Array): Uint8Array {
  const input = new Uint8Array(OWNER_TAG.length + salt.length);
  input.set(new TextEncoder().encode(OWNER_TAG));
  input.set(salt, OWNER_TAG.length);
  return hash('sha256', input, 'buffer');
}

export interface Publication {
  readonly index: number;
  readonly name: string;
  readonly nameKind: 'real' | 'alias';
  readonly statement: string;
  readonly orgs: readonly string[];
  readonly region?: string | undefined;
  /** UTC day of the declaration. */
  readonly day: string;
  readonly language: string;
  /** Moderation state; new publications are pending. */
  readonly status?: PublicationStatus;
  /**
   * POSIX seconds of the first approval (undefined before it, and for publications approved
   * before the time was kept). Approved publications are listed newest approval first.
   */
  readonly approvedAt?: number | undefined;
  /** {@link ownerTag} of the declarant's salt (stored, never returned by queries). */
  readonly ownerTag?: Uint8Array;
}

/** A moderator's decision; `name` and `statement`, if given, replace the text (redaction). */
export interface Moderation {
  readonly status: 'approved' | 'rejected';
  readonly name?: string | undefined;
  readonly statement?: string | undefined;
}

export interface PublicationQuery {
  /** Words to find in the statement or the name. */
  readonly text?: string | undefined;
  readonly org?: string | undefined;
  readonly region?: string | undefined;
  readonly year?: number | undefined;
  /** Only publications with an index below this. */
  readonly before?: number | undefined;
  /**
   * Only publications approved before this one (its approval time and index): the next page of
   * a list of approved publications, which goes from the newest approval to the oldest.
   */
  readonly olderThan?: { readonly approvedAt: number; readonly index: number } | undefined;
  /**
   * How many of the matching publications to skip. The public pages page by position: a link with
   * an entry's index would tell which commit, and so roughly when, a statement was made.
   */
  readonly offset?: number | undefined;
  /**
   * The public lists: only publications of these months (`2026-12`; crowd.ts), listed by month,
   * newest first, and within a month by owner tag, an order that has nothing to do with the
   * entries' (approval order would give it away when a moderator approves in entry order).
   */
  readonly months?: readonly string[] | undefined;
  /**
   * Only the publication of this owner tag ({@link ownerTag} of a receipt's salt): what a person
   * who holds the receipt may see of their own, pending or public, and nobody else.
   */
  readonly owner?: Uint8Array | undefined;
  /** Which publications: the public sees `approved` only (the default). */
  readonly status?: PublicationStatus | undefined;
  readonly limit: number;
}

/** Whether a publication matches a query; the stores' SQL does the same. */
export function matches(p: Publication, q: PublicationQuery): boolean {
  const text = q.text?.trim().toLowerCase();
  return (
    (!text || p.statement.toLowerCase().includes(text) || p.name.toLowerCase().includes(text)) &&
    (!q.org || p.orgs.includes(q.org)) &&
    (!q.region || p.region === q.region) &&
    (!q.year || p.day.startsWith(`${q.year}-`)) &&
    (q.before === undefined || p.index < q.before) &&
    (q.olderThan === undefined || olderThan(p, q.olderThan)) &&
    (q.months === undefined || q.months.includes(p.day.slice(0, 7))) &&
    (q.owner === undefined ||
      (p.ownerTag !== undefined && compareTags(p.ownerTag, q.owner) === 0)) &&
    (p.status ?? 'pending') === (q.status ?? 'approved')
  );
}

/** Whether `p` comes after `cursor` in the order of approved publications (newest first). */
function olderThan(p: Publication, cursor: { approvedAt: number; index: number }): boolean {
  const at = p.approvedAt ?? 0;
  return at < cursor.approvedAt || (at === cursor.approvedAt && p.index < cursor.index);
}

/**
 * The order of a list of publications: approved ones by approval time, newest first (the index
 * breaks ties); the others by index, newest first.
 */
export function byListOrder(a: Publication, b: Publication): number {
  return (b.approvedAt ?? 0) - (a.approvedAt ?? 0) || b.index - a.index;
}

/**
 * The order of the public lists (a query with `months`): month, newest first; then owner tag
 * (random, one per salt), bytewise as SQLite and PostgreSQL compare blobs; publications without
 * one last, by index.
 */
export function byCrowdOrder(a: Publication, b: Publication): number {
  const month = b.day.slice(0, 7).localeCompare(a.day.slice(0, 7));
  if (month !== 0) return month;
  return compareTags(a.ownerTag, b.ownerTag) || a.index - b.index;
}

function compareTags(a: Uint8Array | undefined, b: Uint8Array | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}
