// Erasing a publication: the receipt (text or code) on a first page, what will be removed on a
// second, and only then the erasure, for that one person. The salt proves the publication is
// theirs: its owner tag must match the one stored with it.
import { recordNumber } from '../../registry/index.ts';
import { eraseConfirmPage, erasePage } from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import { formOf, type Pages, rendered } from './page.ts';
import { eraseByCode, eraseTargets } from './receipt-checks.ts';

export function eraseRoutes(p: Pages, { published, store }: WebOptions): void {
  p.get('/:lang/erase', ({ t }) => erasePage(t));

  p.post('/:lang/erase', async ({ req, t }) => {
    const input = formOf(req).get('receipt') ?? '';
    const targets = await eraseTargets(published, store.site, input);
    if (targets === undefined)
      return rendered(erasePage(t, { text: t.m['check.malformed'], ok: false }, input), 400);
    return eraseConfirmPage(t, targets);
  });

  p.post('/:lang/erase/confirm', async ({ req, t }) => {
    const done = await eraseByCode(store.site, formOf(req).get('code') ?? '');
    if (done === undefined)
      return rendered(erasePage(t, { text: t.m['check.malformed'], ok: false }), 400);
    return done.erased
      ? erasePage(t, { text: t.m['erase.doneOne'](t.number(recordNumber(done.index))), ok: true })
      : rendered(erasePage(t, { text: t.m['erase.nothing'], ok: false }), 404);
  });
}
