// The web pages, served by the same server as the API and the log. Every page works without
// JavaScript; forms are plain HTML forms. Visitors get no cookies.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeBase64 } from '../log/index.ts';
import {
  ownerTag,
  parseSubmission,
  SALT_SIZE,
  ValidationError,
  validEmail,
} from '../registry/index.ts';
import { type Declarations, PoolFullError } from '../sequencer/index.ts';
import type { Store } from '../store/index.ts';
import { parseReceipts } from '../verify/receipt.ts';
import { CLIENT_SCRIPTS, clientScript } from '../web/bundle.ts';
import { atomFeed } from '../web/feed.ts';
import { type I18n, i18n, localeFromPrefix, negotiate, PREFIX } from '../web/i18n.ts';
import { layout, type Page } from '../web/layout.ts';
import { aboutPage } from '../web/pages/about.ts';
import {
  type DeclarantForm,
  declarePage,
  emptyDeclarant,
  type FieldErrors,
  readForm,
} from '../web/pages/declare.ts';
import { erasePage } from '../web/pages/erase.ts';
import { figuresPage, loadFigures } from '../web/pages/figures.ts';
import { homePage } from '../web/pages/home.ts';
import { messagePage, newsletterPage } from '../web/pages/newsletter.ts';
import { notFoundPage } from '../web/pages/not-found.ts';
import { receiptCheckPage, receiptPage } from '../web/pages/receipt.ts';
import { statementsPage } from '../web/pages/statements.ts';
import { statsCsv, statsPage } from '../web/pages/stats.ts';

export interface WebOptions {
  readonly store: Store;
  readonly sequencer: Declarations;
  /** The log's origin, e.g. `registry.example/log`: its host names the site in examples. */
  readonly origin: string;
  /** Seconds the client must wait before declaring again, or undefined when it may declare. */
  readonly admit?: (req: FastifyRequest) => number | undefined;
  /** Proof of work for the form (pow.ts), if required. */
  readonly pow?: FormPow | undefined;
  /** The newsletter, when SMTP is configured. */
  readonly newsletter?: NewsletterService | undefined;
  /** The site's public address for links in mails; else taken from the request. */
  readonly publicUrl?: string | undefined;
}

/** What the newsletter pages need (src/server/newsletter.ts). */
export interface NewsletterService {
  subscribe(
    email: string,
    base: string,
    mail: (link: string) => { subject: string; text: string },
  ): Promise<void>;
  confirm(id: number, expires: number, token: string): Promise<boolean>;
  unsubscribe(id: number, token: string): Promise<boolean>;
}

/** What the form needs of the proof of work. */
export interface FormPow {
  readonly waitSeconds: number;
  ticket(): string;
  checkTicket(ticket: string | undefined): Promise<'ok' | 'early' | 'invalid'>;
  checkSolution(payload: string | undefined): Promise<boolean>;
}

const PAGE_SIZE = 20;
const css = readFileSync(new URL('../web/static/site.css', import.meta.url), 'utf8');

function send(reply: FastifyReply, t: I18n, page: Page, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(layout(t, page));
}

/** The locale of a request's /<lang>/ prefix, or a 404 page in the visitor's language. */
function locale(req: FastifyRequest, reply: FastifyReply): I18n | undefined {
  const l = localeFromPrefix((req.params as { lang: string }).lang);
  if (l === undefined) {
    send(
      reply,
      i18n(negotiate(req.headers['accept-language'])),
      notFoundPage(i18n(negotiate(req.headers['accept-language']))),
      404,
    );
    return undefined;
  }
  return i18n(l);
}

/** A validation problem's message in the page's language, keyed by the form field it concerns. */
export function fieldErrors(t: I18n, e: ValidationError): { errors: FieldErrors; notice?: string } {
  const errors: FieldErrors = {};
  let notice: string | undefined;
  for (const p of e.problems) {
    const m = /^\/declarants\/(\d+)\/(\w+)/.exec(p.pointer);
    const text =
      p.code === 'required'
        ? t.m['error.required']
        : p.code === 'too-long'
          ? t.m['error.tooLong'](p.max ?? 0)
          : p.code === 'control'
            ? t.m['error.control']
            : p.code === 'choose-org'
              ? t.m['error.chooseOrg']
              : p.code === 'too-many'
                ? t.m['error.tooMany'](p.max ?? 0)
                : t.m['error.invalid'];
    if (m) errors[`d${m[1]}.${m[2]}`] ??= text;
    else notice = text;
  }
  return notice === undefined ? { errors } : { errors, notice };
}

/** The receipts a form posted in its `receipt` field, or undefined if they are not receipts. */
function receiptsOf(body: unknown): ReturnType<typeof parseReceipts> | undefined {
  try {
    return parseReceipts(body instanceof URLSearchParams ? (body.get('receipt') ?? '') : '');
  } catch {
    return undefined;
  }
}

/** The JSON submission a filled form stands for (validated by src/registry like the API's). */
export function toSubmission(rows: readonly DeclarantForm[], language: string): unknown {
  return {
    language,
    declarants: rows.map((d) => ({
      name: d.name,
      nameKind: d.nameKind,
      orgs: d.orgs,
      ...(d.region ? { region: d.region } : {}),
      ...(d.statement.trim() ? { statement: d.statement } : {}),
      publish: d.publish,
    })),
  };
}

export function webRoutes(app: FastifyInstance, opts: WebOptions): void {
  const { store, sequencer } = opts;
  const guard = () => (opts.pow ? { ticket: opts.pow.ticket() } : undefined);
  const site = opts.origin.split('/')[0] ?? opts.origin;
  const figures = loadFigures();

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, new URLSearchParams(body as string));
    },
  );

  app.get('/', { schema: { hide: true } }, async (req, reply) =>
    reply
      .code(302)
      .header('Vary', 'Accept-Language')
      .header('Cache-Control', 'no-store')
      .redirect(`/${PREFIX[negotiate(req.headers['accept-language'])]}/`),
  );

  app.get('/static/site.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('Cache-Control', 'public, max-age=300').type('text/css; charset=utf-8').send(css),
  );
  for (const name of CLIENT_SCRIPTS) {
    app.get(`/static/${name}.js`, { schema: { hide: true } }, async (_req, reply) =>
      reply
        .header('Cache-Control', 'public, max-age=300')
        .type('text/javascript; charset=utf-8')
        .send(await clientScript(name)),
    );
  }

  app.get('/:lang/', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    const { totals } = await store.state();
    const latest = await store.publications({ limit: 5 });
    return send(reply, t, homePage(t, totals, latest, site));
  });
  app.get('/:lang', { schema: { hide: true } }, async (req, reply) =>
    reply.redirect(`/${(req.params as { lang: string }).lang}/`),
  );

  app.get('/:lang/declare', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    return t ? send(reply, t, declarePage(t, [emptyDeclarant()], {}, undefined, guard())) : reply;
  });

  app.post('/:lang/declare', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    if (!(req.body instanceof URLSearchParams))
      return send(reply, t, declarePage(t, [emptyDeclarant()]), 415);
    const form = readForm(req.body);
    if (form.action === 'add')
      return send(
        reply,
        t,
        declarePage(t, [...form.rows, emptyDeclarant()], {}, undefined, guard()),
      );
    // The hidden field is filled by bots, not people: refuse without saying why.
    if (form.honeypot !== '')
      return send(reply, t, declarePage(t, form.rows, {}, t.m['declare.rejected'], guard()), 400);
    try {
      const submission = parseSubmission(toSubmission(form.rows, t.locale), 'web');
      if (opts.pow && !(await opts.pow.checkSolution(form.altcha))) {
        const verdict = await opts.pow.checkTicket(form.ticket);
        if (verdict !== 'ok') {
          const notice =
            verdict === 'early'
              ? t.m['declare.wait'](opts.pow.waitSeconds)
              : t.m['declare.rejected'];
          return send(reply, t, declarePage(t, form.rows, {}, notice, guard()), 400);
        }
      }
      const wait = opts.admit?.(req);
      if (wait !== undefined) {
        reply.header('Retry-After', String(wait));
        return send(
          reply,
          t,
          declarePage(t, form.rows, {}, t.m['declare.tooMany'](wait), guard()),
          429,
        );
      }
      const receipts = await sequencer.submit(submission);
      return send(reply, t, receiptPage(t, receipts));
    } catch (e) {
      if (e instanceof ValidationError) {
        const { errors, notice } = fieldErrors(t, e);
        return send(
          reply,
          t,
          declarePage(t, form.rows, errors, notice ?? t.m['declare.errors'], guard()),
          400,
        );
      }
      if (e instanceof PoolFullError) {
        reply.header('Retry-After', String(e.retryAfterSeconds));
        return send(reply, t, declarePage(t, form.rows, {}, t.m['declare.busy'], guard()), 503);
      }
      throw e;
    }
  });

  app.get('/:lang/receipt', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    return t ? send(reply, t, receiptCheckPage(t)) : reply;
  });

  // The receipt comes back from the visitor's own page and goes straight back as a file.
  app.post('/:lang/receipt/download', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    const receipts = receiptsOf(req.body);
    if (receipts === undefined) return send(reply, t, receiptCheckPage(t), 400);
    return reply
      .header('Cache-Control', 'no-store')
      .header(
        'Content-Disposition',
        `attachment; filename="receipt-${receipts[0]?.index ?? 'tuidang'}.json"`,
      )
      .type('application/json; charset=utf-8')
      .send(`${JSON.stringify({ receipts }, null, 2)}\n`);
  });

  app.get('/:lang/erase', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    return t ? send(reply, t, erasePage(t)) : reply;
  });

  // The declarant proves a publication is theirs with the receipt's salt: its owner tag must match.
  app.post('/:lang/erase', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    const receipts = receiptsOf(req.body);
    if (receipts === undefined) return send(reply, t, erasePage(t, t.m['erase.none']), 400);
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
    return send(reply, t, erasePage(t, erased > 0 ? t.m['erase.done'](erased) : t.m['erase.none']));
  });

  const newsletter = opts.newsletter;
  const base = (req: FastifyRequest) => opts.publicUrl ?? `${req.protocol}://${req.host}`;
  const visitor = (req: FastifyRequest) => i18n(negotiate(req.headers['accept-language']));
  const numberParam = (v: unknown) =>
    typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : -1;

  app.get('/:lang/newsletter', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    return t ? send(reply, t, newsletterPage(t, newsletter !== undefined)) : reply;
  });

  app.post('/:lang/newsletter', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    if (!newsletter) return send(reply, t, newsletterPage(t, false), 404);
    const body = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
    const form = {
      email: (body.get('email') ?? '').trim(),
      consent: body.get('consent') === 'yes',
    };
    const errors = {
      ...(validEmail(form.email) ? {} : { email: t.m['newsletter.errorEmail'] }),
      ...(form.consent ? {} : { consent: t.m['newsletter.errorConsent'] }),
    };
    if (errors.email || errors.consent)
      return send(reply, t, newsletterPage(t, true, form, errors), 400);
    const wait = opts.admit?.(req);
    if (wait !== undefined) {
      reply.header('Retry-After', String(wait));
      return send(reply, t, newsletterPage(t, true, form, {}, t.m['declare.tooMany'](wait)), 429);
    }
    await newsletter.subscribe(form.email, base(req), (link) => ({
      subject: t.m['mail.confirmSubject'],
      text: t.m['mail.confirmBody'](link),
    }));
    return send(
      reply,
      t,
      newsletterPage(t, true, { email: '', consent: false }, {}, t.m['newsletter.sent']),
    );
  });

  app.get('/newsletter/confirm', { schema: { hide: true } }, async (req, reply) => {
    const t = visitor(req);
    const q = req.query as Record<string, string | undefined>;
    const ok =
      newsletter !== undefined &&
      (await newsletter.confirm(numberParam(q.id), numberParam(q.e), q.t ?? ''));
    return send(
      reply,
      t,
      messagePage(
        t,
        t.m['newsletter.title'],
        ok ? t.m['newsletter.confirmed'] : t.m['newsletter.expired'],
      ),
      ok ? 200 : 400,
    );
  });

  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the address in the header. A
  // person who opens the link sees a button that does the same.
  app.get('/newsletter/unsubscribe', { schema: { hide: true } }, async (req, reply) => {
    const t = visitor(req);
    const q = req.query as Record<string, string | undefined>;
    const action = `/newsletter/unsubscribe?id=${numberParam(q.id)}&t=${encodeURIComponent(q.t ?? '')}`;
    return send(
      reply,
      t,
      messagePage(t, t.m['newsletter.unsubscribe'], t.m['newsletter.intro'], {
        action,
        button: t.m['newsletter.unsubscribe'],
      }),
    );
  });

  app.post('/newsletter/unsubscribe', { schema: { hide: true } }, async (req, reply) => {
    const t = visitor(req);
    const q = req.query as Record<string, string | undefined>;
    const ok =
      newsletter !== undefined && (await newsletter.unsubscribe(numberParam(q.id), q.t ?? ''));
    return send(
      reply,
      t,
      messagePage(
        t,
        t.m['newsletter.unsubscribe'],
        ok ? t.m['newsletter.unsubscribed'] : t.m['newsletter.expired'],
      ),
      ok ? 200 : 400,
    );
  });

  const statementQuery = (q: Record<string, string | undefined>) => {
    const year = Number(q.year);
    const before = Number(q.before);
    return {
      text: q.q?.slice(0, 100) || undefined,
      org: q.org || undefined,
      region: q.region || undefined,
      year: Number.isInteger(year) && year > 2000 ? year : undefined,
      before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
    };
  };

  app.get('/:lang/statements', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    const q = statementQuery(req.query as Record<string, string | undefined>);
    const list = await store.publications({ ...q, limit: PAGE_SIZE + 1 });
    return send(reply, t, statementsPage(t, list.slice(0, PAGE_SIZE), q, list.length > PAGE_SIZE));
  });

  app.get('/:lang/statements/feed.xml', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    const base = `${req.protocol}://${req.host}`;
    return reply
      .header('Cache-Control', 'public, max-age=60')
      .type('application/atom+xml; charset=utf-8')
      .send(atomFeed(t, base, await store.publications({ limit: 50 })));
  });

  app.get('/:lang/stats', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    const { totals, treeSize } = await store.state();
    return send(reply, t, statsPage(t, totals, treeSize));
  });

  app.get('/:lang/stats.csv', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    const { totals } = await store.state();
    return reply
      .header('Content-Disposition', 'attachment; filename="tuidang-totals.csv"')
      .type('text/csv; charset=utf-8')
      .send(statsCsv(totals));
  });

  app.get('/:lang/figures', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    if (!t) return reply;
    const { totals } = await store.state();
    return send(
      reply,
      t,
      figuresPage(t, figures, totals.registered.declarants + totals.imported.declarants),
    );
  });

  app.get('/:lang/about', { schema: { hide: true } }, async (req, reply) => {
    const t = locale(req, reply);
    return t ? send(reply, t, aboutPage(t, site)) : reply;
  });
}

/** An HTML 404 page for addresses outside the API and the log. */
export function sendNotFoundPage(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const segment = req.url.split('/')[1] ?? '';
  const t = i18n(localeFromPrefix(segment) ?? negotiate(req.headers['accept-language']));
  return send(reply, t, notFoundPage(t), 404);
}
