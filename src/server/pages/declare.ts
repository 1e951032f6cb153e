// The declaration form: the same validation as the API (src/registry), then the receipt page.
import { parseSubmission } from '../../registry/index.ts';
import {
  type DeclarantForm,
  declarePage,
  emptyDeclarant,
  type FieldErrors,
  formProblem,
  type I18n,
  readForm,
  receiptPage,
  toSubmission,
} from '../../web/index.ts';
import { RateLimitedError } from '../rate-limit.ts';
import type { WebOptions } from './options.ts';
import { failed, type Pages, rendered } from './page.ts';

export function declareRoutes(p: Pages, { sequencer, pow, admit }: WebOptions): void {
  const form = (t: I18n, rows: DeclarantForm[], notice?: string, errors: FieldErrors = {}) =>
    declarePage(t, rows, errors, notice, pow ? { ticket: pow.ticket() } : undefined);

  p.get('/:lang/declare', ({ t }) => form(t, [emptyDeclarant()]));

  p.post('/:lang/declare', async ({ req, t }) => {
    if (!(req.body instanceof URLSearchParams))
      return rendered(declarePage(t, [emptyDeclarant()]), 415);
    const { rows, action, honeypot, altcha, ticket } = readForm(req.body);
    if (action === 'add') return form(t, [...rows, emptyDeclarant()]);
    // The hidden field is filled by bots, not people: refuse without saying why.
    if (honeypot !== '') return rendered(form(t, rows, t.m['declare.rejected']), 400);
    try {
      const submission = parseSubmission(toSubmission(rows, t.locale), 'web');
      if (pow && !(await pow.checkSolution(altcha))) {
        const verdict = await pow.checkTicket(ticket);
        if (verdict !== 'ok') {
          const notice =
            verdict === 'early' ? t.m['declare.wait'](pow.waitSeconds) : t.m['declare.rejected'];
          return rendered(form(t, rows, notice), 400);
        }
      }
      const wait = admit?.(req);
      if (wait !== undefined) throw new RateLimitedError(wait);
      return receiptPage(t, await sequencer.submit(submission));
    } catch (e) {
      const problem = formProblem(t, e);
      if (problem === undefined) throw e;
      return failed(form(t, rows, problem.notice, problem.errors), e);
    }
  });
}
