// The SiteStore contract (store.ts), one suite for every backend: publications and moderation,
// staff accounts and sessions, the audit log, newsletter subscribers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { append, backends, unreachablePostgres } from '../../test/stores.ts';
import { ownerTag } from '../registry/index.ts';
import { type Store, StoreError } from './store.ts';

const pub = (
  index: number,
  statement: string,
  orgs: string[],
  region: string | undefined,
  day: string,
) =>
  ({
    index,
    name: `n${index}`,
    nameKind: 'alias',
    statement,
    orgs,
    region,
    day,
    language: 'zh-Hans',
    ownerTag: ownerTag(new Uint8Array(32).fill(index)),
  }) as const;

for (const [name, make] of backends) {
  describe(`${name} site store`, () => {
    test('publications: stored with their commit, found by text, organisation, province and year, newest first', async () => {
      const { store } = make();
      await append(store, 3, {
        publications: [
          pub(0, '我声明退出共青团', ['league'], 'CN-GD', '2025-03-01'),
          pub(2, 'I withdraw from the Party', ['party', 'league'], undefined, '2026-11-25'),
        ],
      });
      const find = async (q: Partial<Parameters<Store['site']['publications']>[0]>) =>
        (await store.site.publications({ limit: 10, ...q })).map((p) => p.index);
      assert.deepEqual(await find({}), [], 'nothing is shown before moderation');
      assert.deepEqual(await find({ status: 'pending' }), [2, 0]);
      assert.equal(await store.site.moderate(0, { status: 'approved' }, 1000), true);
      assert.equal(await store.site.moderate(2, { status: 'approved' }, 2000), true);
      assert.equal(
        await store.site.moderate(1, { status: 'approved' }),
        false,
        'no publication at 1',
      );
      assert.deepEqual(await find({}), [2, 0]);
      assert.deepEqual(await find({ text: '共青团' }), [0]);
      assert.deepEqual(await find({ text: 'PARTY' }), [2]);
      assert.deepEqual(await find({ text: 'n0' }), [0]);
      assert.deepEqual(await find({ org: 'league' }), [2, 0]);
      assert.deepEqual(await find({ org: 'party' }), [2]);
      assert.deepEqual(await find({ region: 'CN-GD' }), [0]);
      assert.deepEqual(await find({ year: 2026 }), [2]);
      assert.deepEqual(await find({ before: 2 }), [0]);
      assert.deepEqual(await find({ limit: 1 }), [2]);
      const [first] = await store.site.publications({ limit: 1, before: 1 });
      assert.deepEqual(first, {
        index: 0,
        name: 'n0',
        nameKind: 'alias',
        statement: '我声明退出共青团',
        orgs: ['league'],
        region: 'CN-GD',
        day: '2025-03-01',
        language: 'zh-Hans',
        status: 'approved',
        approvedAt: 1000,
      });
      // A moderator redacts one and rejects the other; the declarant erases theirs with the salt.
      assert.equal(
        await store.site.moderate(0, { status: 'approved', statement: '我声明退出[…]' }),
        true,
      );
      assert.equal(
        (await store.site.publications({ limit: 1, before: 1 }))[0]?.statement,
        '我声明退出[…]',
      );
      assert.equal(await store.site.moderate(2, { status: 'rejected' }), true);
      assert.deepEqual(await find({}), [0]);
      assert.deepEqual(await find({ status: 'rejected' }), [2]);
      assert.equal(
        await store.site.erasePublication(0, ownerTag(new Uint8Array(32).fill(9))),
        false,
        'another salt',
      );
      assert.equal(
        await store.site.erasePublication(0, ownerTag(new Uint8Array(32).fill(0))),
        true,
      );
      assert.equal(
        await store.site.erasePublication(2),
        true,
        'a moderator erases without the salt',
      );
      assert.deepEqual([...(await find({})), ...(await find({ status: 'rejected' }))], []);
      await store.close();
    });

    test('staff: accounts, sessions with the current role until they expire, the audit log', async () => {
      const { store } = make();
      assert.equal(
        await store.site.createStaffUser({
          username: 'mo',
          role: 'moderator',
          passwordHash: '$argon2id$x',
        }),
        true,
      );
      assert.equal(
        await store.site.createStaffUser({
          username: 'mo',
          role: 'admin',
          passwordHash: '$argon2id$y',
        }),
        false,
        'taken',
      );
      assert.deepEqual(await store.site.staffUser('mo'), {
        username: 'mo',
        role: 'moderator',
        passwordHash: '$argon2id$x',
      });
      assert.equal(await store.site.staffUser('nobody'), undefined);
      // Kept on the hour: an expiry at 2,000 s is kept as 3,600 (no second of a sign-in).
      await store.site.createStaffSession('hash1', { username: 'mo', csrf: 'c1', expires: 2000 });
      assert.deepEqual(await store.site.staffSession('hash1', 1000), {
        username: 'mo',
        role: 'moderator',
        csrf: 'c1',
        expires: 3600,
      });
      assert.equal(await store.site.staffSession('hash1', 3600), undefined, 'expired');
      assert.equal(await store.site.staffSession('other', 1000), undefined);
      await store.site.deleteStaffSession('hash1');
      assert.equal(await store.site.staffSession('hash1', 1000), undefined);
      await store.site.recordAudit({ at: 1, username: 'mo', action: 'approve', target: '12' });
      await store.site.recordAudit({ at: 2, username: 'mo', action: 'erase', target: '13' });
      await store.site.recordAudit({ at: 7300, username: 'mo', action: 'login', target: '' });
      assert.deepEqual(
        (await store.site.auditLog(10)).map((e) => [e.action, e.at]),
        [
          ['login', 7200],
          ['erase', 0],
          ['approve', 0],
        ],
        'every audit time on the hour, whatever its action',
      );
      await store.close();
    });

    test('moderation queue: oldest first, paged after an index, with the number pending', async () => {
      const { store } = make();
      const { totals } = await store.state();
      await store.commit({
        oldSize: 0,
        newSize: 0,
        tiles: [],
        checkpoint: 'x',
        totals,
        voided: [],
        // A flood of newer publications after two older ones.
        publications: [5, 9, ...Array.from({ length: 100 }, (_, i) => 200 + i)].map((index) => ({
          index,
          name: `n${index}`,
          nameKind: 'alias',
          statement: `s${index}`,
          orgs: ['party'],
          day: '2026-11-25',
          language: 'en',
        })),
      });
      await store.site.moderate(9, { status: 'approved' });
      const first = await store.site.moderationQueue(-1, 20);
      assert.equal(first.total, 101);
      assert.deepEqual(
        first.page.slice(0, 3).map((p) => [p.index, p.statement, p.status]),
        [
          [5, 's5', 'pending'],
          [200, 's200', 'pending'],
          [201, 's201', 'pending'],
        ],
      );
      assert.equal(first.page.length, 20);
      assert.equal(first.before, 0);
      const next = await store.site.moderationQueue(first.page.at(-1)?.index ?? 0, 20);
      assert.equal(next.page[0]?.index, 219);
      assert.equal(next.before, 20);
      assert.equal(next.total, 101);
      assert.equal((await store.site.moderationQueue(299, 20)).page.length, 0);
      await store.close();
    });

    test('audit log pages newest first by id', async () => {
      const { store } = make();
      for (let i = 1; i <= 7; i++)
        await store.site.recordAudit({
          at: i,
          username: 'mo',
          action: 'approve',
          target: String(i),
        });
      const page = await store.site.auditLog(3);
      assert.deepEqual(
        page.map((e) => e.target),
        ['7', '6', '5'],
      );
      const older = await store.site.auditLog(3, page.at(-1)?.id);
      assert.deepEqual(
        older.map((e) => e.target),
        ['4', '3', '2'],
      );
      assert.deepEqual(
        (await store.site.auditLog(3, older.at(-1)?.id)).map((e) => e.target),
        ['1'],
      );
      await store.close();
    });

    test('staff second factors: sealed secret and recovery codes set together, codes used once, a reset ends the sessions', async () => {
      const { store } = make();
      await store.site.createStaffUser({
        username: 'mo',
        role: 'moderator',
        passwordHash: '$argon2id$x',
      });
      assert.equal(await store.site.setSecondFactor('nobody', 'sealed', ['h1']), false);
      assert.equal(await store.site.setSecondFactor('mo', 'sealed', ['h1', 'h2']), true);
      assert.equal((await store.site.staffUser('mo'))?.secondFactor, 'sealed');
      assert.equal(await store.site.useRecoveryCode('mo', 'h1'), true);
      assert.equal(await store.site.useRecoveryCode('mo', 'h1'), false, 'once');
      assert.equal(await store.site.useRecoveryCode('other', 'h2'), false, "another account's");
      // A new factor replaces the old codes.
      await store.site.setSecondFactor('mo', 'sealed2', ['h3']);
      assert.equal(await store.site.useRecoveryCode('mo', 'h2'), false);
      await store.site.createStaffSession('s1', { username: 'mo', csrf: 'c', expires: 5000 });
      assert.notEqual(
        await store.site.staffSession('s1', 1000),
        undefined,
        'setting keeps sessions',
      );
      assert.equal(await store.site.setSecondFactor('mo', undefined, []), true);
      assert.deepEqual(await store.site.staffUser('mo'), {
        username: 'mo',
        role: 'moderator',
        passwordHash: '$argon2id$x',
      });
      assert.equal(await store.site.useRecoveryCode('mo', 'h3'), false);
      assert.equal(
        await store.site.staffSession('s1', 1000),
        undefined,
        'a reset ends the sessions',
      );
      await store.close();
    });

    test('sign-in throttle: check and count in one step, even for concurrent attempts', async () => {
      const { store } = make();
      // Three failures free, then a wait that doubles; per key.
      const throttle = {
        wait: (_key: string, failures: number) => (failures < 3 ? 0 : 2 ** (failures - 3) * 60),
        forgetSeconds: 86_400,
      };
      const burst = (keys: string[], now: number) =>
        Promise.all(
          Array.from({ length: 40 }, () => store.site.attemptSignIn(keys, now, throttle)),
        );
      const allowed = (waits: number[]) => waits.filter((w) => w === 0).length;
      // Times on the hour: a failure is stored to the hour, the end of a wait to the minute.
      assert.equal(allowed(await burst(['pair:a', 'addr:a'], 7200)), 3, 'three tries, not 40');
      assert.equal(await store.site.attemptSignIn(['pair:a'], 7230, throttle), 30);
      assert.equal(await store.site.attemptSignIn(['pair:b'], 7230, throttle), 0, 'another key');
      assert.equal(allowed(await burst(['pair:a', 'addr:a'], 7260)), 1, 'after the wait: one');
      assert.equal(
        await store.site.attemptSignIn(['pair:a'], 7261, throttle),
        119,
        'then it doubles',
      );
      // A success forgets the account's failures and takes back the one counted on the address:
      // its three earlier failures still make it wait, to the end of the running wait.
      await store.site.forgiveSignIn(['pair:a'], ['addr:a'], throttle);
      assert.equal(await store.site.attemptSignIn(['pair:a'], 7262, throttle), 0);
      assert.equal(await store.site.attemptSignIn(['addr:a'], 7262, throttle), 118);
      await store.site.forgiveSignIn([], ['addr:a', 'addr:none'], throttle);
      assert.equal(
        await store.site.attemptSignIn(['addr:a'], 7262, throttle),
        0,
        'two failures are free',
      );
      assert.equal(
        await store.site.attemptSignIn(['addr:a'], 7200 + 86_400 + 61, throttle),
        0,
        'failures are forgotten after a day',
      );
      // A wait ends on a whole minute, never sooner than asked.
      await store.site.attemptSignIn(['pair:c'], 7201, throttle);
      await store.site.attemptSignIn(['pair:c'], 7201, throttle);
      await store.site.attemptSignIn(['pair:c'], 7201, throttle);
      assert.equal(await store.site.attemptSignIn(['pair:c'], 7202, throttle), 118);
      await store.close();
    });

    test('approved publications: newest approval first, paged by approval, with their approval time', async () => {
      const { store } = make();
      await append(store, 5, {
        publications: [0, 1, 2, 3, 4].map((i) =>
          pub(i, `s${i}`, ['party'], undefined, '2026-11-25'),
        ),
      });
      // Approved in another order than declared; 0 and 3 in the same second.
      await store.site.moderate(2, { status: 'approved' }, 100);
      await store.site.moderate(0, { status: 'approved' }, 200);
      await store.site.moderate(3, { status: 'approved' }, 200);
      await store.site.moderate(1, { status: 'approved' }, 50);
      await store.site.moderate(4, { status: 'rejected' }, 300);
      const list = async (q: {
        olderThan?: { approvedAt: number; index: number };
        limit?: number;
      }) =>
        (await store.site.publications({ limit: 10, ...q })).map((p) => [p.index, p.approvedAt]);
      assert.deepEqual(await list({}), [
        [3, 200],
        [0, 200],
        [2, 100],
        [1, 50],
      ]);
      assert.deepEqual(await list({ limit: 2 }), [
        [3, 200],
        [0, 200],
      ]);
      assert.deepEqual(await list({ olderThan: { approvedAt: 200, index: 0 } }), [
        [2, 100],
        [1, 50],
      ]);
      assert.deepEqual(await list({ olderThan: { approvedAt: 200, index: 3 } }), [
        [0, 200],
        [2, 100],
        [1, 50],
      ]);
      // A redaction approves again: the first approval time stays. A rejection keeps it too.
      await store.site.moderate(1, { status: 'approved', statement: '[…]' }, 400);
      assert.deepEqual((await list({}))[3], [1, 50]);
      const [rejected] = await store.site.publications({ limit: 1, status: 'rejected' });
      assert.equal(rejected?.approvedAt, undefined, 'never approved');
      await store.site.moderate(4, { status: 'approved' }, 500);
      assert.deepEqual((await list({}))[0], [4, 500], 'approved after a rejection: new');
      await store.close();
    });

    test('the public lists: only the months asked for, newest month first, then by owner tag', async () => {
      const { store } = make();
      const days = [
        '2026-10-03',
        '2026-11-30',
        '2026-11-01',
        '2026-12-02',
        '2026-11-15',
        '2026-10-31',
      ];
      await append(store, days.length, {
        publications: days.map((day, i) => pub(i, `s${i}`, ['party'], undefined, day)),
      });
      // Approved in entry order, as a moderator going down the queue would.
      for (const i of days.keys()) await store.site.moderate(i, { status: 'approved' }, 100 + i);
      const tag = (i: number) => Buffer.from(ownerTag(new Uint8Array(32).fill(i))).toString('hex');
      const byTag = (a: number, b: number) => (tag(a) < tag(b) ? -1 : 1);
      const list = async (months: string[], offset = 0, limit = 10) =>
        (await store.site.publications({ months, offset, limit })).map((p) => p.index);
      assert.deepEqual(await list(['2026-11', '2026-10']), [
        ...[1, 2, 4].sort(byTag),
        ...[0, 5].sort(byTag),
      ]);
      assert.deepEqual(await list(['2026-11', '2026-10'], 2, 2), [
        ...[1, 2, 4].sort(byTag).slice(2),
        ...[0, 5].sort(byTag).slice(0, 1),
      ]);
      assert.deepEqual(await list([]), [], 'no month holds enough declarations');
      assert.deepEqual(await list(['2026-12']), [3]);
      // By owner tag: what a receipt's holder may see of their own, and nobody else.
      const owned = async (fill: number) =>
        (
          await store.site.publications({
            owner: ownerTag(new Uint8Array(32).fill(fill)),
            limit: 10,
          })
        ).map((p) => p.index);
      assert.deepEqual(await owned(2), [2]);
      assert.deepEqual(await owned(99), []);
      await store.close();
    });

    test('subscribers: pending until confirmed; a confirmed address stays; paged in id order', async () => {
      const { store } = make();
      const a = await store.site.subscribe('a@example.org', 'v1', 1000);
      assert.deepEqual(a, {
        id: a.id,
        email: 'a@example.org',
        status: 'pending',
        termsVersion: 'v1',
        expires: 1000,
      });
      assert.deepEqual(await store.site.subscriber(a.id), a);
      assert.equal(await store.site.subscriber(a.id + 1000), undefined);
      const again = await store.site.subscribe('a@example.org', 'v2', 2000);
      assert.equal(again.id, a.id, 'the same address keeps its id');
      assert.deepEqual([again.status, again.termsVersion, again.expires], ['pending', 'v2', 2000]);
      assert.equal(await store.site.setSubscriberStatus(a.id, 'confirmed'), true);
      assert.equal(await store.site.setSubscriberStatus(a.id + 1000, 'confirmed'), false);
      const kept = await store.site.subscribe('a@example.org', 'v3', 3000);
      assert.deepEqual(
        [kept.status, kept.termsVersion, kept.expires],
        ['confirmed', 'v2', 2000],
        'confirmed stays as it is',
      );
      const b = await store.site.subscribe('b@example.org', 'v1', 1000);
      const c = await store.site.subscribe('c@example.org', 'v1', 1000);
      await store.site.setSubscriberStatus(c.id, 'confirmed');
      assert.equal((await store.site.subscriber(b.id))?.status, 'pending');
      const ids = async (after: number, limit: number) =>
        (await store.site.confirmedSubscribers(after, limit)).map((s) => s.email);
      assert.deepEqual(await ids(0, 10), ['a@example.org', 'c@example.org']);
      assert.deepEqual(await ids(0, 1), ['a@example.org']);
      assert.deepEqual(await ids(a.id, 10), ['c@example.org']);
      await store.site.setSubscriberStatus(a.id, 'unsubscribed');
      assert.deepEqual(await ids(0, 10), ['c@example.org']);
      const back = await store.site.subscribe('a@example.org', 'v4', 4000);
      assert.deepEqual(
        [back.id, back.status],
        [a.id, 'pending'],
        'an unsubscribed one starts again',
      );
      await store.close();
    });

    test('subscribers: an unsubscribed address is deleted; unconfirmed ones when their link expires', async () => {
      const { store } = make();
      const a = await store.site.subscribe('a@example.org', 'v1', 3600);
      const b = await store.site.subscribe('b@example.org', 'v1', 7200);
      const c = await store.site.subscribe('c@example.org', 'v1', 3600);
      await store.site.setSubscriberStatus(c.id, 'confirmed');
      assert.equal(await store.site.deleteSubscriber(a.id), true);
      assert.equal(await store.site.deleteSubscriber(a.id), false);
      assert.equal(await store.site.subscriber(a.id), undefined);
      assert.equal(
        await store.site.expireSubscribers(3600),
        0,
        'a link valid until 3,600 still is',
      );
      assert.equal(await store.site.expireSubscribers(7201), 1, 'b expired; c is confirmed');
      assert.equal(await store.site.subscriber(b.id), undefined);
      assert.equal((await store.site.subscriber(c.id))?.status, 'confirmed');
      const again = await store.site.subscribe('a@example.org', 'v2', 10_800);
      assert.notEqual(again.id, c.id, 'a new id, never one in use');
      await store.close();
    });
  });
}

test('postgres: site methods fail as `unavailable` when the server cannot be reached', async () => {
  const store = unreachablePostgres();
  const unavailable = (e: unknown) => e instanceof StoreError && e.code === 'unavailable';
  await assert.rejects(store.site.publications({ limit: 1 }), unavailable);
  await assert.rejects(store.site.moderate(0, { status: 'approved' }), unavailable);
  await assert.rejects(store.site.staffUser('mo'), unavailable);
  await assert.rejects(store.site.subscribe('a@example.org', 'v1', 1), unavailable);
  await store.close();
});
