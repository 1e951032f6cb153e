// The setup of a second factor: from a signed-in session (a new factor replaces the old one), or
// from a pending sign-in whose account needs its first factor (then the session opens here). The
// key is offered sealed in the form and counts only once a code from the app confirms it.
import type { FastifyInstance } from 'fastify';
import { enrolPage, recoveryCodesPage } from '../../web/index.ts';
import {
  matchTotp,
  newRecoveryCodes,
  normalizeCode,
  recoveryHash,
  seal,
  totpStepToken,
  totpUri,
} from '../second-factor.ts';
import { formOf, pages, type Rendered, rendered } from './page.ts';
import { type StaffPages, same, showLogin } from './staff-session.ts';
import { PENDING_COOKIE, type SignInFlow } from './staff-sign-in-flow.ts';
import { SIGN_IN_THROTTLE } from './staff-throttle.ts';

export function staffTwoFactorRoutes(
  app: FastifyInstance,
  staff: StaffPages,
  flow: SignInFlow,
): void {
  const p = pages(app);
  const { store, secret, now, seconds, keyring, keysOf, attempt, openSession } = flow;
  const { pendingOf, enrolment, offerOf, issuer } = flow;

  staff.get('/staff/two-factor', async ({ t, session }) => {
    const user = await store.site.staffUser(session.username);
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
    const user = await store.site.staffUser(username);
    if (user === undefined) return showLogin(c, t.m['staff.expired'], 403);
    const enrolled = user.secondFactor !== undefined;
    // A pending setup is for an account without a factor: one set up meanwhile is not replaced.
    if (pending && enrolled) return showLogin(c, t.m['staff.expired'], 403);
    const offer = offerOf(username, form.get('enrolment') ?? '');
    if (!offer)
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
    await store.site.setSecondFactor(
      username,
      seal(secret, 'totp', username, offer.key),
      codes.map((code) => recoveryHash(username, code)),
    );
    await store.site.recordAudit({
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
    await store.site.forgiveSignIn([tries], [], SIGN_IN_THROTTLE);
    return recoveryCodesPage(t, codes, view);
  });
}
