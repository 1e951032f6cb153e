// What every page route shares, so that a route says only what its page needs: the visitor's
// language (the /<lang>/ prefix of the address, else Accept-Language), the HTML response with its
// headers, and a 404 page in the visitor's language for an unknown prefix.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { outcomeOf } from '../../errors/index.ts';
import {
  type ErrorKind,
  errorPage,
  type I18n,
  i18n,
  layout,
  localeFromPrefix,
  messagePage,
  negotiate,
  notFoundPage,
  type Page,
} from '../../web/index.ts';

/** A page with a status other than 200, and how long to wait before trying again. */
export interface Rendered {
  readonly page: Page;
  readonly status: number;
  readonly retryAfter?: number | undefined;
}

/** What a page route returns: a page (200), a page with its status, or a reply it sent itself. */
export type PageResult = Page | Rendered | FastifyReply;

export interface PageContext {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  /** The page's language. */
  readonly t: I18n;
}

export type PageHandler = (c: PageContext) => PageResult | Promise<PageResult>;

export interface Pages {
  /** A page at `path`; when it has a `:lang` parameter, an unknown language is a 404 page. */
  get(path: string, handler: PageHandler): void;
  /** A form's target; `bodyLimit` (bytes) raises the server's limit for this route only. */
  post(path: string, handler: PageHandler, options?: { bodyLimit?: number }): void;
}

export function rendered(page: Page, status: number, retryAfter?: number): Rendered {
  return { page, status, retryAfter };
}

/** A page shown for an error: its status and Retry-After from the table in src/errors. */
export function failed(page: Page, e: unknown): Rendered {
  const { status, retryAfter } = outcomeOf(e);
  return { page, status, retryAfter };
}

export function sendPage(reply: FastifyReply, t: I18n, page: Page, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', page.cache ?? 'no-store')
    .type('text/html; charset=utf-8')
    .send(layout(t, page, { staff: reply.request.url.startsWith('/staff') }));
}

/** The language the visitor's browser asks for (pages without a /<lang>/ prefix). */
export function visitorLocale(req: FastifyRequest): I18n {
  return i18n(negotiate(req.headers['accept-language']));
}

/** The urlencoded body of a form post; empty when the body was something else. */
export function formOf(req: FastifyRequest): URLSearchParams {
  return req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
}

const isReply = (result: PageResult, reply: FastifyReply): result is FastifyReply =>
  result === reply;

export function respond(c: PageContext, result: PageResult): FastifyReply {
  if (isReply(result, c.reply)) return c.reply;
  if ('status' in result) {
    if (result.retryAfter !== undefined) c.reply.header('Retry-After', String(result.retryAfter));
    return sendPage(c.reply, c.t, result.page, result.status);
  }
  return sendPage(c.reply, c.t, result);
}

export function pages(app: FastifyInstance): Pages {
  const route =
    (handler: PageHandler) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const lang = (req.params as { lang?: string }).lang;
      if (lang === undefined) {
        const c = { req, reply, t: visitorLocale(req) };
        return respond(c, await handler(c));
      }
      const locale = localeFromPrefix(lang);
      if (locale === undefined) return sendNotFoundPage(req, reply);
      const c = { req, reply, t: i18n(locale) };
      return respond(c, await handler(c));
    };
  return {
    get: (path, handler) => app.get(path, { schema: { hide: true } }, route(handler)),
    post: (path, handler, options = {}) =>
      app.post(path, { schema: { hide: true }, ...options }, route(handler)),
  };
}

/** The language of a page's address, else the one the visitor's browser asks for. */
function addressLocale(req: FastifyRequest): I18n {
  const segment = req.url.split('/')[1] ?? '';
  return i18n(localeFromPrefix(segment) ?? negotiate(req.headers['accept-language']));
}

/** An HTML 404 page for addresses outside the API and the log. */
export function sendNotFoundPage(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const t = addressLocale(req);
  return sendPage(reply, t, notFoundPage(t), 404);
}

/** The HTML page of a page request that failed (src/server/problem.ts chose the status). */
export function sendErrorPage(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
): FastifyReply {
  const t = addressLocale(req);
  const kind: ErrorKind =
    status === 429 || status === 503 ? 'busy' : status >= 500 ? 'ourSide' : 'request';
  return sendPage(reply, t, errorPage(t, kind), status);
}

/** A 400 page for a form whose body is not UTF-8 (the parser refused it before any route ran). */
export function sendEncodingPage(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const t = addressLocale(req);
  const page = messagePage(t, t.m['error.title'], t.m['error.encoding']);
  return sendPage(reply, t, { ...page, path: '/', outsideNav: true }, 400);
}
