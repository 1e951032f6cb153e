// Staff sign-in over HTTP, on every store: no session without the second factor; a per-account
// limit that holds against rotating addresses while the owner still signs in with the code;
// strangers at a shared address do not keep a volunteer out; and a seized data directory holds
// no address, no exact time and no second factor in the clear.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, test } from 'node:test';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import {
  addStaff,
  addStaffSealedBy,
  addStaffWithoutSecondFactor,
  attemptSignIn,
  cookiesOf,
  cookieValue,
  csrfIn,
  noSequencer,
  signInForm,
  totpKeyOf,
} from '../../test/staff.ts';
import { MemoryStore, PostgresStore, SqliteStore, type Store } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { totpCode } from './second-factor.ts';

const STAFF_SECRET = new Uint8Array(32).fill(5);
const OWNER = '198.51.100.20';

const backends: Array<[string, () => { store: Store; dir?: string }]> = [
  ['memory', () => ({ store: new MemoryStore() })],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tuidang-sign-in-'));
      return { store: new SqliteStore(dir), dir };
    },
  ],
  ['postgres', () => ({ store: new PostgresStore(postgresUrl, { schema: freshSchema() }) })],
];

type App = Awaited<ReturnType<typeof buildApp>>;
const sessionOf = (res: { headers: Record<string, unknown> }) =>
  cookieValue(cookiesOf(res), 'tuidang_staff');

/** Posts a form of the sign-in's later steps, with the pending cookie of `res`. */
async function postStep(
  app: App,
  url: string,
  res: { headers: Record<string, unknown>; body: string },
  fields: Record<string, string>,
) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `tuidang_pending=${cookieValue(cookiesOf(res), 'tuidang_pending')}`,
      'accept-language': 'en',
    },
    remoteAddress: OWNER,
    payload: new URLSearchParams({ csrf: csrfIn(res.body), ...fields }).toString(),
  });
}

for (const [name, make] of backends) {
  describe(`staff sign-in (${name})`, () => {
    test('80 guesses from 80 addresses check a handful of passwords; the owner signs in with the code; no session without it', async () => {
      const { store, dir } = make();
      await addStaffSealedBy(STAFF_SECRET, store, ['ad', 'admin']);
      const logLines: string[] = [];
      let clock = Date.parse('2026-11-25T12:00:00Z');
      const app = await buildApp({
        store,
        sequencer: noSequencer,
        vkey: 'x.example/log+00000000+AQ==',
        logger: createLogger({ write: (l: string) => logLines.push(l) }),
        now: () => clock,
        staffSecret: STAFF_SECRET,
      });
      const code = (at = clock) => totpCode(totpKeyOf('ad'), at);
      const form = await signInForm(app);

      // A password alone, right, gives no session: it asks for the code.
      const half = await attemptSignIn(app, form, 'ad', 'ad password 12', OWNER);
      assert.equal(half.statusCode, 200);
      assert.equal(sessionOf(half), '', 'no session after the password alone');
      assert.match(half.body, /six-digit code/);
      const wrong = await postStep(app, '/staff/login/code', half, { code: '000000' });
      assert.equal(wrong.statusCode, 401);
      assert.equal(sessionOf(wrong), '', 'no session with a wrong code');
      const done = await postStep(app, '/staff/login/code', half, { code: code() });
      assert.equal(done.statusCode, 303);
      assert.notEqual(sessionOf(done), '');
      // The same code again is refused (RFC 6238 §5.2), even with the right password.
      const replay = await attemptSignIn(app, form, 'ad', 'ad password 12', OWNER, code());
      assert.equal(replay.statusCode, 401);
      assert.equal(sessionOf(replay), '');

      // 80 guesses from 80 addresses, a few seconds apart: a handful of password checks (401),
      // the others wait (429) without one.
      clock += 60_000;
      const statuses: number[] = [];
      for (let i = 0; i < 80; i++) {
        clock += 250;
        const r = await attemptSignIn(
          app,
          form,
          'ad',
          `guess ${i}`,
          `203.0.${113 + (i >> 6)}.${i}`,
        );
        statuses.push(r.statusCode);
      }
      const checked = statuses.filter((s) => s === 401).length;
      console.log(`# 80 guesses from 80 addresses: ${checked} passwords checked`);
      assert.ok(checked <= 5, `${checked} passwords checked: ${statuses.join(' ')}`);
      assert.equal(statuses.filter((s) => s === 429).length, 80 - checked);
      // Guessing with codes from 80 more addresses: no code is right, so no password is checked,
      // whatever the password (here the right one).
      for (let i = 0; i < 80; i++) {
        const r = await attemptSignIn(
          app,
          form,
          'ad',
          'ad password 12',
          `192.0.2.${i}`,
          String(100000 + i * 7919).slice(0, 6),
        );
        assert.equal(r.statusCode, 401);
        assert.equal(sessionOf(r), '');
      }
      // The owner's password alone now waits like everyone's…
      clock += 30_000;
      assert.equal((await attemptSignIn(app, form, 'ad', 'ad password 12', OWNER)).statusCode, 429);
      // …but the password with the code gets through at once, from any address.
      const owner = await attemptSignIn(app, form, 'ad', 'ad password 12', '203.0.113.9', code());
      assert.equal(owner.statusCode, 303, 'the owner signs in during the attack');
      assert.notEqual(sessionOf(owner), '');

      await app.close();
      await store.close();
      for (const secret of ['ad password 12', 'guess 1', OWNER, '203.0.113.9', code()])
        assert.equal(logLines.join('').includes(secret), false, `${secret} in the logs`);
      if (dir !== undefined)
        seizedDirectoryHoldsNothing(dir, [OWNER, '203.0.113.7', '203.0.113.9', '192.0.2.7']);
    });

    test('40 guesses at once from one address get no more password checks than one after another', async () => {
      const { store } = make();
      await addStaff(store, ['mo', 'moderator']);
      const app = await buildApp({
        store,
        sequencer: noSequencer,
        vkey: 'x.example/log+00000000+AQ==',
        logger: createLogger({ write: () => {} }),
        // A fixed clock: a burst that crossed a minute or an hour would start a new window.
        now: () => Date.parse('2026-11-25T12:00:30Z'),
      });
      const form = await signInForm(app);
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) => attemptSignIn(app, form, 'mo', `burst ${i}`, OWNER)),
      );
      const statuses = burst.map((r) => r.statusCode);
      assert.equal(statuses.filter((s) => s === 401).length, 3, statuses.join(' '));
      assert.equal(statuses.filter((s) => s === 429).length, 37);
      await app.close();
      await store.close();
    });

    test('25 made-up usernames from a shared address do not keep the real volunteer out (TRUST_PROXY on and off)', async () => {
      for (const trustProxy of [false, 1] as const) {
        const { store } = make();
        await addStaff(store, ['vo', 'volunteer']);
        const clock = Date.parse('2026-11-25T12:00:00Z') + (trustProxy ? 90_000 : 0);
        const app = await buildApp({
          store,
          sequencer: noSequencer,
          vkey: 'x.example/log+00000000+AQ==',
          logger: createLogger({ write: () => {} }),
          now: () => clock,
          trustProxy,
        });
        // Behind the proxy every client is 127.0.0.1 without TRUST_PROXY; with it, the stranger
        // and the volunteer share one public address (an office, a VPN, a Tor exit).
        const shared: Record<string, string> = trustProxy
          ? { 'x-forwarded-for': '198.51.100.77' }
          : {};
        const form = await signInForm(app);
        const made = [];
        for (let i = 0; i < 25; i++)
          made.push(
            (await attemptSignIn(app, form, `nobody${i}`, 'password', '127.0.0.1', '', shared))
              .statusCode,
          );
        assert.ok(made.includes(429), `the stranger is slowed: ${made.join(' ')}`);
        const vo = await attemptSignIn(
          app,
          form,
          'vo',
          'vo password 12',
          '127.0.0.1',
          totpCode(totpKeyOf('vo'), clock),
          shared,
        );
        assert.equal(vo.statusCode, 303, `TRUST_PROXY=${trustProxy}: the volunteer signs in`);
        await app.close();
        await store.close();
      }
    });

    test('an account without a second factor sets one up before it gets a session; recovery codes work once', async () => {
      const { store, dir } = make();
      await addStaffWithoutSecondFactor(store, ['mo', 'moderator']);
      const clock = Date.parse('2026-11-25T12:00:00Z');
      const app = await buildApp({
        store,
        sequencer: noSequencer,
        vkey: 'x.example/log+00000000+AQ==',
        logger: createLogger({ write: () => {} }),
        now: () => clock,
        staffSecret: STAFF_SECRET,
      });
      const form = await signInForm(app);
      const enrol = await attemptSignIn(app, form, 'mo', 'mo password 12', OWNER);
      assert.equal(enrol.statusCode, 200);
      assert.equal(sessionOf(enrol), '', 'no session before the second factor is set up');
      assert.match(enrol.body, /<svg class="qr"/, 'the key as a QR code');
      const key = /<p class="mono" lang="en">([A-Z2-7 ]+)<\/p>/
        .exec(enrol.body)?.[1]
        ?.replaceAll(' ', '');
      assert.ok(key && key.length === 32, 'the key as text');
      const enrolment = /name="enrolment" value="([^"]+)"/.exec(enrol.body)?.[1] ?? '';
      // Without a session or a pending sign-in, an enrolment is refused.
      const stray = await app.inject({
        method: 'POST',
        url: '/staff/two-factor',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          csrf: 'x',
          enrolment,
          code: totpCode(key, clock),
        }).toString(),
      });
      assert.equal(stray.statusCode, 403);
      const bad = await postStep(app, '/staff/two-factor', enrol, { enrolment, code: '123456' });
      assert.equal(bad.statusCode, 401, 'a wrong code does not turn it on');
      assert.equal(sessionOf(bad), '');
      assert.equal((await store.site.staffUser('mo'))?.secondFactor, undefined);
      const on = await postStep(app, '/staff/two-factor', enrol, {
        enrolment,
        code: totpCode(key, clock),
      });
      assert.equal(on.statusCode, 200);
      assert.notEqual(sessionOf(on), '', 'signed in once the factor is confirmed');
      const codes = [
        ...on.body.matchAll(/<li>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/li>/g),
      ].map((m) => m[1] as string);
      assert.equal(codes.length, 10);
      const stored = (await store.site.staffUser('mo'))?.secondFactor ?? '';
      assert.ok(stored !== '' && !stored.includes(key), 'the key is stored sealed');

      // A recovery code signs in once.
      const recovery = codes[3] as string;
      const first = await attemptSignIn(
        app,
        form,
        'mo',
        'mo password 12',
        OWNER,
        recovery.toUpperCase(),
      );
      assert.equal(first.statusCode, 303);
      const again = await attemptSignIn(app, form, 'mo', 'mo password 12', OWNER, recovery);
      assert.equal(again.statusCode, 401, 'a recovery code works once');

      // Signed in, a member sets up a new factor: the old key and recovery codes stop working.
      const cookie = `tuidang_staff=${sessionOf(first)}`;
      const page = await app.inject({
        method: 'GET',
        url: '/staff/two-factor',
        headers: { cookie, 'accept-language': 'en' },
      });
      assert.match(page.body, /has a second factor/);
      const newKey =
        /<p class="mono" lang="en">([A-Z2-7 ]+)<\/p>/.exec(page.body)?.[1]?.replaceAll(' ', '') ??
        '';
      const replaced = await app.inject({
        method: 'POST',
        url: '/staff/two-factor',
        headers: {
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'accept-language': 'en',
        },
        payload: new URLSearchParams({
          csrf: csrfIn(page.body),
          enrolment: /name="enrolment" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
          code: totpCode(newKey, clock + 30_000),
        }).toString(),
      });
      assert.equal(replaced.statusCode, 200);
      assert.match(replaced.body, /Your recovery codes/);
      const old = await attemptSignIn(app, form, 'mo', 'mo password 12', OWNER, codes[5] as string);
      assert.equal(old.statusCode, 401, 'the old recovery codes are gone');
      const oldKey = await attemptSignIn(
        app,
        form,
        'mo',
        'mo password 12',
        OWNER,
        totpCode(key, clock - 30_000),
      );
      assert.equal(oldKey.statusCode, 401, 'the old key is gone');
      const newOne = await attemptSignIn(
        app,
        form,
        'mo',
        'mo password 12',
        OWNER,
        totpCode(newKey, clock),
      );
      assert.equal(newOne.statusCode, 303);

      // Five wrong codes after a right password end the pending sign-in.
      const half = await attemptSignIn(app, form, 'mo', 'mo password 12', OWNER);
      const tries = [];
      for (let i = 0; i < 6; i++)
        tries.push(
          (await postStep(app, '/staff/login/code', half, { code: `00000${i}` })).statusCode,
        );
      assert.deepEqual(tries, [401, 401, 401, 401, 401, 429]);
      await app.close();
      await store.close();
      if (dir !== undefined) {
        const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
        for (const secret of [key, ...codes, ...codes.map((c) => c.replaceAll('-', ''))])
          assert.equal(bytes.includes(secret), false, `${secret} in the data directory`);
      }
    });
  });
}

/**
 * What a seized SQLite data directory tells of sign-ins: no address in any file; throttle times
 * to the hour (failures) and the minute (waits); and no address key that the staff secret (from
 * the signing key, in the same directory) could recompute for a candidate address.
 */
function seizedDirectoryHoldsNothing(dir: string, addresses: readonly string[]): void {
  for (const file of readdirSync(dir)) {
    const bytes: Buffer = readFileSync(join(dir, file));
    for (const address of addresses)
      assert.equal(bytes.includes(address), false, `${address} in ${file}`);
  }
  const db = new DatabaseSync(join(dir, 'tuidang.db'), { readOnly: true });
  const rows = db.prepare('SELECT key, at, until FROM sign_in_throttle').all() as Array<{
    key: string;
    at: number;
    until: number;
  }>;
  // Sessions, sign-in audit rows and spent codes: to the hour.
  const hourly = [
    ...(db.prepare('SELECT expires AS t FROM staff_sessions').all() as Array<{ t: number }>),
    ...(db.prepare("SELECT at AS t FROM audit_log WHERE action = 'login'").all() as Array<{
      t: number;
    }>),
    ...(db.prepare('SELECT expires AS t FROM spent_tokens').all() as Array<{ t: number }>),
  ];
  db.close();
  assert.ok(hourly.length >= 3);
  for (const { t } of hourly)
    assert.equal(t % 3600, 0, `a sign-in time stored to the second: ${t}`);
  assert.ok(rows.length > 0);
  for (const r of rows) {
    assert.equal(r.at % 3600, 0, `a failure stored to the second: ${r.at}`);
    assert.equal(r.until % 60, 0, `a wait stored to the second: ${r.until}`);
  }
  const mac = (...parts: string[]) =>
    createHmac('sha256', STAFF_SECRET).update(parts.join('\0')).digest('base64url');
  const stored = new Set(rows.map((r) => r.key));
  for (const address of addresses)
    for (const key of [
      `address:${mac('address', address)}`,
      `pair:${mac('pair', 'ad', address)}`,
      `code:${mac('code', 'ad', address)}`,
    ])
      assert.equal(stored.has(key), false, 'an address key recomputed from the staff secret');
}
