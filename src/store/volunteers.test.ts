// The VolunteerLedger contract (volunteers.ts), one suite for every backend: budgets spent
// atomically, batches that never count a row twice, voids, and counts by day.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backends } from '../../test/stores.ts';

const H = 1_796_000_400; // 2026-11-30T01:00:00Z, on the hour
const batch = { username: 'vo', channel: 'phone', language: 'en', hour: H };

for (const [name, make] of backends) {
  describe(`${name} volunteer ledger`, () => {
    test('a budget is spent per hour and per 24 hours, never beyond, and can be given back', async () => {
      const { store } = make();
      const v = store.volunteers;
      const budget = { perHour: 10, perDay: 15 };
      assert.deepEqual(await v.spend('vo', H, 8, budget), { ok: true, hour: 8, day: 8 });
      assert.deepEqual(await v.spend('vo', H, 3, budget), { ok: false, hour: 8, day: 8 });
      assert.deepEqual(await v.spend('vo', H, -2, budget), { ok: true, hour: 6, day: 6 });
      assert.deepEqual(await v.spend('other', H, 10, budget), { ok: true, hour: 10, day: 10 });
      const next = H + 3600;
      assert.deepEqual(await v.spend('vo', next, 10, budget), { ok: false, hour: 0, day: 6 });
      assert.deepEqual(await v.spend('vo', next, 9, budget), { ok: true, hour: 9, day: 15 });
      const later = H + 24 * 3600;
      assert.deepEqual(await v.spend('vo', later, 6, budget), { ok: true, hour: 6, day: 15 });
      assert.deepEqual(await v.spend('vo', later, 1), { ok: true, hour: 7, day: 16 });
      // Concurrent spends of one account never pass its budget together.
      const racing = await Promise.all(
        Array.from({ length: 8 }, () => v.spend('race', H, 3, budget)),
      );
      assert.equal(racing.filter((r) => r.ok).length, 3);
      assert.deepEqual(await v.activity(H - 3600), [
        { username: 'vo', day: '2026-12-01', declared: 7 },
        { username: 'other', day: '2026-11-30', declared: 10 },
        { username: 'race', day: '2026-11-30', declared: 9 },
        { username: 'vo', day: '2026-11-30', declared: 15 },
      ]);
      await store.close();
    });

    test('a batch adds each row once, and is voided once', async () => {
      const { store } = make();
      const v = store.volunteers;
      const first = await v.record('k1', batch, [
        { id: 'a', entries: [0] },
        { id: 'b', entries: [1] },
      ]);
      assert.equal(first.added, 2);
      const again = await v.record('k1', { ...batch, channel: 'centre' }, [
        { id: 'b', entries: [5] },
        { id: 'c', entries: [2, 3] },
      ]);
      assert.equal(again.added, 2, 'b was in it already');
      assert.deepEqual(again.batch.rows, ['a', 'b', 'c']);
      assert.deepEqual(again.batch.entries, [0, 1, 2, 3]);
      assert.equal(again.batch.channel, 'phone', 'fixed by the first send');
      const other = await v.record('k2', batch, [{ id: 'a', entries: [4] }]);
      assert.equal(other.added, 1, 'another form is another batch');
      assert.deepEqual(await v.batchByKey('k1'), again.batch);
      assert.deepEqual(await v.batch(again.batch.id), again.batch);
      assert.deepEqual(
        (await v.batches(10)).map((b) => b.id),
        [other.batch.id, again.batch.id],
      );
      assert.deepEqual(
        (await v.batches(10, other.batch.id)).map((b) => b.id),
        [again.batch.id],
      );
      assert.equal(await v.markVoided(again.batch.id, 'flood'), true);
      assert.equal(await v.markVoided(again.batch.id, 'flood'), false);
      assert.equal((await v.batch(again.batch.id))?.voided, 'flood');
      assert.equal(await v.batchByKey('nothing'), undefined);
      const racing = await Promise.all(
        ['x', 'x', 'y', 'x'].map((id, i) => v.record('k3', batch, [{ id, entries: [10 + i] }])),
      );
      assert.equal(
        racing.reduce((n, r) => n + r.added, 0),
        2,
      );
      await store.close();
    });
  });
}
