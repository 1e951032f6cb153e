// Staff pages under /staff/: password sign-in (argon2id), sessions kept in the store under the
// hash of their token, cookies HttpOnly and SameSite=Strict (Secure behind HTTPS), a CSRF token on
// every form, a growing wait after failed sign-ins, and an audit log of every action (who, what,
// when, which entry: never a declarant's personal data). Visitors never get a cookie.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_NAME, MAX_STATEMENT, parseSubmission, ValidationError } from '../registry/index.ts';
import type { Declarations, Receipt } from '../sequencer/index.ts';
import type { StaffSession, Store } from '../store/index.ts';
import { html } from '../web/html.ts';
import { type I18n, i18n, negotiate } from '../web/i18n.ts';
import { layout, type Page } from '../web/layout.ts';
import { emptyDeclarant, readForm } from '../web/pages/declare.ts';
import { receiptPage } from '../web/pages/receipt.ts';
import { loginPage, queuePage } from '../web/pages/staff.ts';
import {
  VOLUNTEER_CHANNELS,
  type VolunteerChannel,
  volunteerPage,
} from '../web/pages/volunteer.ts';
import { verifyPassword } from './password.ts';
import { fieldErrors, toSubmission } from './web-routes.ts';

const SESSION_COOKIE = 'tuidang_staff';
const LOGIN_COOKIE = 'tuidang_login';
const SESSION_SECONDS = 8 * 3600;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Failed sign-ins per username: after three, each failure doubles the wait (at most 15 minutes). */
class Backoff {
  readonly #failures = new Map<string, { count: number; until: number }>();
  wait(username: string, now: number): number {
    const f = this.#failures.get(username);
    return f && f.until > now ? Math.ceil((f.until - now) / 1000) : 0;
  }
  fail(username: string, now: number): void {
    const count = (this.#failures.get(username)?.count ?? 0) + 1;
    const seconds = count < 3 ? 0 : Math.min(900, 2 ** (count - 3));
    this.#failures.set(username, { count, until: now + seconds * 1000 });
  }
  succeed(username: string): void {
    this.#failures.delete(username);
  }
}

export function staffRoutes(
  app: FastifyInstance,
  store: Store,
  sequencer: Declarations,
  now: () => number = Date.now,
): void {
  const backoff = new Backoff();
  const t = (req: FastifyRequest): I18n => i18n(negotiate(req.headers['accept-language']));
  const send = (reply: FastifyReply, tr: I18n, page: Page, status = 200) =>
    reply
      .code(status)
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(layout(tr, page));
  const cookie = (req: FastifyRequest, name: string, value: string, maxAge: number) => ({
    name,
    value,
    options: {
      path: '/staff',
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: req.protocol === 'https',
      maxAge,
    },
  });
  const form = (req: FastifyRequest) =>
    req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
  const session = async (
    req: FastifyRequest,
  ): Promise<{ token: string; s: StaffSession } | undefined> => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return undefined;
    const s = await store.staffSession(hashToken(token), Math.floor(now() / 1000));
    return s && { token, s };
  };
  const showLogin = (req: FastifyRequest, reply: FastifyReply, notice?: string, status = 200) => {
    const csrf = randomBytes(24).toString('base64url');
    const c = cookie(req, LOGIN_COOKIE, csrf, 3600);
    reply.setCookie(c.name, c.value, c.options);
    return send(reply, t(req), loginPage(t(req), csrf, notice), status);
  };
  const showQueue = async (
    reply: FastifyReply,
    req: FastifyRequest,
    s: StaffSession,
    notice?: string,
    status = 200,
  ) =>
    send(
      reply,
      t(req),
      queuePage(
        t(req),
        s.username,
        s.csrf,
        await store.publications({ status: 'pending', limit: 50 }),
        notice,
      ),
      status,
    );

  app.get('/staff/', { schema: { hide: true } }, async (req, reply) => {
    const found = await session(req);
    if (!found) return showLogin(req, reply);
    // Volunteers declare on behalf of others; they do not moderate.
    if (found.s.role === 'volunteer') return reply.code(303).redirect('/staff/declare');
    return showQueue(reply, req, found.s);
  });
  app.get('/staff', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/staff/'));

  app.post('/staff/login', { schema: { hide: true } }, async (req, reply) => {
    const body = form(req);
    const expected = req.cookies[LOGIN_COOKIE] ?? '';
    if (!expected || !same(expected, body.get('csrf') ?? ''))
      return showLogin(req, reply, t(req).m['staff.expired'], 403);
    const username = (body.get('username') ?? '').trim().slice(0, 64);
    const wait = backoff.wait(username, now());
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      return showLogin(req, reply, t(req).m['staff.wait'](wait), 429);
    }
    const user = await store.staffUser(username);
    // Hash even for an unknown user, so that timing does not tell which usernames exist.
    const ok = await verifyPassword(
      body.get('password') ?? '',
      user?.passwordHash ??
        '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    if (!user || !ok) {
      backoff.fail(username, now());
      return showLogin(req, reply, t(req).m['staff.loginFailed'], 401);
    }
    backoff.succeed(username);
    const token = randomBytes(32).toString('base64url');
    const expires = Math.floor(now() / 1000) + SESSION_SECONDS;
    await store.createStaffSession(hashToken(token), {
      username,
      csrf: randomBytes(24).toString('base64url'),
      expires,
    });
    await store.recordAudit({
      at: Math.floor(now() / 1000),
      username,
      action: 'login',
      target: '',
    });
    const c = cookie(req, SESSION_COOKIE, token, SESSION_SECONDS);
    reply.setCookie(c.name, c.value, c.options);
    reply.clearCookie(LOGIN_COOKIE, { path: '/staff' });
    return reply.code(303).redirect('/staff/');
  });

  app.post('/staff/moderate', { schema: { hide: true } }, async (req, reply) => {
    const found = await session(req);
    if (!found) return showLogin(req, reply, undefined, 401);
    const body = form(req);
    if (!same(found.s.csrf, body.get('csrf') ?? ''))
      return showQueue(reply, req, found.s, t(req).m['staff.expired'], 403);
    if (found.s.role === 'volunteer')
      return showQueue(reply, req, found.s, t(req).m['staff.forbidden'], 403);
    const index = Number(body.get('index'));
    const action = body.get('action');
    if (
      !Number.isSafeInteger(index) ||
      !['approve', 'reject', 'erase', 'redact'].includes(action ?? '')
    )
      return showQueue(reply, req, found.s, undefined, 400);
    const edited = (field: 'name' | 'statement') => {
      const v = body.get(field)?.normalize('NFC').trim();
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
        at: Math.floor(now() / 1000),
        username: found.s.username,
        action: action as string,
        target: String(index),
      });
    return reply.code(303).redirect('/staff/');
  });

  // Volunteers declare on behalf of people who reached them by phone, in a centre or in person.
  const channelOf = (v: string | null): VolunteerChannel =>
    VOLUNTEER_CHANNELS.includes(v as VolunteerChannel) ? (v as VolunteerChannel) : 'phone';
  const declared = async (username: string, receipts: Receipt[]) =>
    store.recordAudit({
      at: Math.floor(now() / 1000),
      username,
      action: 'declare',
      target: receipts.map((r) => r.index).join(','),
    });

  app.get('/staff/declare', { schema: { hide: true } }, async (req, reply) => {
    const found = await session(req);
    if (!found) return showLogin(req, reply);
    return send(reply, t(req), volunteerPage(t(req), found.s.csrf, 'phone', [emptyDeclarant()]));
  });

  app.post('/staff/declare', { schema: { hide: true } }, async (req, reply) => {
    const found = await session(req);
    if (!found) return showLogin(req, reply, undefined, 401);
    const tr = t(req);
    const body = form(req);
    const channel = channelOf(body.get('channel'));
    const { rows, action } = readForm(body);
    if (!same(found.s.csrf, body.get('csrf') ?? ''))
      return send(
        reply,
        tr,
        volunteerPage(tr, found.s.csrf, channel, rows, {}, tr.m['staff.expired']),
        403,
      );
    if (action === 'add')
      return send(reply, tr, volunteerPage(tr, found.s.csrf, channel, [...rows, emptyDeclarant()]));
    try {
      const receipts = await sequencer.submit(
        parseSubmission(toSubmission(rows, tr.locale), channel),
      );
      await declared(found.s.username, receipts);
      return send(reply, tr, receiptPage(tr, receipts));
    } catch (e) {
      if (e instanceof ValidationError) {
        const { errors, notice } = fieldErrors(tr, e);
        return send(
          reply,
          tr,
          volunteerPage(tr, found.s.csrf, channel, rows, errors, notice ?? tr.m['declare.errors']),
          400,
        );
      }
      throw e;
    }
  });

  app.post('/staff/declare-csv', { schema: { hide: true } }, async (req, reply) => {
    const found = await session(req);
    if (!found) return showLogin(req, reply, undefined, 401);
    const tr = t(req);
    const body = form(req);
    const channel = channelOf(body.get('channel'));
    if (!same(found.s.csrf, body.get('csrf') ?? ''))
      return send(
        reply,
        tr,
        volunteerPage(tr, found.s.csrf, channel, [emptyDeclarant()], {}, tr.m['staff.expired']),
        403,
      );
    let records: Array<Record<string, string>>;
    try {
      records = parseCsv(body.get('csv') ?? '', {
        columns: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
      });
    } catch (e) {
      return send(
        reply,
        tr,
        volunteerPage(tr, found.s.csrf, channel, [emptyDeclarant()], {}, (e as Error).message),
        400,
      );
    }
    const problems: string[] = [];
    const submissions = records.flatMap((r, i) => {
      const d = {
        name: r.name ?? '',
        nameKind: r.nameKind || 'alias',
        orgs: (r.orgs ?? '').split(/[;|,\s]+/).filter(Boolean),
        ...(r.region ? { region: r.region } : {}),
        ...(r.statement ? { statement: r.statement } : {}),
        publish: ['true', 'yes', '1'].includes((r.publish ?? '').toLowerCase()),
      };
      try {
        return [parseSubmission({ language: tr.locale, declarants: [d] }, channel)];
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        problems.push(tr.m['volunteer.rejected'](i + 2, e.message));
        return [];
      }
    });
    const receipts = (await Promise.all(submissions.map((sub) => sequencer.submit(sub)))).flat();
    if (receipts.length > 0) await declared(found.s.username, receipts);
    const page = receiptPage(tr, receipts);
    return send(
      reply,
      tr,
      problems.length === 0
        ? page
        : {
            ...page,
            body: html`<ul class="notice">${problems.map((p) => html`<li>${p}</li>`)}</ul>${page.body}`,
          },
      problems.length === 0 ? 200 : 207,
    );
  });

  app.post('/staff/logout', { schema: { hide: true } }, async (req, reply) => {
    const found = await session(req);
    if (found && same(found.s.csrf, form(req).get('csrf') ?? '')) {
      await store.deleteStaffSession(hashToken(found.token));
      await store.recordAudit({
        at: Math.floor(now() / 1000),
        username: found.s.username,
        action: 'logout',
        target: '',
      });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/staff' });
    return reply.code(303).redirect('/staff/');
  });
}
