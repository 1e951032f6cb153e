// The published statements (consented and moderated), searchable, and their Atom feed.
import { atomFeed, statementsPage } from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import type { Pages } from './page.ts';

const PAGE_SIZE = 20;

/** The search form's fields; anything out of range is no filter. */
function statementQuery(q: Record<string, string | undefined>) {
  const year = Number(q.year);
  const before = Number(q.before);
  return {
    text: q.q?.slice(0, 100) || undefined,
    org: q.org || undefined,
    region: q.region || undefined,
    year: Number.isInteger(year) && year > 2000 ? year : undefined,
    before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
  };
}

export function statementRoutes(p: Pages, { store }: WebOptions): void {
  p.get('/:lang/statements', async ({ req, t }) => {
    const q = statementQuery(req.query as Record<string, string | undefined>);
    const list = await store.publications({ ...q, limit: PAGE_SIZE + 1 });
    return statementsPage(t, list.slice(0, PAGE_SIZE), q, list.length > PAGE_SIZE);
  });

  p.get('/:lang/statements/feed.xml', async ({ req, reply, t }) =>
    reply
      .header('Cache-Control', 'public, max-age=60')
      .type('application/atom+xml; charset=utf-8')
      .send(atomFeed(t, `${req.protocol}://${req.host}`, await store.publications({ limit: 50 }))),
  );
}
