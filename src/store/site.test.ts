// The SiteStore contract (site-store.ts), one suite for every backend: publications and moderation,
// newsletter subscribers (site-staff.test.ts has staff accounts, sessions and the audit log).
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

    test('erasure: the publication of that index only, by its own tag; one without a tag only by staff', async () => {
      const { store } = make();
      const { ownerTag: _, ...untagged } = pub(
        3,
        'no salt kept',
        ['party'],
        undefined,
        '2026-11-25',
      );
      await append(store, 4, {
        publications: [
          pub(0, 'first', ['party'], undefined, '2026-11-25'),
          pub(1, 'second', ['party'], undefined, '2026-11-25'),
          pub(2, 'third', ['party'], undefined, '2026-11-25'),
          untagged,
        ],
      });
      const pending = async () =>
        (await store.site.publications({ status: 'pending', limit: 10 })).map((p) => p.index);
      const tag = (i: number) => ownerTag(new Uint8Array(32).fill(i));
      assert.equal(await store.site.erasePublication(2), true, 'a moderator erases one');
      assert.deepEqual(await pending(), [3, 1, 0], 'that one only');
      assert.equal(await store.site.erasePublication(1, tag(0)), false, "another's tag");
      assert.equal(await store.site.erasePublication(3, tag(3)), false, 'no tag stored');
      assert.deepEqual(await pending(), [3, 1, 0]);
      assert.equal(await store.site.erasePublication(1, tag(1)), true, 'its own tag');
      assert.equal(await store.site.erasePublication(3), true);
      assert.deepEqual(await pending(), [0]);
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
