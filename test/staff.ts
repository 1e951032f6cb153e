// Staff for HTTP tests: accounts, an app's options, statements awaiting moderation, the sign-in
// form's CSRF cookie and token, a signed-in session, and form posts with it.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Secret } from 'otpauth';
import { ed25519Signer } from '../src/log/index.ts';
import type { Publication, Receipt } from '../src/registry/index.ts';
import { type Declarations, Sequencer } from '../src/sequencer/index.ts';
import { type AppOptions, buildApp } from '../src/server/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { hashPassword } from '../src/server/password.ts';
import { PROCESS_STAFF_SECRET, seal, totpCode } from '../src/server/second-factor.ts';
import type { StaffRole, Store } from '../src/store/index.ts';

type Response = Awaited<ReturnType<FastifyInstance['inject']>>;

export const cookiesOf = (res: { headers: Record<string, unknown> }): string[] => {
  const raw = res.headers['set-cookie'];
  return (Array.isArray(raw) ? raw : raw ? [raw] : []) as string[];
};
export const cookieValue = (cookies: string[], name: string): string =>
  cookies.map((c) => new RegExp(`^${name}=([^;]*)`).exec(c)?.[1]).find(Boolean) ?? '';
export const csrfIn = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A sequencer for pages that never log anything. */
export const noSequencer: Declarations = {
  submit: async () => [],
  close: async () => {},
  poolDepth: 0,
  void: async () => 0,
};

/** The TOTP key of a test account (fixed per username, base32). */
export const totpKeyOf = (username: string): string =>
  new Secret({
    buffer: new Uint8Array(
      createHash('sha256').update(`test totp ${username}`).digest(),
    ).buffer.slice(0, 20),
  }).base32;

/**
 * Staff accounts, each with the password `<name> password 12` and a second factor whose key is
 * {@link totpKeyOf} (sealed as an app without its own staff secret seals it).
 */
export async function addStaff(
  store: Store,
  ...accounts: ReadonlyArray<readonly [string, StaffRole]>
): Promise<void> {
  await addStaffSealedBy(PROCESS_STAFF_SECRET, store, ...accounts);
}

/** {@link addStaff} for a registry with its own staff secret (startRegistry's, from its key). */
export async function addStaffSealedBy(
  secret: Uint8Array,
  store: Store,
  ...accounts: ReadonlyArray<readonly [string, StaffRole]>
): Promise<void> {
  await addStaffWithoutSecondFactor(store, ...accounts);
  for (const [username] of accounts)
    await store.site.setSecondFactor(
      username,
      seal(secret, 'totp', username, totpKeyOf(username)),
      [],
    );
}

/**
 * Staff accounts with the password `<name> password 12` that have not set up their second factor
 * yet (the first sign-in asks them to; a volunteer may go without where the registry allows it).
 */
export async function addStaffWithoutSecondFactor(
  store: Store,
  ...accounts: ReadonlyArray<readonly [string, StaffRole]>
): Promise<void> {
  for (const [username, role] of accounts)
    await store.site.createStaffUser({
      username,
      role,
      passwordHash: await hashPassword(`${username} password 12`),
    });
}

/** The options of a registry app for staff tests: no sequencer, a dummy key, no log lines. */
export function staffAppOptions(store: Store, extra: Partial<AppOptions> = {}): AppOptions {
  return {
    store,
    sequencer: noSequencer,
    vkey: 'x.example/log+00000000+AQ==',
    logger: createLogger({ write: () => {} }),
    ...extra,
  };
}

/**
 * A registry app over `store` with a sequencer of its own (origin v.example/log, no delay),
 * listening on loopback, with the staff `accounts` ({@link addStaff}): for tests in a browser.
 */
export async function listeningStaffApp(
  store: Store,
  ...accounts: ReadonlyArray<readonly [string, StaffRole]>
): Promise<{ url: string; sequencer: Sequencer; close(): Promise<void> }> {
  await addStaff(store, ...accounts);
  const sequencer = await Sequencer.open(store, {
    origin: 'v.example/log',
    signer: ed25519Signer('v.example/log', new Uint8Array(32).fill(8)),
    delayMs: 0,
  });
  const app = await buildApp(
    staffAppOptions(store, { sequencer, vkey: 'v.example/log+00000000+AQ==' }),
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    sequencer,
    async close() {
      await app.close();
      await sequencer.close();
    },
  };
}

/** Statements that wait for moderation, as a commit of the sequencer leaves them. */
export async function awaitingModeration(
  store: Store,
  publications: readonly Publication[],
): Promise<void> {
  await store.commit({
    oldSize: 0,
    newSize: 0,
    tiles: [],
    checkpoint: 'x',
    totals: (await store.state()).totals,
    voided: [],
    publications,
  });
}

/** The receipts in a receipt page: one per person, each in its own text (src/web/pages/receipt.ts). */
export const receiptsIn = (html: string): Receipt[] =>
  [...html.matchAll(/<textarea id="person-\d+-text"[^>]*>([^<]*)<\/textarea>/g)].map(
    (m) => JSON.parse((m[1] ?? '').replaceAll('&quot;', '"')) as Receipt,
  );

/** The sign-in form's cookie and token, to post one or many attempts with. */
export async function signInForm(app: FastifyInstance): Promise<{ cookie: string; csrf: string }> {
  const page = await app.inject({
    method: 'GET',
    url: '/staff/',
    headers: { 'accept-language': 'en' },
  });
  return {
    cookie: `tuidang_login=${cookieValue(cookiesOf(page), 'tuidang_login')}`,
    csrf: csrfIn(page.body),
  };
}

export async function attemptSignIn(
  app: FastifyInstance,
  form: { cookie: string; csrf: string },
  username: string,
  password: string,
  remoteAddress = '203.0.113.7',
  code = '',
  headers: Record<string, string> = {},
): Promise<Response> {
  return app.inject({
    method: 'POST',
    url: '/staff/login',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: form.cookie,
      'accept-language': 'en',
      ...headers,
    },
    remoteAddress,
    payload: new URLSearchParams({ csrf: form.csrf, username, password, code }).toString(),
  });
}

/**
 * A signed-in staff member: get pages and post forms with the session's cookie and token, in
 * English unless another Accept-Language is given (`zh-CN`, `zh-TW`).
 */
export interface Staff {
  get(url: string, language?: string): Promise<Response>;
  post(
    url: string,
    fields: Record<string, string | string[]>,
    language?: string,
  ): Promise<Response>;
  readonly csrf: string;
}

/**
 * Signs in an account made by {@link addStaff}: password and TOTP code in one form. Each code is
 * good once, so a second sign-in within 30 seconds takes the code of the next step.
 */
export async function signIn(
  app: FastifyInstance,
  username: string,
  password: string,
  remoteAddress = '203.0.113.7',
  nowMs = Date.now(),
): Promise<Staff> {
  let res: Response | undefined;
  for (const offset of [0, -30_000, 30_000]) {
    const code = totpCode(totpKeyOf(username), nowMs + offset);
    const form = await signInForm(app);
    res = await attemptSignIn(app, form, username, password, remoteAddress, code);
    if (res.statusCode === 303) break;
  }
  if (res?.statusCode !== 303) throw new Error(`sign-in of ${username} failed: ${res?.statusCode}`);
  const cookie = `tuidang_staff=${cookieValue(cookiesOf(res), 'tuidang_staff')}`;
  const get = (url: string, language = 'en') =>
    app.inject({ method: 'GET', url, headers: { cookie, 'accept-language': language } });
  const csrf = csrfIn((await get('/staff/declare')).body);
  return {
    csrf,
    get,
    post: (url, fields, language = 'en') => {
      const body = new URLSearchParams();
      body.append('csrf', csrf);
      for (const [k, v] of Object.entries(fields))
        for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      return app.inject({
        method: 'POST',
        url,
        headers: {
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'accept-language': language,
        },
        payload: body.toString(),
      });
    },
  };
}

const unescapeHtml = (s: string) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The hidden fields and the box of the CSV form in a page (src/web/pages/volunteer.ts). */
export function csvFormIn(html: string): { key: string; done: string; box: string } {
  const form = html.slice(html.indexOf('action="/staff/declare-csv"'));
  const field = (name: string) =>
    unescapeHtml(new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '');
  const box = unescapeHtml(/<textarea id="csv"[^>]*>([^<]*)<\/textarea>/.exec(form)?.[1] ?? '');
  return { key: field('key'), done: field('done'), box };
}

/** Every receipt a CSV answer can print, page after page. */
export async function printedReceipts(staff: Staff, answer: string): Promise<Receipt[]> {
  const { key, done } = csvFormIn(answer);
  const out: Receipt[] = [];
  for (let page = 0; ; page++) {
    const res = await staff.post('/staff/declare-csv/receipts', { key, done, page: String(page) });
    if (res.statusCode !== 200) throw new Error(`printing page ${page}: ${res.statusCode}`);
    out.push(...receiptsIn(res.body));
    if (!res.body.includes(`name="page" value="${page + 1}"`)) return out;
  }
}
