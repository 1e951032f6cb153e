// Staff sign-in state: password sign-in (argon2id), sessions kept in the store under the hash of
// their token, cookies HttpOnly and SameSite=Strict (Secure on an https site, see app.ts) on /staff only, a CSRF
// token on every form (sign-in throttling: staff-throttle.ts). Visitors never get a cookie.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SiteStore, StaffSession } from '../../store/index.ts';
import { loginPage, type Page } from '../../web/index.ts';
import {
  formOf,
  type PageContext,
  type PageResult,
  pages,
  type Rendered,
  rendered,
} from './page.ts';

export const SESSION_COOKIE = 'tuidang_staff';
export const LOGIN_COOKIE = 'tuidang_login';
export const SESSION_SECONDS = 8 * 3600;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** Equal strings, compared in constant time (CSRF tokens). */
export const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
export const newToken = (bytes: number) => randomBytes(bytes).toString('base64url');

export function staffCookie(_req: FastifyRequest, name: string, value: string, maxAge: number) {
  return {
    name,
    value,
    options: {
      path: '/staff',
      httpOnly: true,
      sameSite: 'strict' as const,
      // Secure comes from the app: on an https site always, else on a request over https.
      maxAge,
    },
  };
}

/** The sign-in form, with a fresh CSRF token in a cookie of its own. */
export function showLogin(c: PageContext, notice?: string, status = 200): Rendered {
  const csrf = newToken(24);
  const cookie = staffCookie(c.req, LOGIN_COOKIE, csrf, 3600);
  c.reply.setCookie(cookie.name, cookie.value, cookie.options);
  return rendered(loginPage(c.t, csrf, notice), status);
}

export interface StaffContext extends PageContext {
  readonly session: StaffSession;
  /** The session's token (its cookie); the store knows only its hash. */
  readonly token: string;
  /** The form posted, if any (empty otherwise). */
  readonly form: URLSearchParams;
}

export type StaffHandler = (c: StaffContext) => PageResult | Promise<PageResult>;

export interface StaffPages {
  /** The signed-in staff member of a request, if any. */
  signedIn(c: PageContext): Promise<StaffContext | undefined>;
  /** A page for signed-in staff; others see the sign-in form. */
  get(path: string, handler: StaffHandler): void;
  /**
   * A form post by signed-in staff whose CSRF token matches; others get the sign-in form (401),
   * and a post without the session's token gets `expired(c)` with status 403.
   */
  post(
    path: string,
    expired: (c: StaffContext) => Page | Promise<Page>,
    handler: StaffHandler,
    options?: { bodyLimit?: number },
  ): void;
}

export function staffPages(app: FastifyInstance, site: SiteStore, now: () => number): StaffPages {
  const p = pages(app);
  const signedIn = async (c: PageContext): Promise<StaffContext | undefined> => {
    const token = c.req.cookies[SESSION_COOKIE];
    if (!token) return undefined;
    const session = await site.staffSession(hashToken(token), Math.floor(now() / 1000));
    return session && { ...c, session, token, form: formOf(c.req) };
  };
  return {
    signedIn,
    get: (path, handler) =>
      p.get(path, async (c) => {
        const s = await signedIn(c);
        if (s) return handler(s);
        // After signing out (post/redirect/get), the sign-in form says so.
        const out = (c.req.query as Record<string, unknown>).out === '1';
        return showLogin(c, out ? c.t.m['staff.signedOut'] : undefined);
      }),
    post: (path, expired, handler, options) =>
      p.post(
        path,
        async (c) => {
          const s = await signedIn(c);
          if (!s) return showLogin(c, undefined, 401);
          if (!same(s.session.csrf, s.form.get('csrf') ?? ''))
            return rendered(await expired(s), 403);
          return handler(s);
        },
        options,
      ),
  };
}
