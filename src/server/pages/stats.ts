// The totals as a page and as CSV, and the published figures beside the verifiable count.
import { figuresPage, loadFigures, statsCsv, statsPage } from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import type { Pages } from './page.ts';

export function statsRoutes(p: Pages, { published }: WebOptions): void {
  const figures = loadFigures();

  p.get('/:lang/stats', async ({ t }) => {
    const { totals, treeSize } = await published.state();
    return statsPage(t, totals, treeSize);
  });

  p.get('/:lang/stats.csv', async ({ reply }) => {
    const { totals, treeSize } = await published.state();
    return reply
      .header('Content-Disposition', 'attachment; filename="tuidang-totals.csv"')
      .type('text/csv; charset=utf-8')
      .send(statsCsv(totals, treeSize));
  });

  p.get('/:lang/figures', async ({ t }) =>
    figuresPage(t, figures, (await published.state()).totals),
  );
}
