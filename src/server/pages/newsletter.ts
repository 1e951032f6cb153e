// The newsletter: subscribing with double opt-in, the confirmation link, and unsubscribing
// (RFC 8058 one-click from mail clients, or a button for a person who opens the link).
import type { FastifyRequest } from 'fastify';
import { validEmail } from '../../registry/index.ts';
import { messagePage, newsletterPage, PREFIX } from '../../web/index.ts';
import { MailError } from '../newsletter.ts';
import { RateLimitedError } from '../rate-limit.ts';
import type { WebOptions } from './options.ts';
import { failed, formOf, type PageHandler, type Pages, rendered } from './page.ts';

/** A numeric query parameter, or -1 (which matches nothing). */
const numberParam = (v: unknown) =>
  typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : -1;
const queryOf = (req: FastifyRequest) => req.query as Record<string, string | undefined>;

export function newsletterRoutes(p: Pages, { newsletter, admitMail, siteUrl }: WebOptions): void {
  p.get('/:lang/newsletter', ({ t }) => newsletterPage(t, newsletter !== undefined));

  p.post('/:lang/newsletter', async ({ req, t }) => {
    if (!newsletter) return rendered(newsletterPage(t, false), 404);
    const body = formOf(req);
    const form = {
      email: (body.get('email') ?? '').trim(),
      consent: body.get('consent') === 'yes',
    };
    const errors = {
      ...(validEmail(form.email) ? {} : { email: t.m['newsletter.errorEmail'] }),
      ...(form.consent ? {} : { consent: t.m['newsletter.errorConsent'] }),
    };
    if (errors.email || errors.consent) return rendered(newsletterPage(t, true, form, errors), 400);
    // Each sign-up may mail someone: the sender's budget counts mails, not requests.
    const wait = admitMail?.(req);
    if (wait !== undefined)
      return failed(
        newsletterPage(t, true, form, {}, t.m['declare.tooMany'](wait)),
        new RateLimitedError(wait),
      );
    try {
      await newsletter.subscribe(
        form.email,
        siteUrl(),
        (link) => ({
          subject: t.m['mail.confirmSubject'],
          text: t.m['mail.confirmBody'](link),
        }),
        PREFIX[t.locale],
      );
    } catch (e) {
      if (!(e instanceof MailError)) throw e;
      return e.rejected
        ? rendered(newsletterPage(t, true, form, { email: t.m['newsletter.errorRejected'] }), 400)
        : rendered(newsletterPage(t, true, form, {}, t.m['newsletter.errorSend']), 503, 60);
    }
    return newsletterPage(t, true, { email: '', consent: false }, {}, t.m['newsletter.sent']);
  });

  // The link names the sign-up's language; links mailed before it did use the browser's.
  const confirm: PageHandler = async ({ req, t }) => {
    const q = queryOf(req);
    const ok =
      newsletter !== undefined &&
      (await newsletter.confirm(numberParam(q.id), numberParam(q.e), q.t ?? ''));
    const page = messagePage(
      t,
      t.m['newsletter.title'],
      ok ? t.m['newsletter.confirmed'] : t.m['newsletter.expired'],
    );
    return ok ? page : rendered(page, 400);
  };
  p.get('/:lang/newsletter/confirm', confirm);
  p.get('/newsletter/confirm', confirm);

  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the address in the header. A
  // person who opens the link sees a button that does the same.
  p.get('/newsletter/unsubscribe', ({ req, t }) => {
    const q = queryOf(req);
    const action = `/newsletter/unsubscribe?id=${numberParam(q.id)}&t=${encodeURIComponent(q.t ?? '')}`;
    return messagePage(t, t.m['newsletter.unsubscribe'], t.m['newsletter.intro'], {
      action,
      button: t.m['newsletter.unsubscribe'],
    });
  });

  p.post('/newsletter/unsubscribe', async ({ req, t }) => {
    const q = queryOf(req);
    const ok =
      newsletter !== undefined && (await newsletter.unsubscribe(numberParam(q.id), q.t ?? ''));
    const page = messagePage(
      t,
      t.m['newsletter.unsubscribe'],
      ok ? t.m['newsletter.unsubscribed'] : t.m['newsletter.expired'],
    );
    return ok ? page : rendered(page, 400);
  });
}
