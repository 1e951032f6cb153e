// Checking a receipt (a POST: the receipt never lands in an address or the browser's history), and
// the download that sends receipts straight back as a file: one person's, or a family's in one.
import type { FastifyRequest } from 'fastify';
import { recordNumber } from '../../registry/index.ts';
import { receiptCheckPage, receiptsOf } from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import { formOf, type Pages, rendered } from './page.ts';
import { checkReceiptInput } from './receipt-checks.ts';

export function receiptRoutes(p: Pages, opts: WebOptions): void {
  // The address in the command shown: the configured public one, else the one asked for.
  const site = (req: FastifyRequest) => opts.publicUrl ?? `${req.protocol}://${req.host}`;
  p.get('/:lang/receipt', ({ req, t }) => receiptCheckPage(t, undefined, '', site(req), opts.vkey));

  p.post('/:lang/receipt', async ({ req, t }) => {
    const input = formOf(req).get('receipt') ?? '';
    const answer = await checkReceiptInput(opts, t, input);
    return rendered(
      receiptCheckPage(t, answer, input, site(req), opts.vkey),
      answer.ok ? 200 : 400,
    );
  });

  // The receipt comes back from the visitor's own page and goes straight back as a file.
  p.post('/:lang/receipt/download', ({ req, reply, t }) => {
    const receipts = receiptsOf(req.body);
    if (receipts === undefined) return rendered(receiptCheckPage(t), 400);
    const one = receipts.length === 1 ? receipts[0] : undefined;
    // Named by record number (the index + 1), as the page and the paper show it.
    const name = one
      ? `receipt-${recordNumber(one.index)}`
      : `receipts-${receipts.map((r) => recordNumber(r.index)).join('-')}`;
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Disposition', `attachment; filename="${name.slice(0, 100)}.json"`)
      .type('application/json; charset=utf-8')
      .send(`${JSON.stringify(one ?? { receipts }, null, 2)}\n`);
  });
}
