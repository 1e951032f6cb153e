// The site's state in PostgreSQL: publications and moderation, staff, sessions, audit log,
// newsletter subscribers.
import type { Moderation, Publication, PublicationQuery } from '../registry/index.ts';
import { together } from './erasure.ts';
import { RETURNING_XID, TableErasure } from './postgres-erase.ts';
import { PostgresStaff } from './postgres-staff.ts';
import {
  PUBLICATION_COLUMNS,
  type PublicationRow,
  type SubscriberRow,
  toPublication,
  toSubscriber,
} from './rows.ts';
import type { ModerationQueue, SiteStore, Subscriber } from './site-store.ts';
import { unixNow } from './store.ts';

export class PostgresSite extends PostgresStaff implements SiteStore {
  /** Rewrites a table's files without the texts erased from it (postgres-erase.ts). */
  readonly erasers = {
    publications: new TableErasure(this.db, 'publications'),
    subscribers: new TableErasure(this.db, 'subscribers'),
  };
  readonly erasures = together(Object.values(this.erasers).map((e) => e.pending));

  async publications(q: PublicationQuery): Promise<Publication[]> {
    const text = q.text?.trim().toLowerCase() || null;
    const { rows } = await this.db.query<PublicationRow>(
      `SELECT ${PUBLICATION_COLUMNS} FROM publications
       WHERE ($1::text IS NULL OR strpos(lower(statement), $1) > 0 OR strpos(lower(name), $1) > 0)
         AND ($2::text IS NULL OR $2 = ANY(orgs)) AND ($3::text IS NULL OR region = $3)
         AND ($4::text IS NULL OR day LIKE $4) AND ($5::bigint IS NULL OR idx < $5) AND status = $7
         AND ($8::bigint IS NULL OR (coalesce(approved_at, 0), idx) < ($8, $9::bigint))
         AND ($11::text[] IS NULL OR substr(day, 1, 7) = ANY($11::text[]))
         AND ($12::bytea IS NULL OR owner_tag = $12)
       ORDER BY
         CASE WHEN $11::text[] IS NOT NULL THEN substr(day, 1, 7) END DESC,
         CASE WHEN $11::text[] IS NOT NULL THEN owner_tag END ASC NULLS LAST,
         CASE WHEN $11::text[] IS NOT NULL THEN idx END ASC,
         CASE WHEN status = 'approved' THEN coalesce(approved_at, 0) ELSE 0 END DESC, idx DESC
       LIMIT $6 OFFSET $10`,
      [
        text,
        q.org || null,
        q.region || null,
        q.year ? `${q.year}-%` : null,
        q.before ?? null,
        q.limit,
        q.status ?? 'approved',
        q.olderThan?.approvedAt ?? null,
        q.olderThan?.index ?? null,
        q.offset ?? 0,
        q.months === undefined ? null : [...q.months],
        q.owner === undefined ? null : Buffer.from(q.owner),
      ],
    );
    return rows.map(toPublication);
  }

  async moderationQueue(after: number, limit: number): Promise<ModerationQueue> {
    const [count, page] = await Promise.all([
      this.db.query<{ total: string; before: string }>(
        "SELECT count(*) AS total, count(*) FILTER (WHERE idx <= $1) AS before FROM publications WHERE status = 'pending'",
        [after],
      ),
      this.db.query<PublicationRow>(
        `SELECT ${PUBLICATION_COLUMNS} FROM publications WHERE status = 'pending' AND idx > $1 ORDER BY idx LIMIT $2`,
        [after, limit],
      ),
    ]);
    return {
      total: Number(count.rows[0]?.total ?? 0),
      before: Number(count.rows[0]?.before ?? 0),
      page: page.rows.map(toPublication),
    };
  }

  async moderate(index: number, d: Moderation, at = unixNow()): Promise<boolean> {
    const r = await this.db.query<{ xid: string }>(
      `UPDATE publications SET status = $2, name = coalesce($3, name), statement = coalesce($4, statement),
       approved_at = CASE WHEN $2 = 'approved' THEN coalesce(approved_at, $5) ELSE approved_at END
       WHERE idx = $1 ${RETURNING_XID}`,
      [index, d.status, d.name ?? null, d.statement ?? null, at],
    );
    const row = r.rows[0];
    if (d.name !== undefined || d.statement !== undefined)
      await this.erasers.publications.erased(row);
    return row !== undefined;
  }

  /**
   * Deletes the publication, and its text from the table's files (docs/operations.md says what
   * holds it afterwards).
   */
  async erasePublication(index: number, tag?: Uint8Array): Promise<boolean> {
    const r =
      tag === undefined
        ? await this.db.query<{ xid: string }>(
            `DELETE FROM publications WHERE idx = $1 ${RETURNING_XID}`,
            [index],
          )
        : await this.db.query<{ xid: string }>(
            `DELETE FROM publications WHERE idx = $1 AND owner_tag = $2 ${RETURNING_XID}`,
            [index, Buffer.from(tag)],
          );
    await this.erasers.publications.erased(r.rows[0]);
    return r.rows.length === 1;
  }

  async subscribe(email: string, termsVersion: string, expires: number): Promise<Subscriber> {
    const { rows } = await this.db.query<SubscriberRow>(
      `INSERT INTO subscribers (email, status, terms_version, expires) VALUES ($1, 'pending', $2, $3)
       ON CONFLICT (email) DO UPDATE SET status = 'pending', terms_version = EXCLUDED.terms_version, expires = EXCLUDED.expires
       WHERE subscribers.status <> 'confirmed'
       RETURNING *`,
      [email, termsVersion, expires],
    );
    const row =
      rows[0] ??
      (await this.db.query<SubscriberRow>('SELECT * FROM subscribers WHERE email = $1', [email]))
        .rows[0];
    return toSubscriber(row as SubscriberRow);
  }

  async subscriber(id: number): Promise<Subscriber | undefined> {
    const row = (
      await this.db.query<SubscriberRow>('SELECT * FROM subscribers WHERE id = $1', [id])
    ).rows[0];
    return row && toSubscriber(row);
  }

  async setSubscriberStatus(id: number, status: Subscriber['status']): Promise<boolean> {
    return (
      (await this.db.query('UPDATE subscribers SET status = $2 WHERE id = $1', [id, status]))
        .rowCount === 1
    );
  }

  async deleteSubscriber(id: number): Promise<boolean> {
    const r = await this.db.query<{ xid: string }>(
      `DELETE FROM subscribers WHERE id = $1 ${RETURNING_XID}`,
      [id],
    );
    await this.erasers.subscribers.erased(r.rows[0]);
    return r.rows.length === 1;
  }

  async expireSubscribers(now: number): Promise<number> {
    const r = await this.db.query<{ xid: string }>(
      `DELETE FROM subscribers WHERE status <> 'confirmed' AND expires < $1 ${RETURNING_XID}`,
      [now],
    );
    await this.erasers.subscribers.erased(r.rows[0]);
    return r.rows.length;
  }

  async confirmedSubscribers(afterId: number, limit: number): Promise<Subscriber[]> {
    const { rows } = await this.db.query<SubscriberRow>(
      "SELECT * FROM subscribers WHERE status = 'confirmed' AND id > $1 ORDER BY id LIMIT $2",
      [afterId, limit],
    );
    return rows.map(toSubscriber);
  }
}

/** The columns a new publication fills, and its rows from a JSON list (`publicationsJson`). */
export const NEW_PUBLICATION_COLUMNS =
  '(idx, name, name_kind, statement, orgs, region, day, language, owner_tag)';
export const publicationRows = (param: string) =>
  `SELECT x.idx, x.name, x.kind, x.statement, ARRAY(SELECT jsonb_array_elements_text(x.orgs)), x.region, x.day, x.language, decode(x.tag, 'hex')
   FROM jsonb_to_recordset(${param}::jsonb) AS x(idx bigint, name text, kind text, statement text, orgs jsonb, region text, day text, language text, tag text)`;

export function publicationsJson(list: readonly Publication[]): string {
  return JSON.stringify(
    list.map((p) => ({
      idx: p.index,
      name: p.name,
      kind: p.nameKind,
      statement: p.statement,
      orgs: p.orgs,
      region: p.region ?? null,
      day: p.day,
      language: p.language,
      tag: p.ownerTag ? Buffer.from(p.ownerTag).toString('hex') : null,
    })),
  );
}
