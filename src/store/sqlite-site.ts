// The site's state in SQLite: publications and moderation, staff, sessions, audit log, newsletter
// subscribers.
import type { DatabaseSync } from 'node:sqlite';
import type { Moderation, Publication, PublicationQuery } from '../registry/index.ts';
import { PendingErasure } from './erasure.ts';
import {
  PUBLICATION_COLUMNS,
  type PublicationRow,
  type SubscriberRow,
  toPublication,
  toSubscriber,
} from './rows.ts';
import type { ModerationQueue, SiteStore, Subscriber } from './site-store.ts';
import { SqliteStaff } from './sqlite-staff.ts';
import { unixNow } from './store.ts';

export class SqliteSite extends SqliteStaff implements SiteStore {
  /** Takes erased text out of the write-ahead log, once no other connection is in the way. */
  readonly erasures = new PendingErasure(async () => this.database.truncateWal());

  async publications(q: PublicationQuery): Promise<Publication[]> {
    const where: string[] = [];
    const args: Array<string | number | Uint8Array> = [];
    if (q.text?.trim()) {
      where.push('(instr(lower(statement), ?) > 0 OR instr(lower(name), ?) > 0)');
      args.push(q.text.trim().toLowerCase(), q.text.trim().toLowerCase());
    }
    if (q.org) {
      where.push("(',' || orgs || ',') LIKE ?");
      args.push(`%,${q.org},%`);
    }
    if (q.region) {
      where.push('region = ?');
      args.push(q.region);
    }
    if (q.year) {
      where.push('day LIKE ?');
      args.push(`${q.year}-%`);
    }
    if (q.before !== undefined) {
      where.push('idx < ?');
      args.push(q.before);
    }
    if (q.olderThan !== undefined) {
      where.push('(coalesce(approved_at, 0), idx) < (?, ?)');
      args.push(q.olderThan.approvedAt, q.olderThan.index);
    }
    if (q.owner !== undefined) {
      where.push('owner_tag = ?');
      args.push(q.owner);
    }
    if (q.months !== undefined) {
      where.push('substr(day, 1, 7) IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify(q.months));
    }
    const status = q.status ?? 'approved';
    where.push('status = ?');
    args.push(status);
    // The public lists (months given): byCrowdOrder; the others: byListOrder or by index.
    const order =
      q.months !== undefined
        ? 'substr(day, 1, 7) DESC, owner_tag IS NULL, owner_tag, idx'
        : status === 'approved'
          ? 'coalesce(approved_at, 0) DESC, idx DESC'
          : 'idx DESC';
    const sql = `SELECT ${PUBLICATION_COLUMNS} FROM publications WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`;
    const rows = this.db
      .prepare(sql)
      .all(...args, q.limit, q.offset ?? 0) as unknown as PublicationRow[];
    return rows.map(toPublication);
  }

  async moderationQueue(after: number, limit: number): Promise<ModerationQueue> {
    const { total, before } = this.db
      .prepare(
        "SELECT count(*) AS total, count(*) FILTER (WHERE idx <= ?) AS before FROM publications WHERE status = 'pending'",
      )
      .get(after) as { total: number; before: number };
    const rows = this.db
      .prepare(
        `SELECT ${PUBLICATION_COLUMNS} FROM publications WHERE status = 'pending' AND idx > ? ORDER BY idx LIMIT ?`,
      )
      .all(after, limit) as unknown as PublicationRow[];
    return { total: Number(total), before: Number(before), page: rows.map(toPublication) };
  }

  async moderate(index: number, d: Moderation, at = unixNow()): Promise<boolean> {
    const r = this.db
      .prepare(
        `UPDATE publications SET status = ?, name = coalesce(?, name), statement = coalesce(?, statement),
         approved_at = CASE WHEN ? = 'approved' THEN coalesce(approved_at, ?) ELSE approved_at END
         WHERE idx = ?`,
      )
      .run(d.status, d.name ?? null, d.statement ?? null, d.status, at, index);
    // A redaction: the text it replaced must not stay in the write-ahead log.
    if (r.changes === 1 && (d.name !== undefined || d.statement !== undefined))
      await this.erasures.erased();
    return r.changes === 1;
  }

  async erasePublication(index: number, tag?: Uint8Array): Promise<boolean> {
    const r =
      tag === undefined
        ? this.db.prepare('DELETE FROM publications WHERE idx = ?').run(index)
        : this.db
            .prepare('DELETE FROM publications WHERE idx = ? AND owner_tag = ?')
            .run(index, tag);
    // secure_delete zeroed the row in the database's pages; the WAL still holds earlier copies.
    if (r.changes === 1) await this.erasures.erased();
    return r.changes === 1;
  }

  async subscribe(email: string, termsVersion: string, expires: number): Promise<Subscriber> {
    this.db
      .prepare(
        `INSERT INTO subscribers (email, status, terms_version, expires) VALUES (?, 'pending', ?, ?)
         ON CONFLICT (email) DO UPDATE SET status = 'pending', terms_version = excluded.terms_version, expires = excluded.expires
         WHERE subscribers.status <> 'confirmed'`,
      )
      .run(email, termsVersion, expires);
    return toSubscriber(
      this.db
        .prepare('SELECT * FROM subscribers WHERE email = ?')
        .get(email) as unknown as SubscriberRow,
    );
  }

  async subscriber(id: number): Promise<Subscriber | undefined> {
    const row = this.db.prepare('SELECT * FROM subscribers WHERE id = ?').get(id);
    return row && toSubscriber(row as unknown as SubscriberRow);
  }

  async setSubscriberStatus(id: number, status: Subscriber['status']): Promise<boolean> {
    return (
      this.db.prepare('UPDATE subscribers SET status = ? WHERE id = ?').run(status, id).changes ===
      1
    );
  }

  async deleteSubscriber(id: number): Promise<boolean> {
    const r = this.db.prepare('DELETE FROM subscribers WHERE id = ?').run(id);
    // secure_delete zeroed the row in the database's pages; the WAL still holds earlier copies.
    if (r.changes === 1) await this.erasures.erased();
    return r.changes === 1;
  }

  async expireSubscribers(now: number): Promise<number> {
    const r = this.db
      .prepare("DELETE FROM subscribers WHERE status <> 'confirmed' AND expires < ?")
      .run(now);
    if (Number(r.changes) > 0) await this.erasures.erased();
    return Number(r.changes);
  }

  async confirmedSubscribers(afterId: number, limit: number): Promise<Subscriber[]> {
    const rows = this.db
      .prepare(
        "SELECT * FROM subscribers WHERE status = 'confirmed' AND id > ? ORDER BY id LIMIT ?",
      )
      .all(afterId, limit);
    return rows.map((r) => toSubscriber(r as unknown as SubscriberRow));
  }
}

/** Stores a new publication (pending moderation), within the caller's transaction. */
export function insertPublication(db: DatabaseSync, p: Publication): void {
  db.prepare(
    'INSERT INTO publications (idx, name, name_kind, statement, orgs, region, day, language, owner_tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    p.index,
    p.name,
    p.nameKind,
    p.statement,
    p.orgs.join(','),
    p.region ?? null,
    p.day,
    p.language,
    p.ownerTag ?? null,
  );
}
