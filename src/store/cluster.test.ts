// The ClusterStore contract (store.ts), one suite for every backend: the queue of accepted
// submissions, heartbeats and reclaiming, the sequencer's lock, notices, and spent tokens.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { postgresUrl } from '../../test/postgres.ts';
import { append, backends, unreachablePostgres } from '../../test/stores.ts';
import { within } from '../../test/wait.ts';
import type { PostgresStore } from './postgres.ts';
import { lockKey } from './postgres-db.ts';
import { StoreError } from './store.ts';

const bytes = (...b: number[]) => new Uint8Array(b);
const idem = (keyId: string) => ({ keyId, requestHash: `h-${keyId}`, sealed: bytes(9, 9) });
const publication = (index: number) => ({
  index,
  name: `n${index}`,
  nameKind: 'alias' as const,
  statement: 's',
  orgs: ['party'],
  day: '2026-11-25',
  language: 'en',
});

for (const [name, make] of backends) {
  describe(`${name} cluster capability`, () => {
    test('queue: added, taken oldest first by entry count, sequenced by a commit, finished', async () => {
      const { store } = make();
      const q = store.cluster;
      const [a, b, c] = await q.addPending([
        { entries: [bytes(1), bytes(2)] },
        { entries: [bytes(3)], idem: idem('k1') },
        { entries: [bytes(4), bytes(5)] },
      ]);
      assert.ok(a !== undefined && b !== undefined && c !== undefined && a < b && b < c);
      assert.deepEqual(
        await q.addPending([{ entries: [bytes(6)], idem: idem('k1') }]),
        [undefined],
        'a key id already queued',
      );
      assert.deepEqual(await q.pendingByKey('k1'), { id: b, requestHash: 'h-k1' });
      assert.equal(await q.pendingByKey('k2'), undefined);
      const taken = await q.takePending(3);
      assert.deepEqual(
        taken.map((r) => [r.id, r.entries.map((e) => [...e])]),
        [
          [a, [[1], [2]]],
          [b, [[3]]],
        ],
        'whole rows, up to 3 entries',
      );
      assert.deepEqual(
        (await q.takePending(1)).map((r) => r.id),
        [a],
        'at least one row',
      );
      assert.deepEqual(await q.sequenced([a, b, c]), [], 'none sequenced yet');

      await append(store, 3, {
        sequenced: [
          { id: a, indexes: [1, 0] },
          { id: b, indexes: [2] },
        ],
      });
      assert.deepEqual(
        (await q.takePending(10)).map((r) => r.id),
        [c],
      );
      const done = await q.sequenced([a, b, c]);
      assert.deepEqual(
        done.sort((x, y) => x.id - y.id),
        [
          {
            id: a,
            indexes: [1, 0],
            treeSize: 3,
            keyId: null,
            requestHash: null,
            sealed: null,
            entries: [bytes(1), bytes(2)],
          },
          {
            id: b,
            indexes: [2],
            treeSize: 3,
            keyId: 'k1',
            requestHash: 'h-k1',
            sealed: bytes(9, 9),
            entries: [bytes(3)],
          },
        ],
      );
      assert.deepEqual(
        (await q.sequenced([], 'k1')).map((r) => r.id),
        [b],
        'found by key id',
      );

      const receipt = {
        keyId: 'k1',
        requestHash: 'h-k1',
        treeSize: 3,
        sealed: bytes(7),
        expires: 1e12,
      };
      await q.finishPending([a, b], [receipt], [publication(2)]);
      assert.deepEqual(await q.sequenced([a, b]), []);
      assert.equal(await q.pendingByKey('k1'), undefined);
      assert.deepEqual(await store.idempotency('k1'), receipt);
      assert.deepEqual(
        (await store.site.publications({ limit: 5, status: 'pending' })).map((p) => p.index),
        [2],
      );
      // Another node finished the same key first: its record stays.
      await q.finishPending([], [{ ...receipt, sealed: bytes(8) }]);
      assert.deepEqual(await store.idempotency('k1'), receipt);
      // A node that looked for the key just before the first finished queues it no more: its
      // caller replays the record (else the same request would be logged twice).
      assert.deepEqual(
        await q
          .addPending([{ entries: [bytes(6)], idem: idem('k1') }, { entries: [bytes(7)] }])
          .then((ids) => ids.map((id) => id !== undefined)),
        [false, true],
      );
      await store.close();
    });

    test("the leader's own rows: quiet, taken only when listed, never sequenced twice", async () => {
      const { store, reopen } = make();
      const other = reopen?.();
      const q = store.cluster;
      const [a, b] = await q.addPending([{ entries: [bytes(1)] }, { entries: [bytes(2)] }], {
        quiet: true,
      });
      const [c] = (await other?.cluster.addPending([{ entries: [bytes(3)] }])) ?? [];
      assert.ok(a !== undefined && b !== undefined);
      assert.deepEqual(
        (await q.takePending(10, [b])).map((r) => r.id),
        other ? [b, c] : [b],
        "another node's rows, and of its own only those listed",
      );
      assert.deepEqual(
        (await q.takePending(10)).map((r) => r.id),
        other ? [a, b, c] : [a, b],
      );
      await append(store, 1, { sequenced: [{ id: a, indexes: [0] }] });
      const size = (await store.state()).treeSize;
      await assert.rejects(
        append(store, 1, { sequenced: [{ id: a, indexes: [1] }] }),
        (e: unknown) => e instanceof StoreError && e.code === 'conflict',
        'a row already sequenced',
      );
      assert.equal((await store.state()).treeSize, size, 'the refused commit wrote nothing');
      assert.deepEqual(
        (await q.sequenced([a])).map((r) => r.indexes),
        [[0]],
      );
      await store.close();
      await other?.close();
    });

    test('failure injection: finishing with a publication already stored keeps the rows', async () => {
      const { store } = make();
      const q = store.cluster;
      const [a] = await q.addPending([{ entries: [bytes(1)] }]);
      await append(store, 1, { sequenced: [{ id: a as number, indexes: [0] }] });
      await q.finishPending([], [], [publication(0)]);
      await assert.rejects(q.finishPending([a as number], [], [publication(0)]));
      assert.equal((await q.sequenced([a as number])).length, 1, 'the row is still there');
      await store.close();
    });

    test("reclaims sequenced rows of a node that stopped beating, never a live node's", async () => {
      const { store, reopen } = make();
      const q = store.cluster;
      await q.heartbeat(100);
      const [a, b] = await q.addPending([{ entries: [bytes(1)] }, { entries: [bytes(2)] }]);
      await append(store, 1, { sequenced: [{ id: a as number, indexes: [0] }] });
      assert.equal(await q.reclaimPending(50), 0, 'alive at 100');
      const other = reopen?.();
      const [c] = (await other?.cluster.addPending([{ entries: [bytes(3)] }])) ?? [];
      if (other) {
        await append(store, 1, { sequenced: [{ id: c as number, indexes: [1] }] });
        await other.cluster.heartbeat(300);
      }
      assert.equal(await q.reclaimPending(200), 1, 'the first node is stale at 200');
      assert.deepEqual(await q.sequenced([a as number]), [], 'its sequenced row is gone');
      assert.deepEqual(
        (await q.takePending(10)).map((r) => r.id),
        [b],
        'an unsequenced row stays, to be logged',
      );
      if (other) {
        assert.equal((await q.sequenced([c as number])).length, 1, "the live node's row stays");
        await other.close();
      }
      await store.close();
    });

    test('the sequencer lock: one holder at a time, free again once released', async () => {
      const { store, reopen } = make();
      const other = reopen?.() ?? store;
      const lock = await store.cluster.lockSequencer();
      assert.ok(lock);
      assert.equal(await other.cluster.lockSequencer(), undefined, 'held');
      assert.equal(await store.cluster.lockSequencer(), undefined, 'held, also for its holder');
      await lock.release();
      const next = await other.cluster.lockSequencer();
      assert.ok(next, 'free again');
      await next.release();
      if (other !== store) await other.close();
      await store.close();
    });

    test('notices: pending when rows are added, sequenced when a commit sequences some', async () => {
      const { store } = make();
      let pending: () => void = () => {};
      let sequenced: () => void = () => {};
      const heard = {
        pending: new Promise<void>((r) => {
          pending = r;
        }),
        sequenced: new Promise<void>((r) => {
          sequenced = r;
        }),
      };
      const listener = await store.cluster.listen({ pending, sequenced });
      const [a] = await store.cluster.addPending([{ entries: [bytes(1)] }]);
      await within(heard.pending, 30_000, 'the pending notice');
      await append(store, 1, { sequenced: [{ id: a as number, indexes: [0] }] });
      await within(heard.sequenced, 30_000, 'the sequenced notice');
      await listener.close();
      await store.close();
    });

    test('spent tokens: once per kind, remembered across a restart', async () => {
      const { store, reopen } = make();
      const q = store.cluster;
      assert.equal(await q.spendOnce('pow', 't1', Date.now() + 60_000), true);
      assert.equal(await q.spendOnce('pow', 't1', Date.now() + 60_000), false);
      assert.equal(await q.spendOnce('ticket', 't1', Date.now() + 60_000), true, 'another kind');
      if (reopen) {
        await store.close();
        const again = reopen();
        assert.equal(
          await again.cluster.spendOnce('pow', 't1', Date.now() + 60_000),
          false,
          'after a restart',
        );
        await again.close();
      } else await store.close();
    });
  });
}

test('postgres: the lock holder hears when its session ends, and the lock is free', async () => {
  const [, make] = backends.find(([n]) => n === 'postgres') as (typeof backends)[number];
  const { store, reopen } = make();
  const other = (reopen as () => typeof store)();
  let lost: () => void = () => {};
  const heard = new Promise<void>((r) => {
    lost = r;
  });
  const lock = await store.cluster.lockSequencer(lost);
  assert.ok(lock);
  // An operator's pg_terminate_backend, or a network cut, ends the holder's session.
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(
    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() AND objid = ($1::bigint & 4294967295)::oid AND classid = (($1::bigint >> 32) & 4294967295)::oid",
    [lockKey('sequence', (store as PostgresStore).schema)],
  );
  await admin.end();
  await within(heard, 30_000, 'the lost lock');
  const next = await other.cluster.lockSequencer();
  assert.ok(next, 'the other node takes it');
  await next.release();
  await lock.release();
  await other.close();
  await store.close();
});

test('postgres: two schemas in one database have two sequencer locks', async () => {
  const [, make] = backends.find(([n]) => n === 'postgres') as (typeof backends)[number];
  const a = make().store;
  const b = make().store;
  const la = await a.cluster.lockSequencer();
  const lb = await b.cluster.lockSequencer();
  assert.ok(la && lb, 'neither waits for the other');
  await la.release();
  await lb.release();
  await a.close();
  await b.close();
});

test('postgres: cluster methods fail as `unavailable` when the server cannot be reached', async () => {
  const store = unreachablePostgres();
  const unavailable = (e: unknown) => e instanceof StoreError && e.code === 'unavailable';
  await assert.rejects(store.cluster.addPending([{ entries: [bytes(1)] }]), unavailable);
  await assert.rejects(store.cluster.lockSequencer(), unavailable);
  await assert.rejects(store.cluster.spendOnce('pow', 't', 1), unavailable);
  await store.close();
});
