// The published statements (consented and moderated), searchable, and their Atom feed.
import { atomFeed, statementsPage } from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import type { Pages } from './page.ts';

const PAGE_SIZE = 20;

const whole = (v: string | undefined) =>
  v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;

/**
 * The search form's fields; anything out of range is no filter. A later page starts after the
 * last publication of the one before: its approval time (`at`) and entry number (`before`).
 */
function statementQuery(q: Record<string, string | undefined>) {
  const year = whole(q.year);
  const before = whole(q.before);
  const at = whole(q.at);
  return {
    text: q.q?.slice(0, 100) || undefined,
    org: q.org || undefined,
    region: q.region || undefined,
    year: year !== undefined && year > 2000 ? year : undefined,
    ...(before !== undefined && at !== undefined
      ? { olderThan: { approvedAt: at, index: before } }
      : { before: before !== undefined && before > 0 ? before : undefined }),
  };
}

export function statementRoutes(p: Pages, { store, publicUrl }: WebOptions): void {
  p.get('/:lang/statements', async ({ req, t }) => {
    const q = statementQuery(req.query as Record<string, string | undefined>);
    const list = await store.publications({ ...q, limit: PAGE_SIZE + 1 });
    return statementsPage(t, list.slice(0, PAGE_SIZE), q, list.length > PAGE_SIZE);
  });

  p.get('/:lang/statements/feed.xml', async ({ req, reply, t }) =>
    reply
      .header('Cache-Control', 'public, max-age=60')
      .type('application/atom+xml; charset=utf-8')
      .send(
        atomFeed(
          t,
          publicUrl ?? `${req.protocol}://${req.host}`,
          await store.publications({ limit: 50 }),
        ),
      ),
  );
}
