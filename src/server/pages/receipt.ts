// The receipt check page, and the download that sends a receipt straight back as a file.
import { receiptCheckPage, receiptsOf } from '../../web/index.ts';
import { type Pages, rendered } from './page.ts';

export function receiptRoutes(p: Pages): void {
  p.get('/:lang/receipt', ({ t }) => receiptCheckPage(t));

  // The receipt comes back from the visitor's own page and goes straight back as a file.
  p.post('/:lang/receipt/download', ({ req, reply, t }) => {
    const receipts = receiptsOf(req.body);
    if (receipts === undefined) return rendered(receiptCheckPage(t), 400);
    return reply
      .header('Cache-Control', 'no-store')
      .header(
        'Content-Disposition',
        `attachment; filename="receipt-${receipts[0]?.index ?? 'tuidang'}.json"`,
      )
      .type('application/json; charset=utf-8')
      .send(`${JSON.stringify({ receipts }, null, 2)}\n`);
  });
}
