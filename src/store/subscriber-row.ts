// A subscribers row as both databases return it (PostgreSQL gives BIGINT columns as strings).
import type { Subscriber } from './store.ts';

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
