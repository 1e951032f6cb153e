// The declaration form: the same validation as the API (src/registry), then the receipt page. The
// same form sent again answers the same receipts (submit-form.ts).
import type { FastifyRequest } from 'fastify';
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

export function declareRoutes(p: Pages, opts: WebOptions): void {
  const { store, sequencer, pow, admit } = opts;
  const clientOf = opts.clientKey ?? ((req: FastifyRequest) => req.ip);
  const keys = new SubmissionKeys(store);
  const form = (
    req: FastifyRequest,
    t: I18n,
    rows: DeclarantForm[],
    notice?: string,
    errors: FieldErrors = {},
    key?: string,
  ) =>
    declarePage(
      t,
      rows,
      errors,
      notice,
      pow ? { ticket: pow.ticket(clientOf(req)) } : undefined,
      key,
    );

  p.get('/:lang/declare', ({ req, t }) => form(req, t, [emptyDeclarant()]));

  p.post('/:lang/declare', async ({ req, t }) => {
    if (!(req.body instanceof URLSearchParams))
      return rendered(declarePage(t, [emptyDeclarant()]), 415);
    const filled = readForm(req.body);
    // The hidden field is filled by bots, not people: refuse without saying why.
    if (filled.honeypot !== '')
      return rendered(form(req, t, filled.rows, t.m['declare.rejected'], {}, filled.key), 400);
    const outcome = await submitForm({ sequencer, keys }, t, filled, 'web', async (n) => {
      // A ticket buys time per declarant and only for the client it was issued to; it is spent
      // before the budget, so a form sent without one spends no one's budget.
      if (pow && !(await pow.checkSolution(filled.altcha, n))) {
        const checked = await pow.checkTicket(filled.ticket, clientOf(req), n);
        if (checked.verdict !== 'ok')
          return {
            notice:
              checked.verdict === 'early'
                ? t.m['declare.wait'](checked.seconds)
                : checked.verdict === 'moved'
                  ? t.m['declare.again']
                  : t.m['declare.rejected'],
            status: 400,
          };
      }
      const wait = admit?.(req, n);
      return wait === undefined
        ? undefined
        : { notice: t.m['declare.tooMany'](wait), status: 429, retryAfter: wait };
    });
    if (outcome.kind === 'receipts') return receiptPage(t, outcome.people, opts.siteUrl());
    const page = form(req, t, outcome.rows, outcome.notice, outcome.errors, outcome.key);
    return rendered(page, outcome.status, outcome.retryAfter);
  });
}
