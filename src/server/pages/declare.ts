// The declaration form: the same validation as the API (src/registry), then the receipt page. The
// same form sent again answers the same receipts (submit-form.ts), from a cache of the page when it
// was sent a moment ago (receipt-cache.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type DeclarantForm,
  declarePage,
  emptyDeclarant,
  type FieldErrors,
  filledRows,
  formKeyTime,
  type I18n,
  layout,
  readForm,
  receiptPage,
} from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import { type Pages, rendered } from './page.ts';
import { ReceiptPages } from './receipt-cache.ts';
import { SubmissionKeys, submitForm } from './submit-form.ts';

export function declareRoutes(p: Pages, opts: WebOptions): void {
  const { store, sequencer, pow, admit } = opts;
  const clientOf = opts.clientKey ?? ((req: FastifyRequest) => req.ip);
  const keys = new SubmissionKeys(store);
  const receiptPages = new ReceiptPages();
  const form = (
    req: FastifyRequest,
    t: I18n,
    rows: DeclarantForm[],
    notice?: string,
    errors: FieldErrors = {},
    key?: string,
    ticket?: string,
  ) =>
    declarePage(
      t,
      rows,
      errors,
      notice,
      pow ? { ticket: ticket ?? pow.ticket(clientOf(req)) } : undefined,
      key,
    );

  p.get('/:lang/declare', ({ req, t }) => form(req, t, [emptyDeclarant()]));

  p.post('/:lang/declare', async ({ req, reply, t }) => {
    if (!(req.body instanceof URLSearchParams))
      return rendered(declarePage(t, [emptyDeclarant()]), 415);
    const filled = readForm(req.body);
    // The form comes back with the ticket it was sent with while that one still counts: the wait
    // runs from the first form the person got, never again from an error. A ticket that was
    // refused (or spent on a send then refused) is replaced by a fresh one.
    let fresh: string | undefined;
    const ticket = () => fresh ?? pow?.keepTicket(filled.ticket, clientOf(req));
    // The hidden field is filled by bots, not people: refuse without saying why.
    if (filled.honeypot !== '')
      return rendered(
        form(req, t, filled.rows, t.m['declare.rejected'], {}, filled.key, ticket()),
        400,
      );
    // A form declared a moment ago, sent again: its receipt page as it was, if still kept, for a
    // lookup and a decryption; like every re-send, it is limited per client.
    const declaring = filled.action.kind === 'declare' && formKeyTime(filled.key) !== undefined;
    const sent = `${t.locale}\n${JSON.stringify(filledRows(filled.rows))}`;
    const resent = () => {
      const wait = opts.admitResend?.(req);
      return wait === undefined
        ? undefined
        : { notice: t.m['declare.tooMany'](wait), status: 429, retryAfter: wait };
    };
    const kept = declaring ? receiptPages.get(filled.key, sent) : undefined;
    if (kept !== undefined) {
      const refused = resent();
      if (refused)
        return rendered(
          form(req, t, filled.rows, refused.notice, {}, filled.key, ticket()),
          refused.status,
          refused.retryAfter,
        );
      return sendHtml(reply, kept);
    }
    const outcome = await submitForm(
      { sequencer, keys },
      t,
      filled,
      'web',
      async (n) => {
        // A ticket buys time per declarant and only for the client it was issued to; it is spent
        // before the budget, so a form sent without one spends no one's budget.
        if (pow && !(await pow.checkSolution(filled.altcha, n))) {
          const client = clientOf(req);
          const checked = await pow.checkTicket(filled.ticket, client, n);
          if (checked.verdict === 'early')
            return { notice: t.m['declare.wait'](checked.seconds), status: 400 };
          if (checked.verdict !== 'ok') {
            // Forged, expired, spent or another connection's: the form comes back with a fresh
            // ticket, and says when the button may be pressed again (never "reload", which
            // would send the old ticket again).
            fresh = pow.ticket(client);
            const wait = pow.ripensIn(fresh, client, n);
            return {
              notice:
                checked.verdict === 'moved'
                  ? t.m['declare.again'](wait)
                  : t.m['declare.ticketRefused'](wait),
              status: 400,
            };
          }
        }
        const wait = admit?.(req, n);
        return wait === undefined
          ? undefined
          : { notice: t.m['declare.tooMany'](wait), status: 429, retryAfter: wait };
      },
      resent,
    );
    if (outcome.kind === 'receipts') {
      const html = layout(t, receiptPage(t, outcome.people, opts.siteUrl()));
      if (declaring) receiptPages.put(filled.key, sent, html);
      return sendHtml(reply, html);
    }
    const page = form(req, t, outcome.rows, outcome.notice, outcome.errors, outcome.key, ticket());
    return rendered(page, outcome.status, outcome.retryAfter);
  });
}

/** A page already laid out (the receipt page, kept for re-sends). */
function sendHtml(reply: FastifyReply, html: string): FastifyReply {
  return reply
    .code(200)
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}
