// Rows as both databases return them, made into the contract's types (PostgreSQL gives BIGINT
// columns as strings and arrays as arrays; SQLite gives numbers and the comma-joined text).
import type { Publication, PublicationStatus } from '../registry/index.ts';
import type { AuditRecord, StaffRole, StaffUser, Subscriber } from './site-store.ts';

export const PUBLICATION_COLUMNS =
  'idx, name, name_kind, statement, orgs, region, day, language, status, approved_at';

export interface PublicationRow {
  readonly idx: number | string;
  readonly name: string;
  readonly name_kind: 'real' | 'alias';
  readonly statement: string;
  readonly orgs: string | string[];
  readonly region: string | null;
  readonly day: string;
  readonly language: string;
  readonly status: PublicationStatus;
  readonly approved_at: number | string | null;
}

export function toPublication(r: PublicationRow): Publication {
  return {
    index: Number(r.idx),
    name: r.name,
    nameKind: r.name_kind,
    statement: r.statement,
    orgs: Array.isArray(r.orgs) ? r.orgs : r.orgs.split(','),
    region: r.region ?? undefined,
    day: r.day,
    language: r.language,
    status: r.status,
    // 0: approved before the time was kept.
    approvedAt: Number(r.approved_at) || undefined,
  };
}

export interface SubscriberRow {
  readonly id: number | string;
  readonly email: string;
  readonly status: Subscriber['status'];
  readonly terms_version: string;
  readonly expires: number | string;
}

export function toSubscriber(r: SubscriberRow): Subscriber {
  return {
    id: Number(r.id),
    email: r.email,
    status: r.status,
    termsVersion: r.terms_version,
    expires: Number(r.expires),
  };
}

export interface AuditRow {
  readonly id: number | string;
  readonly at: number | string;
  readonly username: string;
  readonly action: string;
  readonly target: string;
}

export function toAuditRecord(e: AuditRow): AuditRecord {
  return {
    id: Number(e.id),
    at: Number(e.at),
    username: e.username,
    action: e.action,
    target: e.target,
  };
}

export interface StaffUserRow {
  readonly username: string;
  readonly role: StaffRole;
  readonly password_hash: string;
  readonly second_factor: string | null;
}

export function toStaffUser(r: StaffUserRow): StaffUser {
  return {
    username: r.username,
    role: r.role,
    passwordHash: r.password_hash,
    ...(r.second_factor ? { secondFactor: r.second_factor } : {}),
  };
}

/** `value` and everything in it made read-only: what a store hands to every reader alike. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
