// The published statements (consented and moderated), searchable, and their Atom feed. Every list
// of statements (this page, the feed, the home page) is a crowd query: only months that hold at
// least `statementCrowd` declarations of the public log, in an order unrelated to the entries'.
import { crowdedMonths, type PublicationQuery } from '../../registry/index.ts';
import type { PublicLog } from '../../sequencer/index.ts';
import type { SiteStore } from '../../store/index.ts';
import { atomFeed, statementsPage } from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import type { Pages } from './page.ts';

const PAGE_SIZE = 20;
/** Deeper pages cost the database more; a search narrows the list instead. */
const MAX_PAGE = 500;

const whole = (v: string | undefined) =>
  v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;

/** The crowd size when the configuration gives none (see TUIDANG_STATEMENT_CROWD). */
export const STATEMENT_CROWD = 100;

/**
 * The search form's fields and the page (from 1); anything out of range is no filter. Pages go by
 * position, never by entry number: a published statement does not say which entry is its. There
 * is no filter by organisation or region: a statement does not show them, and a filter would.
 */
function statementQuery(q: Record<string, string | undefined>) {
  const year = whole(q.year);
  const page = whole(q.page);
  return {
    text: q.q?.slice(0, 100) || undefined,
    year: year !== undefined && year > 2000 ? year : undefined,
    page: page !== undefined && page >= 1 && page <= MAX_PAGE ? page : 1,
  };
}

/** Published statements for a public list: crowded months only, of the published log only. */
export async function publicStatements(
  published: PublicLog,
  site: SiteStore,
  crowd: number | undefined,
  q: Omit<PublicationQuery, 'months' | 'before' | 'status'>,
) {
  const { totals, treeSize } = await published.state();
  return site.publications({
    ...q,
    months: crowdedMonths(totals, crowd ?? STATEMENT_CROWD),
    before: treeSize,
  });
}

export function statementRoutes(
  p: Pages,
  { published, store, siteUrl, statementCrowd }: WebOptions,
): void {
  p.get('/:lang/statements', async ({ req, t }) => {
    const q = statementQuery(req.query as Record<string, string | undefined>);
    const list = await publicStatements(published, store.site, statementCrowd, {
      ...q,
      offset: (q.page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE + 1,
    });
    const more = list.length > PAGE_SIZE && q.page < MAX_PAGE;
    return statementsPage(t, list.slice(0, PAGE_SIZE), q, more);
  });

  p.get('/:lang/statements/feed.xml', async ({ reply, t }) =>
    reply
      .header('Cache-Control', 'public, max-age=60')
      .type('application/atom+xml; charset=utf-8')
      .send(
        atomFeed(
          t,
          siteUrl(),
          await publicStatements(published, store.site, statementCrowd, { limit: 50 }),
        ),
      ),
  );
}
