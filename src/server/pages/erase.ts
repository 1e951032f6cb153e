// Erasing a publication: the declarant proves it is theirs with the receipt's salt, whose owner
// tag must match the one stored with the publication.
import { decodeBase64 } from '../../log/index.ts';
import { ownerTag, SALT_SIZE } from '../../registry/index.ts';
import { erasePage, receiptsOf } from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import { type Pages, rendered } from './page.ts';

export function eraseRoutes(p: Pages, { store }: WebOptions): void {
  p.get('/:lang/erase', ({ t }) => erasePage(t));

  p.post('/:lang/erase', async ({ req, t }) => {
    const receipts = receiptsOf(req.body);
    if (receipts === undefined) return rendered(erasePage(t, t.m['erase.none']), 400);
    let erased = 0;
    for (const r of receipts) {
      const salt = decodeBase64(r.salt);
      if (
        salt !== undefined &&
        salt.length === SALT_SIZE &&
        (await store.erasePublication(r.index, ownerTag(salt)))
      )
        erased++;
    }
    return erasePage(t, erased > 0 ? t.m['erase.done'](erased) : t.m['erase.none']);
  });
}
