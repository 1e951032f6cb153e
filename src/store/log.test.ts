// The LogStore contract (store.ts), one suite for every backend: every method, and what a failed
// commit leaves (nothing).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { append, backends, nextCommit, unreachablePostgres } from '../../test/stores.ts';
import { generateKey, treeRoot } from '../log/index.ts';
import { emptyTotals } from '../registry/index.ts';
import { checkLogKey, LogKeyError } from './log-key.ts';
import { MemoryStore } from './memory.ts';
import { type IdempotencyRecord, StoreError } from './store.ts';

const record = (keyId: string, expires: number): IdempotencyRecord => ({
  keyId,
  requestHash: `h-${keyId}`,
  treeSize: 1,
  sealed: new Uint8Array([1, 2, 3, keyId.length]),
  expires,
});
const isCode = (code: StoreError['code']) => (e: unknown) =>
  e instanceof StoreError && e.code === code;

for (const [name, make] of backends) {
  describe(`${name} log store`, () => {
    test('starts empty', async () => {
      const { store } = make();
      assert.deepEqual(await store.state(), {
        treeSize: 0,
        checkpoint: undefined,
        totals: emptyTotals(),
      });
      assert.equal(await store.checkpointAt(0), undefined);
      assert.deepEqual(await store.importCursor('any.csv'), { line: 0 });
      assert.equal(await store.idempotency('k'), undefined);
      await store.close();
    });

    test('records the first verifier key and keeps it; checkLogKey refuses another', async () => {
      const { store, reopen } = make();
      const key = generateKey('example.org/log');
      const other = generateKey('example.org/log');
      assert.equal(await store.verifierKey(), undefined);
      await checkLogKey(store, key.vkey);
      assert.equal(await store.pinVerifierKey(other.vkey), key.vkey, 'the first one stays');
      await checkLogKey(store, key.vkey);
      await assert.rejects(
        checkLogKey(store, other.vkey),
        (e) => e instanceof LogKeyError && e.expected === key.vkey,
      );
      if (reopen) {
        await store.close();
        const again = reopen();
        assert.equal(await again.verifierKey(), key.vkey, 'durable');
        await again.close();
      } else await store.close();
    });

    test('commits tiles, checkpoint and totals together; tiles reproduce the root', async () => {
      const { store, reopen } = make();
      await append(store, 300);
      const root = await append(store, 5);
      const state = await store.state();
      assert.equal(state.treeSize, 305);
      assert.equal(state.totals.entries, 305);
      assert.match(state.checkpoint ?? '', /^example\.org\/log\n305\n/);
      assert.deepEqual(Buffer.from(await treeRoot(store.readTiles, 305)), Buffer.from(root));
      if (reopen) {
        await store.close();
        const again = reopen();
        assert.equal((await again.state()).treeSize, 305, 'durable across reopening');
        assert.deepEqual(Buffer.from(await treeRoot(again.readTiles, 305)), Buffer.from(root));
        await again.close();
      }
    });

    test('refuses a commit that does not build on the stored tree size, and changes nothing', async () => {
      const { store } = make();
      await append(store, 3);
      const before = await store.state();
      const c = await nextCommit(store, 1);
      await assert.rejects(store.commit({ ...c, oldSize: 2 }), isCode('conflict'));
      assert.deepEqual(await store.state(), before);
      await store.close();
    });

    test("state shows each commit's totals, however often it was read before", async () => {
      const { store } = make();
      await append(store, 2);
      for (let i = 0; i < 3; i++) assert.equal((await store.state()).totals.entries, 2);
      await append(store, 3);
      const state = await store.state();
      assert.equal(state.treeSize, 5);
      assert.equal(state.totals.entries, 5);
      assert.match(state.checkpoint ?? '', /^example\.org\/log\n5\n/);
      await store.close();
    });

    test('a missing tile is not-found', async () => {
      const { store } = make();
      await assert.rejects(
        store.readTiles([{ level: 0, index: 0, width: 1 }]),
        isCode('not-found'),
      );
      await append(store, 2);
      await assert.rejects(
        store.readTiles([{ level: 0, index: 0, width: 3 }]),
        isCode('not-found'),
        'narrower than asked',
      );
      await store.close();
    });

    test('records voided indexes', async () => {
      const { store } = make();
      await append(store, 1, { voided: [7] });
      assert.equal(await store.isVoided(7), true);
      assert.equal(await store.isVoided(0), false);
      await store.close();
    });

    test('keeps the checkpoints of publications and the latest only; a publication never goes back', async () => {
      const { store } = make();
      await append(store, 2);
      const state = await store.state();
      const cosigned = `${(await store.checkpointAt(2)) as string}— witness.example abc=\n`;
      assert.equal(await store.publication(), undefined);
      const published = { treeSize: 2, checkpoint: cosigned, totals: state.totals, at: 600 };
      assert.equal(await store.recordPublication(published), true);
      assert.deepEqual(await store.publication(), published);
      assert.equal((await store.state()).checkpoint, cosigned, 'the latest is the cosigned one');
      await append(store, 1);
      await append(store, 2);
      // The commit at 3 is forgotten (it built nothing public); the publication at 2 is kept.
      assert.equal(await store.checkpointAt(2), cosigned);
      assert.equal(await store.checkpointAt(3), undefined);
      assert.match((await store.checkpointAt(5)) ?? '', /^example\.org\/log\n5\n/);
      assert.equal((await store.checkpointFrom(3))?.treeSize, 5, 'receipts of 3 come from 5');
      assert.equal((await store.checkpointFrom(1))?.treeSize, 2);
      assert.equal(await store.checkpointFrom(6), undefined);
      const five = { ...published, treeSize: 5, checkpoint: (await store.checkpointAt(5)) ?? '' };
      assert.equal(await store.recordPublication({ ...five, at: 660 }), true);
      assert.equal(await store.recordPublication({ ...published, at: 720 }), false, 'not back');
      assert.equal((await store.publication())?.treeSize, 5);
      assert.equal(await store.recordPublication({ ...five, at: 720 }), true, 'same size: at on');
      assert.equal((await store.publication())?.at, 720);
      await store.close();
    });

    test('an import cursor moves with the commit that completes its lines', async () => {
      const { store } = make();
      const prefix = (n: number) => String(n).repeat(64);
      await append(store, 2, { importProgress: [{ source: 'a', line: 2, prefix: prefix(1) }] });
      await append(store, 1, { importProgress: [{ source: 'b.csv', line: 7 }] });
      await append(store, 3, { importProgress: [{ source: 'a', line: 5, prefix: prefix(2) }] });
      assert.deepEqual(await store.importCursor('a'), { line: 5, prefix: prefix(2) });
      assert.deepEqual(await store.importCursor('b.csv'), { line: 7 });
      assert.deepEqual(await store.importCursor('c.csv'), { line: 0 });
      // One commit may move two cursors: a file that continues an earlier import moves both.
      await append(store, 1, {
        importProgress: [
          { source: 'grown', line: 9, prefix: prefix(3) },
          { source: 'a', line: 9, prefix: prefix(3) },
        ],
      });
      assert.deepEqual(await store.importCursor('grown'), { line: 9, prefix: prefix(3) });
      assert.deepEqual(await store.fingerprintedImports(), [
        { source: 'a', line: 9, prefix: prefix(3) },
        { source: 'grown', line: 9, prefix: prefix(3) },
      ]);
      // A source recorded with a fingerprint and then without one (the same file as CSV) has none.
      await append(store, 1, { importProgress: [{ source: 'a', line: 10 }] });
      assert.deepEqual(await store.importCursor('a'), { line: 10 });
      assert.deepEqual(await store.fingerprintedImports(), [
        { source: 'grown', line: 9, prefix: prefix(3) },
      ]);
      await store.close();
    });

    test('idempotency records: stored with their commit, forgotten once expired', async () => {
      const { store, reopen } = make();
      await append(store, 1, { idempotency: [record('k1', 100), record('k2', 300)] });
      assert.deepEqual(await store.idempotency('k1'), record('k1', 100));
      await append(store, 1, { expireBefore: 200 });
      assert.equal(await store.idempotency('k1'), undefined, 'expired before 200');
      assert.deepEqual(await store.idempotency('k2'), record('k2', 300));
      if (reopen) {
        await store.close();
        const again = reopen();
        assert.deepEqual(await again.idempotency('k2'), record('k2', 300), 'durable');
        await again.close();
      } else await store.close();
    });

    test('the imported tally: written by the commits that change it, read whole by every reader', async () => {
      const { store, reopen } = make();
      // Another reader of the same data (a second node) that has read the state before.
      const reader = reopen?.() ?? store;
      await append(store, 1);
      assert.deepEqual((await reader.state()).totals, (await store.state()).totals);

      const first = await nextCommit(store, 2);
      first.totals.imported.declarants = 2;
      first.totals.imported.days['2004-12-01'] = 2;
      await store.commit(first);
      // A commit that leaves the imported tally as it was need not write it again.
      const second = await nextCommit(store, 1, { importedUnchanged: true });
      second.totals.registered.declarants = 1;
      second.totals.registered.days['2026-12-01'] = 1;
      await store.commit(second);
      for (const s of [store, reader])
        assert.deepEqual((await s.state()).totals, second.totals, 'both parts, each as committed');

      const third = await nextCommit(store, 1, { importedUnchanged: false });
      third.totals.imported.days['2005-01-01'] = 7;
      third.totals.voided.duplicate = 1;
      await store.commit(third);
      for (const s of [store, reader])
        assert.deepEqual((await s.state()).totals, third.totals, 'the changed tally, read again');
      if (reader !== store) await reader.close();
      if (reopen) {
        await store.close();
        const again = reopen();
        assert.deepEqual((await again.state()).totals, third.totals, 'durable across reopening');
        await again.close();
      } else await store.close();
    });

    test('failure injection: a commit that fails part-way leaves nothing of itself', async () => {
      const { store } = make();
      await append(store, 2, { idempotency: [record('taken', 1e12)], voided: [0] });
      const before = await store.state();
      // Each commit fails on its last write, after its tiles, checkpoint and totals were written.
      for (const broken of [{ idempotency: [record('taken', 1e12)] }, { voided: [0] }]) {
        const c = await nextCommit(store, 3, {
          importProgress: [{ source: 'x.csv', line: 3 }],
          publications: [
            {
              index: 2,
              name: 'n',
              nameKind: 'alias',
              statement: 's',
              orgs: ['party'],
              day: '2026-11-25',
              language: 'en',
            },
          ],
          ...broken,
        });
        await assert.rejects(store.commit(c));
        assert.deepEqual(await store.state(), before);
        assert.equal(await store.checkpointAt(5), undefined);
        assert.deepEqual(await store.importCursor('x.csv'), { line: 0 });
        await assert.rejects(
          store.readTiles([{ level: 0, index: 0, width: 5 }]),
          isCode('not-found'),
        );
        assert.deepEqual(await store.site.publications({ limit: 5, status: 'pending' }), []);
      }
      await append(store, 3);
      assert.equal((await store.state()).treeSize, 5, 'the next commit goes through');
      await store.close();
    });
  });
}

test('memory store fault injection: a failed commit changes nothing', async () => {
  const store = new MemoryStore();
  await append(store, 2);
  const before = await store.state();
  store.failNextCommit = new Error('disk on fire');
  await assert.rejects(append(store, 2), /disk on fire/);
  assert.deepEqual(await store.state(), before);
  await append(store, 2);
  assert.equal((await store.state()).treeSize, 4);
});

test('postgres: an unreachable server is `unavailable`, with what to check', async () => {
  const store = unreachablePostgres();
  await assert.rejects(
    store.ready(),
    (e: unknown) => isCode('unavailable')(e) && /DATABASE_URL/.test(String(e)),
  );
  await assert.rejects(store.state(), isCode('unavailable'));
  await assert.rejects(append(store, 1), isCode('unavailable'));
  await store.close();
});
