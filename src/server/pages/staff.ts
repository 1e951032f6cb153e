// The staff pages under /staff/: the moderation queue and sign-out (sign-in: staff-sign-in.ts). Every action is in
// the audit log (who, what, when, which entry: never a declarant's personal data). Actions answer
// with a redirect to a page that says what was done (post/redirect/get); reject and erase ask
// first.
import type { FastifyInstance } from 'fastify';
import { MAX_NAME, MAX_STATEMENT, type Publication } from '../../registry/index.ts';
import type { SiteStore } from '../../store/index.ts';
import {
  confirmModerationPage,
  type I18n,
  type Page,
  parseIndex,
  queuePage,
  type StaffView,
  staffMessagePage,
} from '../../web/index.ts';
import type { StaffOptions } from './options.ts';
import { type PageContext, type PageResult, pages, rendered } from './page.ts';
import {
  hashToken,
  SESSION_COOKIE,
  type StaffContext,
  type StaffPages,
  same,
} from './staff-session.ts';

const MODERATIONS = ['approve', 'reject', 'erase', 'redact'] as const;
type Moderation = (typeof MODERATIONS)[number];
/** Publications on one page of the queue. */
const QUEUE_PAGE = 20;
/** Most publications one action may name (a page's worth of bulk approval, and more). */
export const MAX_BULK = 200;

/** What the handlers of this area share: the site's store and the clock. */
interface Home {
  readonly site: SiteStore;
  /** POSIX seconds now. */
  readonly seconds: () => number;
}

export function staffHomeRoutes(
  app: FastifyInstance,
  staff: StaffPages,
  { store, now = Date.now }: StaffOptions,
): void {
  const h: Home = { site: store.site, seconds: () => Math.floor(now() / 1000) };
  const p = pages(app);
  staff.get('/staff/', (c) => home(h, c));
  app.get('/staff', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/staff/'));
  staff.post(
    '/staff/moderate',
    (c) => expired(h, c),
    (c) => moderate(h, c),
  );
  p.post('/staff/logout', (c) => logout(h, staff, c));
}

/** One page of the moderation queue, after the index `after`, with a notice if any. */
async function queue(
  { site }: Home,
  t: I18n,
  v: StaffView,
  after: number,
  notice?: { text: string; error?: boolean },
): Promise<Page> {
  const q = await site.moderationQueue(after, QUEUE_PAGE);
  const more = q.before + q.page.length < q.total;
  return queuePage(t, v, { total: q.total, offset: q.before, page: q.page, after, more }, notice);
}

/** GET /staff/: the queue (volunteers declare on behalf of others; they do not moderate). */
async function home(h: Home, { req, reply, t, session }: StaffContext): Promise<PageResult> {
  if (session.role === 'volunteer') return reply.code(303).redirect('/staff/declare');
  const query = req.query as Record<string, string | string[] | undefined>;
  const one = (k: string) => (typeof query[k] === 'string' ? query[k] : undefined);
  const after = one('after') === undefined ? -1 : parseIndex(one('after'));
  if (after === undefined)
    return rendered(
      await queue(h, t, session, -1, { text: t.m['staff.badIndex'], error: true }),
      400,
    );
  return queue(h, t, session, after, doneNotice(t, one('done'), one('n'), one('missing')));
}

/** A moderation form posted without the session's token. */
function expired(h: Home, { t, session }: StaffContext): Promise<Page> {
  return queue(h, t, session, -1, { text: t.m['staff.expired'], error: true });
}

/** A moderation form read: the action and the publications it names, or why it is refused. */
type ModerationForm =
  | { readonly action: Moderation; readonly indexes: number[] }
  | { readonly refused: string };

function readModeration(t: I18n, form: URLSearchParams): ModerationForm {
  const action = MODERATIONS.find((a) => a === form.get('action'));
  if (action === undefined) return { refused: t.m['staff.badAction'] };
  const raw = form.getAll('index');
  if (raw.length === 0) return { refused: t.m['staff.noneSelected'] };
  const parsed = raw.map(parseIndex);
  if (parsed.some((i) => i === undefined)) return { refused: t.m['staff.badIndex'] };
  const indexes = [...new Set(parsed as number[])];
  if (indexes.length > MAX_BULK) return { refused: t.m['void.tooMany'](MAX_BULK) };
  if (action === 'redact' && indexes.length !== 1) return { refused: t.m['staff.badAction'] };
  return { action, indexes };
}

/** POST /staff/moderate: approve, reject, erase or redact; reject and erase ask first. */
async function moderate(h: Home, c: StaffContext): Promise<PageResult> {
  const { reply, t, session, form } = c;
  if (session.role === 'volunteer')
    return rendered(staffMessagePage(t, session, t.m['staff.title'], t.m['staff.forbidden']), 403);
  const read = readModeration(t, form);
  if ('refused' in read)
    return rendered(await queue(h, t, session, -1, { text: read.refused, error: true }), 400);
  const { action, indexes } = read;
  if ((action === 'reject' || action === 'erase') && form.get('confirm') !== 'yes') {
    const found = await pendingAt(h.site, indexes);
    const missing = indexes.filter((i) => !found.some((f) => f.index === i));
    return confirmModerationPage(t, session, action, found, missing);
  }
  const done: number[] = [];
  for (const index of indexes)
    if (await applyModeration(h.site, action, index, form)) done.push(index);
  if (done.length > 0)
    await h.site.recordAudit({
      at: h.seconds(),
      username: session.username,
      action,
      target: done.join(','),
    });
  const missing = indexes.length - done.length;
  return reply
    .code(303)
    .redirect(`/staff/?done=${action}&n=${done.length}${missing ? `&missing=${missing}` : ''}`);
}

/** One publication moderated; false if there is none at `index`. */
function applyModeration(
  site: SiteStore,
  action: Moderation,
  index: number,
  form: URLSearchParams,
): Promise<boolean> {
  if (action === 'erase') return site.erasePublication(index);
  const edited = (field: 'name' | 'statement') => {
    const v = form.get(field)?.normalize('NFC').trim();
    return action === 'redact' && v
      ? { [field]: [...v].slice(0, field === 'name' ? MAX_NAME : MAX_STATEMENT).join('') }
      : {};
  };
  return site.moderate(index, {
    status: action === 'reject' ? 'rejected' : 'approved',
    ...edited('name'),
    ...edited('statement'),
  });
}

/** POST /staff/logout: ends the session (if the form carries its token) and the cookie. */
async function logout(h: Home, staff: StaffPages, c: PageContext): Promise<PageResult> {
  const s = await staff.signedIn(c);
  if (s && same(s.session.csrf, s.form.get('csrf') ?? '')) {
    await h.site.deleteStaffSession(hashToken(s.token));
    await h.site.recordAudit({
      at: h.seconds(),
      username: s.session.username,
      action: 'logout',
      target: '',
    });
  }
  c.reply.clearCookie(SESSION_COOKIE, { path: '/staff' });
  return c.reply.code(303).redirect(s ? '/staff/?out=1' : '/staff/');
}

/** The pending publications at these indexes (those no longer pending are left out). */
async function pendingAt(site: SiteStore, indexes: readonly number[]): Promise<Publication[]> {
  const found = await Promise.all(
    indexes.map(async (index) => {
      const [p] = await site.publications({ status: 'pending', before: index + 1, limit: 1 });
      return p?.index === index ? [p] : [];
    }),
  );
  return found.flat();
}

/** The message after an action, from the redirect's query (ignored when malformed). */
function doneNotice(
  t: I18n,
  done: string | undefined,
  n: string | undefined,
  missing: string | undefined,
): { text: string } | undefined {
  const action = MODERATIONS.find((a): a is Moderation => a === done);
  const count = parseIndex(n);
  if (action === undefined || count === undefined) return undefined;
  const gone = parseIndex(missing);
  const text = [
    ...(count > 0 || !gone ? [t.m[`staff.done.${action}`](count)] : []),
    ...(gone ? [t.m['staff.done.missing'](gone)] : []),
  ].join(' ');
  return { text };
}
