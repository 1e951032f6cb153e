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
import { pages, rendered } from './page.ts';
import { hashToken, SESSION_COOKIE, type StaffPages, same } from './staff-session.ts';

const MODERATIONS = ['approve', 'reject', 'erase', 'redact'] as const;
type Moderation = (typeof MODERATIONS)[number];
/** Publications on one page of the queue. */
const QUEUE_PAGE = 20;
/** Most publications one action may name (a page's worth of bulk approval, and more). */
export const MAX_BULK = 200;

export function staffHomeRoutes(
  app: FastifyInstance,
  staff: StaffPages,
  { store, now = Date.now }: StaffOptions,
): void {
  const p = pages(app);
  const seconds = () => Math.floor(now() / 1000);
  const queue = async (
    t: I18n,
    v: StaffView,
    after: number,
    notice?: { text: string; error?: boolean },
  ): Promise<Page> => {
    const q = await store.site.moderationQueue(after, QUEUE_PAGE);
    return queuePage(
      t,
      v,
      {
        total: q.total,
        offset: q.before,
        page: q.page,
        after,
        more: q.before + q.page.length < q.total,
      },
      notice,
    );
  };

  staff.get('/staff/', async ({ req, reply, t, session }) => {
    // Volunteers declare on behalf of others; they do not moderate.
    if (session.role === 'volunteer') return reply.code(303).redirect('/staff/declare');
    const query = req.query as Record<string, string | string[] | undefined>;
    const one = (k: string) => (typeof query[k] === 'string' ? query[k] : undefined);
    const after = one('after') === undefined ? -1 : parseIndex(one('after'));
    if (after === undefined)
      return rendered(
        await queue(t, session, -1, { text: t.m['staff.badIndex'], error: true }),
        400,
      );
    return queue(t, session, after, doneNotice(t, one('done'), one('n'), one('missing')));
  });
  app.get('/staff', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/staff/'));

  staff.post(
    '/staff/moderate',
    ({ t, session }) => queue(t, session, -1, { text: t.m['staff.expired'], error: true }),
    async ({ reply, t, session, form }) => {
      const refuse = async (text: string, status = 400) =>
        rendered(await queue(t, session, -1, { text, error: true }), status);
      if (session.role === 'volunteer')
        return rendered(
          staffMessagePage(t, session, t.m['staff.title'], t.m['staff.forbidden']),
          403,
        );
      const action = MODERATIONS.find((a) => a === form.get('action'));
      if (action === undefined) return refuse(t.m['staff.badAction']);
      const raw = form.getAll('index');
      if (raw.length === 0) return refuse(t.m['staff.noneSelected']);
      const parsed = raw.map(parseIndex);
      if (parsed.some((i) => i === undefined)) return refuse(t.m['staff.badIndex']);
      const indexes = [...new Set(parsed as number[])];
      if (indexes.length > MAX_BULK) return refuse(t.m['void.tooMany'](MAX_BULK));
      if (action === 'redact' && indexes.length !== 1) return refuse(t.m['staff.badAction']);
      if ((action === 'reject' || action === 'erase') && form.get('confirm') !== 'yes') {
        const found = await pendingAt(store.site, indexes);
        const missing = indexes.filter((i) => !found.some((f) => f.index === i));
        return confirmModerationPage(t, session, action, found, missing);
      }
      const edited = (field: 'name' | 'statement') => {
        const v = form.get(field)?.normalize('NFC').trim();
        return action === 'redact' && v
          ? { [field]: [...v].slice(0, field === 'name' ? MAX_NAME : MAX_STATEMENT).join('') }
          : {};
      };
      const done: number[] = [];
      for (const index of indexes) {
        const ok =
          action === 'erase'
            ? await store.site.erasePublication(index)
            : await store.site.moderate(index, {
                status: action === 'reject' ? 'rejected' : 'approved',
                ...edited('name'),
                ...edited('statement'),
              });
        if (ok) done.push(index);
      }
      if (done.length > 0)
        await store.site.recordAudit({
          at: seconds(),
          username: session.username,
          action,
          target: done.join(','),
        });
      const missing = indexes.length - done.length;
      return reply
        .code(303)
        .redirect(`/staff/?done=${action}&n=${done.length}${missing ? `&missing=${missing}` : ''}`);
    },
  );

  p.post('/staff/logout', async (c) => {
    const s = await staff.signedIn(c);
    if (s && same(s.session.csrf, s.form.get('csrf') ?? '')) {
      await store.site.deleteStaffSession(hashToken(s.token));
      await store.site.recordAudit({
        at: seconds(),
        username: s.session.username,
        action: 'logout',
        target: '',
      });
    }
    c.reply.clearCookie(SESSION_COOKIE, { path: '/staff' });
    return c.reply.code(303).redirect(s ? '/staff/?out=1' : '/staff/');
  });
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
