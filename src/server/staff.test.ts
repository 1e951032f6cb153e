// Staff sign-in and moderation over HTTP: cookies, CSRF, backoff, roles, the audit log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addStaff,
  addStaffWithoutSecondFactor,
  attemptSignIn,
  awaitingModeration,
  cookiesOf,
  cookieValue,
  csrfIn,
  csvFormIn,
  receiptsIn,
  signIn,
  signInForm,
  staffAppOptions,
  totpKeyOf,
} from '../../test/staff.ts';
import { MemoryStore } from '../store/index.ts';
import { en } from '../web/messages/en.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { totpCode } from './second-factor.ts';

const value = cookieValue;

test('staff: sign in with a CSRF-protected form, moderate, every action audited, sign out', async () => {
  const store = new MemoryStore();
  await addStaff(store, ['mo', 'moderator']);
  await addStaffWithoutSecondFactor(store, ['vo', 'volunteer']);
  const logLines: string[] = [];
  let clock = Date.parse('2026-11-25T12:00:00Z');
  const app = await buildApp(
    staffAppOptions(store, {
      logger: createLogger({ write: (l: string) => logLines.push(l) }),
      now: () => clock,
      // Volunteers may sign in with a password alone here (TUIDANG_VOLUNTEER_2FA=optional).
      volunteerSecondFactor: false,
    }),
  );
  const login = async (username: string, password: string, csrfOverride?: string, code = '') => {
    const form = await signInForm(app);
    const csrf = csrfOverride ?? form.csrf;
    return attemptSignIn(app, { ...form, csrf }, username, password, '198.51.100.9', code);
  };

  assert.equal((await login('mo', 'mo password 12', 'forged')).statusCode, 403, 'login CSRF');
  const failed = await login('mo', 'wrong password');
  assert.equal(failed.statusCode, 401);
  assert.match(failed.body, /username or the password is wrong/);
  await login('mo', 'wrong again');
  await login('mo', 'and again');
  const waiting = await login('mo', 'mo password 12');
  assert.equal(waiting.statusCode, 429, 'after three failures the right password waits too');
  assert.match(waiting.body, /wait \d+ seconds?\b/);
  clock += 60_000;

  const password = await login('mo', 'mo password 12');
  assert.equal(password.statusCode, 200, 'a right password alone asks for the code');
  assert.equal(
    cookiesOf(password).some((c) => c.startsWith('tuidang_staff=')),
    false,
  );
  const ok = await login('mo', 'mo password 12', undefined, totpCode(totpKeyOf('mo'), clock));
  assert.equal(ok.statusCode, 303);
  const sessionCookie = cookiesOf(ok).find((c) => c.startsWith('tuidang_staff=')) ?? '';
  assert.match(sessionCookie, /HttpOnly/);
  assert.match(sessionCookie, /SameSite=Strict/);
  assert.match(sessionCookie, /Path=\/staff/);
  const cookie = `tuidang_staff=${value([sessionCookie], 'tuidang_staff')}`;

  // A consented statement waits; the moderator approves it from the queue.
  await awaitingModeration(store, [
    {
      index: 7,
      name: 'Lin',
      nameKind: 'alias',
      statement: 'statement to review',
      orgs: ['party'],
      day: '2026-11-25',
      language: 'en',
    },
  ]);
  const queue = await app.inject({
    method: 'GET',
    url: '/staff/',
    headers: { cookie, 'accept-language': 'en' },
  });
  assert.equal(queue.statusCode, 200);
  assert.match(queue.body, /statement to review/);
  const moderate = (csrf: string) =>
    app.inject({
      method: 'POST',
      url: '/staff/moderate',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrf, index: '7', action: 'approve' }).toString(),
    });
  assert.equal((await moderate('forged')).statusCode, 403, 'CSRF on every staff form');
  assert.equal((await store.site.publications({ limit: 5 })).length, 0);
  assert.equal((await moderate(csrfIn(queue.body))).statusCode, 303);
  assert.equal((await store.site.publications({ limit: 5 }))[0]?.statement, 'statement to review');

  await awaitingModeration(store, [
    {
      index: 8,
      name: 'Zhou',
      nameKind: 'real',
      statement: 'I work at the police station on 5 Main Road',
      orgs: ['party'],
      day: '2026-11-25',
      language: 'en',
    },
  ]);
  const redact = await app.inject({
    method: 'POST',
    url: '/staff/moderate',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      csrf: csrfIn(queue.body),
      index: '8',
      action: 'redact',
      statement: 'I work at […]',
    }).toString(),
  });
  assert.equal(redact.statusCode, 303);
  assert.deepEqual(
    (await store.site.publications({ limit: 5 })).map((p) => p.statement),
    ['I work at […]', 'statement to review'],
  );
  assert.equal((await store.site.auditLog(1))[0]?.action, 'redact');
  await store.site.recordAudit({ at: 0, username: 'test', action: 'marker', target: '' });
  const audit = await store.site.auditLog(10);
  assert.deepEqual(
    audit.map((e) => [e.username, e.action, e.target]),
    [
      ['test', 'marker', ''],
      ['mo', 'redact', '8'],
      ['mo', 'approve', '7'],
      ['mo', 'login', ''],
    ],
  );
  assert.equal(JSON.stringify(audit).includes('Lin'), false, 'no personal data in the audit log');

  assert.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/staff/logout',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `csrf=${csrfIn(queue.body)}`,
      })
    ).statusCode,
    303,
  );
  const after = await app.inject({
    method: 'GET',
    url: '/staff/',
    headers: { cookie, 'accept-language': 'en' },
  });
  assert.match(after.body, /Sign in/, 'the session is gone');

  const volunteer = await login('vo', 'vo password 12');
  const vcookie = `tuidang_staff=${value(cookiesOf(volunteer), 'tuidang_staff')}`;
  const home = await app.inject({ method: 'GET', url: '/staff/', headers: { cookie: vcookie } });
  assert.equal(home.statusCode, 303, 'volunteers do not moderate: they go to the declaration form');
  assert.equal(home.headers.location, '/staff/declare');
  const tried = await app.inject({
    method: 'POST',
    url: '/staff/moderate',
    headers: { cookie: vcookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'csrf=x&index=7&action=erase',
  });
  assert.equal(tried.statusCode, 403);

  for (const secret of ['mo password 12', 'wrong password', '198.51.100.9', 'Lin']) {
    assert.equal(logLines.join('').includes(secret), false, `${secret} in the logs`);
  }
  const visitor = await app.inject({ method: 'GET', url: '/en/' });
  assert.equal(visitor.headers['set-cookie'], undefined, 'visitors get no cookie');
});

test('volunteers declare on behalf of others, one by one or from CSV, and get the receipts to print', async () => {
  const { ed25519Signer } = await import('../log/index.ts');
  const { decodeBase64 } = await import('../log/index.ts');
  const { decodeEntry } = await import('../registry/index.ts');
  const { Sequencer } = await import('../sequencer/index.ts');
  const store = new MemoryStore();
  await addStaffWithoutSecondFactor(store, ['vo', 'volunteer']);
  const real = await Sequencer.open(store, {
    origin: 'v.example/log',
    signer: ed25519Signer('v.example/log', new Uint8Array(32).fill(8)),
    delayMs: 0,
  });
  const app = await buildApp({
    store,
    sequencer: real,
    vkey: 'v.example/log+00000000+AQ==',
    logger: createLogger({ write: () => {} }),
    volunteerSecondFactor: false,
  });
  const signedIn = await attemptSignIn(app, await signInForm(app), 'vo', 'vo password 12');
  const cookie = `tuidang_staff=${value(cookiesOf(signedIn), 'tuidang_staff')}`;
  const form = await app.inject({
    method: 'GET',
    url: '/staff/declare',
    headers: { cookie, 'accept-language': 'en' },
  });
  assert.equal(form.statusCode, 200);
  // The consent is the caller's, asked by the volunteer; no name kind is chosen for them.
  assert.ok(form.body.includes(en['form.publishCaller']));
  assert.doesNotMatch(form.body, /type="radio"[^>]* checked/);
  const csrf = csrfIn(form.body);

  const one = await app.inject({
    method: 'POST',
    url: '/staff/declare',
    headers: {
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'accept-language': 'en',
    },
    payload: new URLSearchParams({
      csrf,
      channel: 'phone',
      rows: '1',
      'd0.name': 'Caller',
      'd0.nameKind': 'alias',
      'd0.orgs': 'league',
      action: 'declare',
    }).toString(),
  });
  assert.equal(one.statusCode, 200);
  const [r] = receiptsIn(one.body);
  assert.ok(r);
  const entry = decodeEntry(decodeBase64(r.entry) as Uint8Array);
  assert.equal(entry.kind === 'declaration' && entry.channel, 'phone');

  const csv =
    'name,nameKind,orgs,region\nA,alias,party;league,CN-GD\nB,real,,\nC,alias,pioneers,\n';
  const batch = await app.inject({
    method: 'POST',
    url: '/staff/declare-csv',
    headers: {
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'accept-language': 'en',
    },
    payload: new URLSearchParams({
      csrf,
      channel: 'centre',
      csv,
      key: csvFormIn(form.body).key,
    }).toString(),
  });
  assert.equal(batch.statusCode, 207);
  assert.match(batch.body, /Line 3 was not declared/);
  const print = await app.inject({
    method: 'POST',
    url: '/staff/declare-csv/receipts',
    headers: {
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'accept-language': 'en',
    },
    payload: new URLSearchParams({ csrf, ...csvFormIn(batch.body), page: '0' }).toString(),
  });
  const receipts = receiptsIn(print.body);
  assert.equal(receipts.length, 2);
  assert.ok(
    receipts.every((x) => {
      const e = decodeEntry(decodeBase64(x.entry) as Uint8Array);
      return e.kind === 'declaration' && e.channel === 'centre';
    }),
  );
  assert.equal((await store.state()).totals.registered.channels.centre, 2);
  const audit = await store.site.auditLog(10);
  assert.deepEqual(
    audit.filter((a) => a.action === 'declare').map((a) => a.username),
    ['vo', 'vo'],
  );
  assert.equal(JSON.stringify(audit).includes('Caller'), false);
  const forged = await app.inject({
    method: 'POST',
    url: '/staff/declare-csv',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ csrf: 'x', channel: 'centre', csv }).toString(),
  });
  assert.equal(forged.statusCode, 403);
  await real.close();
});

test('the family form for others: the channel chosen, receipts addressed to the volunteer under the staff bar, a reload audited once, the audit log dated to the hour', async () => {
  const { ed25519Signer } = await import('../log/index.ts');
  const { Sequencer } = await import('../sequencer/index.ts');
  const store = new MemoryStore();
  await addStaff(store, ['vo', 'volunteer'], ['ad', 'admin']);
  const real = await Sequencer.open(store, {
    origin: 'v.example/log',
    signer: ed25519Signer('v.example/log', new Uint8Array(32).fill(8)),
    delayMs: 0,
  });
  const now = Date.UTC(2026, 11, 2, 10, 15);
  const app = await buildApp({
    store,
    sequencer: real,
    vkey: 'v.example/log+00000000+AQ==',
    logger: createLogger({ write: () => {} }),
    now: () => now,
  });
  const vo = await signIn(app, 'vo', 'vo password 12', undefined, now);
  const form = await vo.get('/staff/declare', 'zh-CN');
  // No channel is chosen for the volunteer, on either form.
  assert.equal([...form.body.matchAll(/<option value="" selected>请选择<\/option>/g)].length, 2);
  assert.doesNotMatch(form.body, /<option value="phone" selected>/);
  assert.match(form.body, /<footer>\s*<p>工作人员页面为登录使用一个 Cookie/);
  assert.doesNotMatch(form.body, /不用 Cookie，不做追踪/, 'staff pages do not say "no cookies"');
  const key = /name="key" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const family = {
    rows: '2',
    key,
    'd0.name': '王小明',
    'd0.nameKind': 'alias',
    'd0.orgs': 'party',
    'd1.name': '李华',
    'd1.nameKind': 'real',
    'd1.orgs': ['league', 'pioneers'],
    action: 'declare',
  };
  const unchosen = await vo.post('/staff/declare', family, 'zh-CN');
  assert.equal(unchosen.statusCode, 400);
  assert.match(unchosen.body, /没有记录任何内容：请先选择这些声明是怎样收到的/);
  assert.match(unchosen.body, /value="王小明"/, 'the people stay in the form');
  assert.equal((await store.state()).treeSize, 0);
  // Adding a person needs no channel yet.
  const added = await vo.post('/staff/declare', { ...family, action: 'add' }, 'zh-CN');
  assert.equal(added.statusCode, 200);
  assert.match(added.body, /name="d2\.name"/);

  const sent = { ...family, channel: 'volunteer' };
  const first = await vo.post('/staff/declare', sent, 'zh-CN');
  assert.equal(first.statusCode, 200);
  assert.equal(receiptsIn(first.body).length, 2);
  assert.match(first.body, /<nav class="staff"/, 'the staff bar');
  assert.match(first.body, /<h1>已为 2 人登记<\/h1>/);
  assert.doesNotMatch(first.body, /您的声明|他们的回执在下面/);
  // The browser's reload sends the same form: the same receipts, logged and audited once.
  const reload = await vo.post('/staff/declare', sent, 'zh-CN');
  assert.equal(reload.statusCode, 200);
  assert.deepEqual(receiptsIn(reload.body), receiptsIn(first.body));
  assert.equal((await store.state()).treeSize, 2);
  const declared = (await store.site.auditLog(10)).filter((a) => a.action === 'declare');
  assert.equal(declared.length, 1, 'one audit row for one declaration');
  const english = await vo.post('/staff/declare', {
    rows: '1',
    key: /name="key" value="([^"]+)"/.exec((await vo.get('/staff/declare')).body)?.[1] ?? '',
    'd0.name': 'Li',
    'd0.nameKind': 'alias',
    'd0.orgs': 'party',
    channel: 'phone',
    action: 'declare',
  });
  assert.match(english.body, /<h1>Recorded for 1 person<\/h1>/);
  assert.doesNotMatch(english.body, /Your declaration/);

  const ad = await signIn(app, 'ad', 'ad password 12', undefined, now);
  const audit = await ad.get('/staff/audit');
  assert.equal(audit.statusCode, 200);
  // Stored on the hour on purpose: shown as the hour they fell in, and said so.
  assert.match(
    audit.body,
    /2026-12-02 10:00–11:00<\/time><\/td><td>vo<\/td><td>declared for others/,
  );
  assert.doesNotMatch(audit.body, /10:00<\/time><\/td><td>vo<\/td><td>declared/);
  assert.match(audit.body, /Times are kept to the hour only/);
  assert.doesNotMatch(
    audit.body,
    /<time[^>]*>[^<–]*<\/time>/,
    'no row shown at a time nothing happened at',
  );
  assert.match(audit.body, /Staff pages use one cookie/);
  await real.close();
});
