// The declaration form: the same validation as the API (src/registry), then the receipt page. The
// same form sent again answers the same receipts (submit-form.ts).
import {
  type DeclarantForm,
  declarePage,
  emptyDeclarant,
  type FieldErrors,
  type I18n,
  readForm,
  receiptPage,
} from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import { type Pages, rendered } from './page.ts';
import { SubmissionKeys, submitForm } from './submit-form.ts';

export function declareRoutes(p: Pages, { store, sequencer, pow, admit }: WebOptions): void {
  const keys = new SubmissionKeys(store);
  const form = (
    t: I18n,
    rows: DeclarantForm[],
    notice?: string,
    errors: FieldErrors = {},
    key?: string,
  ) => declarePage(t, rows, errors, notice, pow ? { ticket: pow.ticket() } : undefined, key);

  p.get('/:lang/declare', ({ t }) => form(t, [emptyDeclarant()]));

  p.post('/:lang/declare', async ({ req, t }) => {
    if (!(req.body instanceof URLSearchParams))
      return rendered(declarePage(t, [emptyDeclarant()]), 415);
    const filled = readForm(req.body);
    // The hidden field is filled by bots, not people: refuse without saying why.
    if (filled.honeypot !== '')
      return rendered(form(t, filled.rows, t.m['declare.rejected'], {}, filled.key), 400);
    const outcome = await submitForm({ sequencer, keys }, t, filled, 'web', async () => {
      if (pow && !(await pow.checkSolution(filled.altcha))) {
        const verdict = await pow.checkTicket(filled.ticket);
        if (verdict !== 'ok')
          return {
            notice:
              verdict === 'early' ? t.m['declare.wait'](pow.waitSeconds) : t.m['declare.rejected'],
            status: 400,
          };
      }
      const wait = admit?.(req);
      return wait === undefined
        ? undefined
        : { notice: t.m['declare.tooMany'](wait), status: 429, retryAfter: wait };
    });
    if (outcome.kind === 'receipts') return receiptPage(t, outcome.people);
    const page = form(t, outcome.rows, outcome.notice, outcome.errors, outcome.key);
    return rendered(page, outcome.status, outcome.retryAfter);
  });
}
