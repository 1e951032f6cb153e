// The moderation queue over HTTP: oldest first and paged with a count, bulk approval, a question
// before reject and erase, a message after every action, strict entry numbers; the audit page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addStaff,
  awaitingModeration,
  type Staff,
  signIn,
  staffAppOptions,
} from '../../test/staff.ts';
import type { Publication } from '../registry/index.ts';
import { MemoryStore, type Store } from '../store/index.ts';
import { buildApp } from './app.ts';

const publication = (index: number): Publication => ({
  index,
  name: `name ${index}`,
  nameKind: 'alias',
  statement: `statement ${index}`,
  orgs: ['party'],
  day: '2026-11-25',
  language: 'en',
});

const publish = (store: Store, indexes: number[]) =>
  awaitingModeration(store, indexes.map(publication));

async function setUp(): Promise<{ store: MemoryStore; mo: Staff; admin: Staff }> {
  const store = new MemoryStore();
  await addStaff(store, ['mo', 'moderator'], ['ad', 'admin']);
  const app = await buildApp(staffAppOptions(store));
  return {
    store,
    mo: await signIn(app, 'mo', 'mo password 12'),
    admin: await signIn(app, 'ad', 'ad password 12'),
  };
}

const pendingIndexes = async (store: Store) =>
  (await store.site.moderationQueue(-1, 1000)).page.map((p) => p.index);

test('a flood of 100 does not hide older ones: oldest first, 20 a page, with the count', async () => {
  const { store, mo } = await setUp();
  await publish(store, [3, 8]);
  await publish(
    store,
    Array.from({ length: 100 }, (_, i) => 100 + i),
  );
  const first = await mo.get('/staff/');
  assert.equal(first.statusCode, 200);
  assert.match(first.body, /102 waiting, oldest first\. Shown here: 1 to 20\./);
  assert.ok(first.body.indexOf('statement 3') < first.body.indexOf('statement 8'));
  assert.match(first.body, /statement 117</);
  assert.doesNotMatch(first.body, /statement 118</);
  const next = /href="(\/staff\/\?after=117)" rel="next"/.exec(first.body)?.[1];
  assert.ok(next, 'a link to the newer ones');
  const second = await mo.get(next);
  assert.match(second.body, /Shown here: 21 to 40\./);
  assert.match(second.body, /statement 118</);
  assert.match(second.body, /href="\/staff\/">Back to the oldest/);
});

test('entry numbers are parsed strictly: a sentence and a 400, nothing changed', async () => {
  const { store, mo } = await setUp();
  await publish(store, [0, 7, 73, 1000]);
  for (const index of ['', '0x49', '1e3', ' 7', '7 ', '-0', '07', 'abc']) {
    const res = await mo.post('/staff/moderate', { index, action: 'approve' });
    assert.equal(res.statusCode, 400, JSON.stringify(index));
    assert.match(res.body, /An entry number must be written in digits only, such as 73\./);
  }
  const none = await mo.post('/staff/moderate', { action: 'approve' });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Select at least one statement first\./);
  const odd = await mo.post('/staff/moderate', { index: '7', action: 'delete' });
  assert.equal(odd.statusCode, 400);
  assert.match(odd.body, /This action does not exist/);
  assert.equal((await mo.get('/staff/?after=0x10')).statusCode, 400);
  assert.deepEqual(await pendingIndexes(store), [0, 7, 73, 1000], 'nothing acted on');
  assert.deepEqual(await store.site.auditLog(10).then((a) => a.map((e) => e.action)), [
    'login',
    'login',
  ]);
});

test('bulk approve, then a message; reject and erase ask first, then say what they did', async () => {
  const { store, mo } = await setUp();
  await publish(store, [4, 5, 6, 9]);
  const queue = await mo.get('/staff/');
  assert.match(queue.body, /<form method="post" action="\/staff\/moderate" id="bulk">/);
  assert.match(queue.body, /<input type="checkbox" name="index" value="5" form="bulk"/);

  const bulk = await mo.post('/staff/moderate', { action: 'approve', index: ['4', '6', '4'] });
  assert.equal(bulk.statusCode, 303);
  assert.equal(bulk.headers.location, '/staff/?done=approve&n=2');
  assert.match((await mo.get(String(bulk.headers.location))).body, /2 statements approved\./);
  assert.deepEqual(await pendingIndexes(store), [5, 9]);

  for (const [action, question, yes, done] of [
    ['reject', /Reject these statements\?/, 'Yes, reject', /One statement rejected\./],
    ['erase', /Erase these statements for good\?/, 'Yes, erase for good', /One statement erased/],
  ] as const) {
    const index = action === 'reject' ? '5' : '9';
    const ask = await mo.post('/staff/moderate', { action, index });
    assert.equal(ask.statusCode, 200, `${action}: a question, not the action`);
    assert.match(ask.body, question);
    assert.match(ask.body, new RegExp(`statement ${index}`));
    assert.match(ask.body, /<input type="hidden" name="confirm" value="yes">/);
    assert.ok(ask.body.includes(yes));
    assert.ok((await pendingIndexes(store)).includes(Number(index)), 'still waiting');
    const did = await mo.post('/staff/moderate', { action, index, confirm: 'yes' });
    assert.equal(did.statusCode, 303);
    assert.match((await mo.get(String(did.headers.location))).body, done);
  }
  assert.deepEqual(await pendingIndexes(store), []);
  assert.deepEqual((await store.site.publications({ status: 'rejected', limit: 5 }))[0]?.index, 5);
  const again = await mo.post('/staff/moderate', { action: 'approve', index: '9' });
  assert.match(
    (await mo.get(String(again.headers.location))).body,
    /One was no longer waiting: another moderator may have dealt with it\./,
  );
  assert.deepEqual(
    (await store.site.auditLog(10)).slice(0, 3).map((e) => [e.username, e.action, e.target]),
    [
      ['mo', 'erase', '9'],
      ['mo', 'reject', '5'],
      ['mo', 'approve', '4,6'],
    ],
  );
  const out = await mo.post('/staff/logout', {});
  assert.equal(out.headers.location, '/staff/?out=1');
  assert.match((await mo.get('/staff/?out=1')).body, /You are signed out\./);
});

test('the audit log is a page for administrators, 50 a page, newest first', async () => {
  const { store, mo, admin } = await setUp();
  for (let i = 0; i < 60; i++)
    await store.site.recordAudit({
      at: 1764072000 + i,
      username: 'mo',
      action: 'approve',
      target: String(i),
    });
  const refused = await mo.get('/staff/audit');
  assert.equal(refused.statusCode, 403);
  assert.match(refused.body, /This page is for administrators\./);
  const first = await admin.get('/staff/audit');
  assert.equal(first.statusCode, 200);
  assert.match(first.body, /<td class="mono">59<\/td>/);
  assert.doesNotMatch(first.body, /<td class="mono">9<\/td>/, 'two sign-ins and 48 of them');
  const older = /href="(\/staff\/audit\?before=\d+)" rel="next"/.exec(first.body)?.[1];
  assert.ok(older);
  const second = await admin.get(older);
  assert.match(second.body, /<td class="mono">9<\/td>/);
  assert.match(second.body, /signed in/);
  assert.doesNotMatch(second.body, /rel="next"/);
  assert.equal((await admin.get('/staff/audit?before=1e3')).statusCode, 400);
  assert.match(first.body, /href="\/staff\/audit"[^>]*>Audit log/, 'admins see the link');
  assert.doesNotMatch((await mo.get('/staff/')).body, /href="\/staff\/audit"/);
});
