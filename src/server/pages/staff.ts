// The staff pages under /staff/: sign-in, the moderation queue and sign-out. Every action is in
// the audit log (who, what, when, which entry: never a declarant's personal data).
import type { FastifyInstance } from 'fastify';
import { MAX_NAME, MAX_STATEMENT } from '../../registry/index.ts';
import type { StaffSession } from '../../store/index.ts';
import { type I18n, queuePage } from '../../web/index.ts';
import { verifyPassword } from '../password.ts';
import type { StaffOptions } from './options.ts';
import { formOf, pages } from './page.ts';
import {
  Backoff,
  hashToken,
  LOGIN_COOKIE,
  newToken,
  SESSION_COOKIE,
  SESSION_SECONDS,
  type StaffPages,
  same,
  showLogin,
  staffCookie,
} from './staff-session.ts';

// Hashed when the username is unknown, so that timing does not tell which usernames exist.
const NO_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const MODERATIONS = ['approve', 'reject', 'erase', 'redact'];

export function staffHomeRoutes(
  app: FastifyInstance,
  staff: StaffPages,
  { store, now = Date.now }: StaffOptions,
): void {
  const p = pages(app);
  const backoff = new Backoff();
  const seconds = () => Math.floor(now() / 1000);
  const queue = async (t: I18n, s: StaffSession, notice?: string) =>
    queuePage(
      t,
      s.username,
      s.csrf,
      await store.publications({ status: 'pending', limit: 50 }),
      notice,
    );

  staff.get('/staff/', async ({ reply, t, session }) =>
    // Volunteers declare on behalf of others; they do not moderate.
    session.role === 'volunteer' ? reply.code(303).redirect('/staff/declare') : queue(t, session),
  );
  app.get('/staff', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/staff/'));

  p.post('/staff/login', async (c) => {
    const { req, reply, t } = c;
    const body = formOf(req);
    const expected = req.cookies[LOGIN_COOKIE] ?? '';
    if (!expected || !same(expected, body.get('csrf') ?? ''))
      return showLogin(c, t.m['staff.expired'], 403);
    const username = (body.get('username') ?? '').trim().slice(0, 64);
    const wait = backoff.wait(username, now());
    if (wait > 0) return { ...showLogin(c, t.m['staff.wait'](wait), 429), retryAfter: wait };
    const user = await store.staffUser(username);
    const ok = await verifyPassword(body.get('password') ?? '', user?.passwordHash ?? NO_USER_HASH);
    if (!user || !ok) {
      backoff.fail(username, now());
      return showLogin(c, t.m['staff.loginFailed'], 401);
    }
    backoff.succeed(username);
    const token = newToken(32);
    await store.createStaffSession(hashToken(token), {
      username,
      csrf: newToken(24),
      expires: seconds() + SESSION_SECONDS,
    });
    await store.recordAudit({ at: seconds(), username, action: 'login', target: '' });
    const cookie = staffCookie(req, SESSION_COOKIE, token, SESSION_SECONDS);
    reply.setCookie(cookie.name, cookie.value, cookie.options);
    reply.clearCookie(LOGIN_COOKIE, { path: '/staff' });
    return reply.code(303).redirect('/staff/');
  });

  staff.post(
    '/staff/moderate',
    ({ t, session }) => queue(t, session, t.m['staff.expired']),
    async ({ reply, t, session, form }) => {
      if (session.role === 'volunteer')
        return { page: await queue(t, session, t.m['staff.forbidden']), status: 403 };
      const index = Number(form.get('index'));
      const action = form.get('action') ?? '';
      if (!Number.isSafeInteger(index) || !MODERATIONS.includes(action))
        return { page: await queue(t, session), status: 400 };
      const edited = (field: 'name' | 'statement') => {
        const v = form.get(field)?.normalize('NFC').trim();
        return action === 'redact' && v
          ? { [field]: [...v].slice(0, field === 'name' ? MAX_NAME : MAX_STATEMENT).join('') }
          : {};
      };
      const done =
        action === 'erase'
          ? await store.erasePublication(index)
          : await store.moderate(index, {
              status: action === 'reject' ? 'rejected' : 'approved',
              ...edited('name'),
              ...edited('statement'),
            });
      if (done)
        await store.recordAudit({
          at: seconds(),
          username: session.username,
          action,
          target: String(index),
        });
      return reply.code(303).redirect('/staff/');
    },
  );

  p.post('/staff/logout', async (c) => {
    const s = await staff.signedIn(c);
    if (s && same(s.session.csrf, s.form.get('csrf') ?? '')) {
      await store.deleteStaffSession(hashToken(s.token));
      await store.recordAudit({
        at: seconds(),
        username: s.session.username,
        action: 'logout',
        target: '',
      });
    }
    c.reply.clearCookie(SESSION_COOKIE, { path: '/staff' });
    return c.reply.code(303).redirect('/staff/');
  });
}
