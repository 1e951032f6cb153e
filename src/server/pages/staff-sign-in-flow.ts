// The steps that staff sign-in and the setup of a second factor share: throttle keys, the sealed
// "pending" cookie of a right password that waits for its code or its setup, the spending of a
// code, and the opening of a session (pages: staff-sign-in.ts, staff-two-factor.ts).
import type { FastifyRequest } from 'fastify';
import type { StaffUser } from '../../store/index.ts';
import type { Enrolment } from '../../web/index.ts';
import {
  isRecoveryCode,
  matchTotp,
  newTotpSecret,
  recoveryHash,
  seal,
  totpStepToken,
  totpUri,
  unseal,
} from '../second-factor.ts';
import type { StaffOptions } from './options.ts';
import { formOf, type PageContext } from './page.ts';
import {
  hashToken,
  LOGIN_COOKIE,
  newToken,
  SESSION_COOKIE,
  SESSION_SECONDS,
  same,
  staffCookie,
} from './staff-session.ts';
import { SIGN_IN_THROTTLE, SignInKeyring, type SignInKeys } from './staff-throttle.ts';

export const PENDING_COOKIE = 'tuidang_pending';
/** How long a right password waits for its code, or an enrolment for its confirmation. */
const PENDING_SECONDS = 600;

/** A right password waiting for the second factor (sealed in its cookie). */
export interface Pending {
  readonly username: string;
  readonly stage: 'code' | 'enrol';
  readonly expires: number;
  readonly csrf: string;
  readonly id: string;
  /** The throttle keys the password attempt counted against, forgiven once signed in. */
  readonly keys: SignInKeys;
}

export type SignInFlow = ReturnType<typeof signInFlow>;

export function signInFlow(opts: StaffOptions & { secret: Uint8Array }) {
  const { store, secret, clientKey, volunteerSecondFactor = true } = opts;
  const now = opts.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);
  const keyring = new SignInKeyring(secret, now);
  const keysOf = (req: FastifyRequest, username: string) =>
    keyring.keys(username, clientKey?.(req) ?? req.ip);
  const needsFactor = (u: StaffUser) => u.role !== 'volunteer' || volunteerSecondFactor;
  const attempt = (keys: readonly string[]) =>
    store.site.attemptSignIn(keys, seconds(), SIGN_IN_THROTTLE);
  const factorOf = (u: StaffUser | undefined) =>
    u?.secondFactor === undefined ? undefined : unseal(secret, 'totp', u.username, u.secondFactor);

  /** Opens a session, records the sign-in and forgives what the owner's attempt counted. */
  const openSession = async (c: PageContext, username: string, reset: string[], undo: string[]) => {
    await store.site.forgiveSignIn(reset, undo, SIGN_IN_THROTTLE);
    const token = newToken(32);
    const csrf = newToken(24);
    // Stored times say the hour, not the second, of a sign-in (docs/timing-privacy.md).
    const hour = Math.floor(seconds() / 3600) * 3600;
    await store.site.createStaffSession(hashToken(token), {
      username,
      csrf,
      expires: hour + 3600 + SESSION_SECONDS,
    });
    await store.site.recordAudit({ at: hour, username, action: 'login', target: '' });
    const cookie = staffCookie(c.req, SESSION_COOKIE, token, SESSION_SECONDS);
    c.reply.setCookie(cookie.name, cookie.value, cookie.options);
    c.reply.clearCookie(LOGIN_COOKIE, { path: '/staff' });
    c.reply.clearCookie(PENDING_COOKIE, { path: '/staff' });
    return csrf;
  };

  /** Whether `code` is a right code of `u`'s factor now; spends it (once) if so. */
  const spendCode = async (username: string, factor: string, code: string): Promise<boolean> => {
    if (isRecoveryCode(code))
      return store.site.useRecoveryCode(username, recoveryHash(username, code));
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
  const enrolment = (username: string, csrf: string, enrolled: boolean): Enrolment => {
    const key = newTotpSecret();
    const sealed = seal(
      secret,
      'enrol',
      username,
      JSON.stringify({ key, expires: seconds() + PENDING_SECONDS }),
    );
    return { csrf, key, uri: totpUri(key, issuer, username), sealed, enrolled };
  };

  const offerOf = (
    username: string,
    sealed: string,
  ): { key: string; expires: number } | undefined => {
    const text = unseal(secret, 'enrol', username, sealed);
    const offer =
      text === undefined ? undefined : (JSON.parse(text) as { key: string; expires: number });
    return offer && offer.expires > seconds() ? offer : undefined;
  };

  return {
    store,
    secret,
    now,
    seconds,
    keyring,
    keysOf,
    needsFactor,
    attempt,
    factorOf,
    openSession,
    spendCode,
    setPending,
    pendingOf,
    enrolment,
    offerOf,
    issuer,
  };
}
