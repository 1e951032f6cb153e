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
import type { FastifyInstance } from 'fastify';
import { codePage, enrolPage } from '../../web/index.ts';
import { verifyPassword } from '../password.ts';
import {
  isRecoveryCode,
  matchTotp,
  normalizeCode,
  recoveryHash,
  totpStepToken,
} from '../second-factor.ts';
import { formOf, pages, rendered } from './page.ts';
import { LOGIN_COOKIE, same, showLogin } from './staff-session.ts';
import { PENDING_COOKIE, type SignInFlow } from './staff-sign-in-flow.ts';

// Hashed when the username is unknown, so that timing does not tell which usernames exist.
const NO_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function staffSignInRoutes(app: FastifyInstance, flow: SignInFlow): void {
  const p = pages(app);
  const { store, now, keyring, keysOf, needsFactor, attempt, factorOf, openSession } = flow;
  const { spendCode, setPending, pendingOf, enrolment } = flow;

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
      const user = await store.site.staffUser(username);
      const factor = factorOf(user);
      const recovery = factor !== undefined && isRecoveryCode(code);
      // A recovery code is used up here (a wrong password after it costs the code); a TOTP code
      // only once the password is right.
      const step = factor === undefined || recovery ? undefined : matchTotp(factor, code, now());
      const codeOk = recovery
        ? await store.site.useRecoveryCode(username, recoveryHash(username, code))
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
    const user = await store.site.staffUser(username);
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
    const user = await store.site.staffUser(pending.username);
    const factor = factorOf(user);
    if (!user || factor === undefined || !(await spendCode(user.username, factor, code)))
      return rendered(codePage(t, pending.csrf, t.m['twoFactor.wrongCode']), 401);
    const { keys } = pending;
    await openSession(c, user.username, [keys.pair, tries], [keys.address, keys.account]);
    return c.reply.code(303).redirect('/staff/');
  });
}
