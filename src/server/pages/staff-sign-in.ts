// Staff sign-in: a password (argon2id) and a second factor (TOTP or a recovery code), required of
// administrators and moderators and, unless the operator turns it off, of volunteers. No session
// exists until both are given: after a right password the browser holds only a sealed "pending"
// cookie, good for the code (or the setup of an authenticator app) for ten minutes.
//
// Two paths (throttling: staff-throttle.ts):
// - password first: the attempt counts against the account, the address and both together, then
//   the password is checked, then the code is asked for on a page of its own;
// - code first (the code typed in the sign-in form with the password): the code is checked
//   before the password, cheaply, and only a right code leads on to a password check. This path
//   is not held by the account's or the address's waits, so strangers who keep an account or a
//   shared address busy do not keep its owner out.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaffUser } from '../../store/index.ts';
import { codePage, enrolPage, recoveryCodesPage } from '../../web/index.ts';
import { verifyPassword } from '../password.ts';
import {
  isRecoveryCode,
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  normalizeCode,
  recoveryHash,
  seal,
  totpStepToken,
  totpUri,
  unseal,
} from '../second-factor.ts';
import type { StaffOptions } from './options.ts';
import { formOf, type PageContext, pages, type Rendered, rendered } from './page.ts';
import {
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
import { SIGN_IN_THROTTLE, SignInKeyring, type SignInKeys } from './staff-throttle.ts';

// Hashed when the username is unknown, so that timing does not tell which usernames exist.
const NO_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const PENDING_COOKIE = 'tuidang_pending';
/** How long a right password waits for its code, or an enrolment for its confirmation. */
const PENDING_SECONDS = 600;

/** A right password waiting for the second factor (sealed in its cookie). */
interface Pending {
  readonly username: string;
  readonly stage: 'code' | 'enrol';
  readonly expires: number;
  readonly csrf: string;
  readonly id: string;
  /** The throttle keys the password attempt counted against, forgiven once signed in. */
  readonly keys: SignInKeys;
}

export function staffSignInRoutes(
  app: FastifyInstance,
  staff: StaffPages,
  opts: StaffOptions & { secret: Uint8Array },
): void {
  const { store, secret, clientKey, volunteerSecondFactor = true } = opts;
  const p = pages(app);
  const now = opts.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);
  const keyring = new SignInKeyring(secret, now);
  const keysOf = (req: FastifyRequest, username: string) =>
    keyring.keys(username, clientKey?.(req) ?? req.ip);
  const needsFactor = (u: StaffUser) => u.role !== 'volunteer' || volunteerSecondFactor;
  const attempt = (keys: readonly string[]) =>
    store.attemptSignIn(keys, seconds(), SIGN_IN_THROTTLE);
  const factorOf = (u: StaffUser | undefined) =>
    u?.secondFactor === undefined ? undefined : unseal(secret, 'totp', u.username, u.secondFactor);

  /** Opens a session, records the sign-in and forgives what the owner's attempt counted. */
  const openSession = async (c: PageContext, username: string, reset: string[], undo: string[]) => {
    await store.forgiveSignIn(reset, undo, SIGN_IN_THROTTLE);
    const token = newToken(32);
    const csrf = newToken(24);
    // Stored times say the hour, not the second, of a sign-in (docs/timing-privacy.md).
    const hour = Math.floor(seconds() / 3600) * 3600;
    await store.createStaffSession(hashToken(token), {
      username,
      csrf,
      expires: hour + 3600 + SESSION_SECONDS,
    });
    await store.recordAudit({ at: hour, username, action: 'login', target: '' });
    const cookie = staffCookie(c.req, SESSION_COOKIE, token, SESSION_SECONDS);
    c.reply.setCookie(cookie.name, cookie.value, cookie.options);
    c.reply.clearCookie(LOGIN_COOKIE, { path: '/staff' });
    c.reply.clearCookie(PENDING_COOKIE, { path: '/staff' });
    return csrf;
  };

  /** Whether `code` is a right code of `u`'s factor now; spends it (once) if so. */
  const spendCode = async (username: string, factor: string, code: string): Promise<boolean> => {
    if (isRecoveryCode(code)) return store.useRecoveryCode(username, recoveryHash(username, code));
    const step = matchTotp(factor, code, now());
    if (step === undefined) return false;
    const used = totpStepToken(factor, step);
    return store.cluster.spendOnce('totp', used.token, used.expiresMs);
  };

  const setPending = (c: PageContext, pending: Omit<Pending, 'expires' | 'csrf' | 'id'>) => {
    const full: Pending = {
      ...pending,
      expires: seconds() + PENDING_SECONDS,
      csrf: newToken(24),
      id: newToken(16),
    };
    const cookie = staffCookie(
      c.req,
      PENDING_COOKIE,
      seal(secret, 'pending', '', JSON.stringify(full)),
      PENDING_SECONDS,
    );
    c.reply.setCookie(cookie.name, cookie.value, cookie.options);
    return full;
  };
  const pendingOf = (c: PageContext, stage: Pending['stage']): Pending | undefined => {
    const raw = c.req.cookies[PENDING_COOKIE];
    const text = raw ? unseal(secret, 'pending', '', raw) : undefined;
    if (text === undefined) return undefined;
    const pending = JSON.parse(text) as Pending;
    const csrf = formOf(c.req).get('csrf') ?? '';
    return pending.stage === stage && pending.expires > seconds() && same(pending.csrf, csrf)
      ? pending
      : undefined;
  };

  const issuer = opts.issuer ?? 'tuidang';
  const enrolment = (username: string, csrf: string, enrolled: boolean) => {
    const key = newTotpSecret();
    const sealed = seal(
      secret,
      'enrol',
      username,
      JSON.stringify({ key, expires: seconds() + PENDING_SECONDS }),
    );
    return { csrf, key, uri: totpUri(key, issuer, username), sealed, enrolled };
  };

  p.post('/staff/login', async (c) => {
    const { req, t } = c;
    const body = formOf(req);
    const expected = req.cookies[LOGIN_COOKIE] ?? '';
    if (!expected || !same(expected, body.get('csrf') ?? ''))
      return showLogin(c, t.m['staff.expired'], 403);
    const username = (body.get('username') ?? '').trim().slice(0, 64);
    const password = body.get('password') ?? '';
    const code = normalizeCode(body.get('code') ?? '').slice(0, 64);
    const keys = keysOf(req, username);

    if (code !== '') {
      // Code first: counted against this account at this address only; the password is checked
      // only after a right code.
      const wait = await attempt([keys.code]);
      if (wait > 0) return { ...showLogin(c, t.m['staff.wait'](wait), 429), retryAfter: wait };
      const user = await store.staffUser(username);
      const factor = factorOf(user);
      const recovery = factor !== undefined && isRecoveryCode(code);
      // A recovery code is used up here (a wrong password after it costs the code); a TOTP code
      // only once the password is right.
      const step = factor === undefined || recovery ? undefined : matchTotp(factor, code, now());
      const codeOk = recovery
        ? await store.useRecoveryCode(username, recoveryHash(username, code))
        : step !== undefined;
      if (!user || factor === undefined || !codeOk)
        return showLogin(c, t.m['twoFactor.failed'], 401);
      if (!(await verifyPassword(password, user.passwordHash))) {
        await attempt([keys.account]); // a right code with a wrong password counts for the account
        return showLogin(c, t.m['twoFactor.failed'], 401);
      }
      if (step !== undefined) {
        const used = totpStepToken(factor, step);
        if (!(await store.cluster.spendOnce('totp', used.token, used.expiresMs)))
          return showLogin(c, t.m['twoFactor.failed'], 401);
      }
      await openSession(c, username, [keys.code, keys.pair], []);
      return c.reply.code(303).redirect('/staff/');
    }

    // Password first. Counted before the password is checked, in one step with the check of the
    // wait: a burst of guesses gets no more password checks than one guess after another would.
    const wait = await attempt([keys.pair, keys.address, keys.account]);
    if (wait > 0) return { ...showLogin(c, t.m['staff.throttled'](wait), 429), retryAfter: wait };
    const user = await store.staffUser(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? NO_USER_HASH);
    if (!user || !ok) return showLogin(c, t.m['staff.loginFailed'], 401);
    if (user.secondFactor !== undefined) {
      const pending = setPending(c, { username, stage: 'code', keys });
      return codePage(t, pending.csrf);
    }
    if (needsFactor(user)) {
      const pending = setPending(c, { username, stage: 'enrol', keys });
      return enrolPage(t, enrolment(username, pending.csrf, false));
    }
    await openSession(c, username, [keys.pair], [keys.address, keys.account]);
    return c.reply.code(303).redirect('/staff/');
  });

  p.post('/staff/login/code', async (c) => {
    const { req, t } = c;
    const pending = pendingOf(c, 'code');
    if (pending === undefined) return showLogin(c, t.m['staff.expired'], 403);
    const tries = keyring.pending(pending.id);
    const wait = await attempt([tries]);
    if (wait > 0) {
      c.reply.clearCookie(PENDING_COOKIE, { path: '/staff' });
      return showLogin(c, t.m['twoFactor.tooMany'], 429);
    }
    const code = normalizeCode(formOf(req).get('code') ?? '').slice(0, 64);
    const user = await store.staffUser(pending.username);
    const factor = factorOf(user);
    if (!user || factor === undefined || !(await spendCode(user.username, factor, code)))
      return rendered(codePage(t, pending.csrf, t.m['twoFactor.wrongCode']), 401);
    const { keys } = pending;
    await openSession(c, user.username, [keys.pair, tries], [keys.address, keys.account]);
    return c.reply.code(303).redirect('/staff/');
  });

  staff.get('/staff/two-factor', async ({ t, session }) => {
    const user = await store.staffUser(session.username);
    const enrolled = user?.secondFactor !== undefined;
    return enrolPage(t, enrolment(session.username, session.csrf, enrolled), session);
  });

  // Confirms an enrolment: from a signed-in session (a new factor replaces the old one), or from
  // a pending sign-in that needs its first factor (then the session opens here).
  p.post('/staff/two-factor', async (c) => {
    const { req, t } = c;
    const form = formOf(req);
    const signed = await staff.signedIn(c);
    const session =
      signed && same(signed.session.csrf, form.get('csrf') ?? '') ? signed : undefined;
    const pending = session ? undefined : pendingOf(c, 'enrol');
    const username = session?.session.username ?? pending?.username;
    if (username === undefined) return showLogin(c, t.m['staff.expired'], 403);
    const csrf = session?.session.csrf ?? pending?.csrf ?? '';
    const view = session?.session;
    const user = await store.staffUser(username);
    if (user === undefined) return showLogin(c, t.m['staff.expired'], 403);
    const enrolled = user.secondFactor !== undefined;
    const sealed = unseal(secret, 'enrol', username, form.get('enrolment') ?? '');
    const offer = sealed && (JSON.parse(sealed) as { key: string; expires: number });
    if (!offer || offer.expires <= seconds())
      return rendered(
        enrolPage(t, enrolment(username, csrf, enrolled), view, t.m['twoFactor.expired']),
        400,
      );
    const tries = pending ? keyring.pending(pending.id) : keysOf(req, username).code;
    const wait = await attempt([tries]);
    if (wait > 0) {
      c.reply.clearCookie(PENDING_COOKIE, { path: '/staff' });
      return { ...showLogin(c, t.m['twoFactor.tooMany'], 429), retryAfter: wait };
    }
    const code = normalizeCode(form.get('code') ?? '');
    const step = matchTotp(offer.key, code, now());
    const again = (): Rendered =>
      rendered(
        enrolPage(
          t,
          {
            csrf,
            key: offer.key,
            uri: totpUri(offer.key, issuer, username),
            sealed: form.get('enrolment') ?? '',
            enrolled,
          },
          view,
          t.m['twoFactor.wrongCode'],
        ),
        401,
      );
    if (step === undefined) return again();
    const used = totpStepToken(offer.key, step);
    if (!(await store.cluster.spendOnce('totp', used.token, used.expiresMs))) return again();
    const codes = newRecoveryCodes();
    await store.setSecondFactor(
      username,
      seal(secret, 'totp', username, offer.key),
      codes.map((code) => recoveryHash(username, code)),
    );
    await store.recordAudit({
      at: Math.floor(seconds() / 3600) * 3600,
      username,
      action: 'second-factor',
      target: username,
    });
    if (pending) {
      const { keys } = pending;
      const newCsrf = await openSession(
        c,
        username,
        [keys.pair, tries],
        [keys.address, keys.account],
      );
      return recoveryCodesPage(t, codes, { username, role: user.role, csrf: newCsrf });
    }
    await store.forgiveSignIn([tries], [], SIGN_IN_THROTTLE);
    return recoveryCodesPage(t, codes, view);
  });
}
