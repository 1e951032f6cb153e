// One suite for every Store implementation: the contract in store.ts, tested the same way.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { ed25519Signer, integrate, signCheckpoint, treeRoot } from '../log/index.ts';
import { emptyTotals, ownerTag } from '../registry/index.ts';
import { MemoryStore } from './memory.ts';
import { PostgresStore } from './postgres.ts';
import { SqliteStore } from './sqlite.ts';
import { type Store, StoreError } from './store.ts';

const signer = ed25519Signer('example.org/log', new Uint8Array(32).fill(1));
const entries = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => new TextEncoder().encode(`entry ${from + i}`));

async function append(store: Store, n: number): Promise<Uint8Array> {
  const { treeSize, totals: stored } = await store.state();
  const totals = structuredClone(stored);
  const r = await integrate(store.readTiles, treeSize, entries(treeSize, n));
  totals.entries += n;
  const checkpoint = signCheckpoint(
    { origin: 'example.org/log', treeSize: r.treeSize, root: r.root },
    signer,
  );
  await store.commit({
    oldSize: treeSize,
    newSize: r.treeSize,
    tiles: r.tiles,
    checkpoint,
    totals,
    voided: [],
  });
  return r.root;
}

const backends: Array<[string, () => { store: Store; reopen?: () => Store }]> = [
  ['memory', () => ({ store: new MemoryStore() })],
  [
    'postgres',
    () => {
      const schema = freshSchema();
      return {
        store: new PostgresStore(postgresUrl, { schema }),
        reopen: () => new PostgresStore(postgresUrl, { schema }),
      };
    },
  ],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tuidang-store-'));
      return { store: new SqliteStore(dir), reopen: () => new SqliteStore(dir) };
    },
  ],
];

for (const [name, make] of backends) {
  describe(`${name} store`, () => {
    test('starts empty', async () => {
      const { store } = make();
      assert.deepEqual(await store.state(), {
        treeSize: 0,
        checkpoint: undefined,
        totals: emptyTotals(),
      });
      await store.close();
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
      const r = await integrate(store.readTiles, 3, entries(3, 1));
      const checkpoint = signCheckpoint(
        { origin: 'example.org/log', treeSize: 4, root: r.root },
        signer,
      );
      await assert.rejects(
        store.commit({
          oldSize: 2,
          newSize: 4,
          tiles: r.tiles,
          checkpoint,
          totals: before.totals,
          voided: [],
        }),
        (e: unknown) => e instanceof StoreError && e.code === 'conflict',
      );
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
        (e: unknown) => e instanceof StoreError && e.code === 'not-found',
      );
      await store.close();
    });

    test('publications: stored with their commit, found by text, organisation, province and year, newest first', async () => {
      const { store } = make();
      const { totals } = await store.state();
      const r = await integrate(store.readTiles, 0, entries(0, 3));
      const checkpoint = signCheckpoint(
        { origin: 'example.org/log', treeSize: 3, root: r.root },
        signer,
      );
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
      await store.commit({
        oldSize: 0,
        newSize: 3,
        tiles: r.tiles,
        checkpoint,
        totals,
        voided: [],
        publications: [
          pub(0, '我声明退出共青团', ['league'], 'CN-GD', '2025-03-01'),
          pub(2, 'I withdraw from the Party', ['party', 'league'], undefined, '2026-11-25'),
        ],
      });
      const find = async (q: Partial<Parameters<Store['publications']>[0]>) =>
        (await store.publications({ limit: 10, ...q })).map((p) => p.index);
      assert.deepEqual(await find({}), [], 'nothing is shown before moderation');
      assert.deepEqual(await find({ status: 'pending' }), [2, 0]);
      assert.equal(await store.moderate(0, { status: 'approved' }), true);
      assert.equal(await store.moderate(2, { status: 'approved' }), true);
      assert.equal(await store.moderate(1, { status: 'approved' }), false, 'no publication at 1');
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
      const [first] = await store.publications({ limit: 1, before: 1 });
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
      });
      // A moderator redacts one and rejects the other; the declarant erases theirs with the salt.
      assert.equal(
        await store.moderate(0, { status: 'approved', statement: '我声明退出[…]' }),
        true,
      );
      assert.equal(
        (await store.publications({ limit: 1, before: 1 }))[0]?.statement,
        '我声明退出[…]',
      );
      assert.equal(await store.moderate(2, { status: 'rejected' }), true);
      assert.deepEqual(await find({}), [0]);
      assert.deepEqual(await find({ status: 'rejected' }), [2]);
      assert.equal(
        await store.erasePublication(0, ownerTag(new Uint8Array(32).fill(9))),
        false,
        'another salt',
      );
      assert.equal(await store.erasePublication(0, ownerTag(new Uint8Array(32).fill(0))), true);
      assert.equal(await store.erasePublication(2), true, 'a moderator erases without the salt');
      assert.deepEqual([...(await find({})), ...(await find({ status: 'rejected' }))], []);
      await store.close();
    });

    test('staff: accounts, sessions with the current role until they expire, the audit log', async () => {
      const { store } = make();
      assert.equal(
        await store.createStaffUser({
          username: 'mo',
          role: 'moderator',
          passwordHash: '$argon2id$x',
        }),
        true,
      );
      assert.equal(
        await store.createStaffUser({ username: 'mo', role: 'admin', passwordHash: '$argon2id$y' }),
        false,
        'taken',
      );
      assert.deepEqual(await store.staffUser('mo'), {
        username: 'mo',
        role: 'moderator',
        passwordHash: '$argon2id$x',
      });
      assert.equal(await store.staffUser('nobody'), undefined);
      await store.createStaffSession('hash1', { username: 'mo', csrf: 'c1', expires: 2000 });
      assert.deepEqual(await store.staffSession('hash1', 1000), {
        username: 'mo',
        role: 'moderator',
        csrf: 'c1',
        expires: 2000,
      });
      assert.equal(await store.staffSession('hash1', 2000), undefined, 'expired');
      assert.equal(await store.staffSession('other', 1000), undefined);
      await store.deleteStaffSession('hash1');
      assert.equal(await store.staffSession('hash1', 1000), undefined);
      await store.recordAudit({ at: 1, username: 'mo', action: 'approve', target: '12' });
      await store.recordAudit({ at: 2, username: 'mo', action: 'erase', target: '13' });
      assert.deepEqual(
        (await store.auditLog(10)).map((e) => e.action),
        ['erase', 'approve'],
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
      await store.moderate(9, { status: 'approved' });
      const first = await store.moderationQueue(-1, 20);
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
      const next = await store.moderationQueue(first.page.at(-1)?.index ?? 0, 20);
      assert.equal(next.page[0]?.index, 219);
      assert.equal((await store.moderationQueue(299, 20)).page.length, 0);
      await store.close();
    });

    test('audit log pages newest first by id', async () => {
      const { store } = make();
      for (let i = 1; i <= 7; i++)
        await store.recordAudit({ at: i, username: 'mo', action: 'approve', target: String(i) });
      const page = await store.auditLog(3);
      assert.deepEqual(
        page.map((e) => e.target),
        ['7', '6', '5'],
      );
      const older = await store.auditLog(3, page.at(-1)?.id);
      assert.deepEqual(
        older.map((e) => e.target),
        ['4', '3', '2'],
      );
      assert.deepEqual(
        (await store.auditLog(3, older.at(-1)?.id)).map((e) => e.target),
        ['1'],
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
        Promise.all(Array.from({ length: 40 }, () => store.attemptSignIn(keys, now, throttle)));
      const allowed = (waits: number[]) => waits.filter((w) => w === 0).length;
      assert.equal(allowed(await burst(['pair:a', 'addr:a'], 1000)), 3, 'three tries, not 40');
      assert.equal(await store.attemptSignIn(['pair:a'], 1030, throttle), 30);
      assert.equal(await store.attemptSignIn(['pair:b'], 1030, throttle), 0, 'another key');
      assert.equal(allowed(await burst(['pair:a', 'addr:a'], 1060)), 1, 'after the wait: one');
      assert.equal(await store.attemptSignIn(['pair:a'], 1061, throttle), 119, 'then it doubles');
      // A success forgets the account's failures and takes back the one counted on the address:
      // its three earlier failures still make it wait 60 seconds from the last one.
      await store.forgiveSignIn(['pair:a'], ['addr:a'], throttle);
      assert.equal(await store.attemptSignIn(['pair:a'], 1062, throttle), 0);
      assert.equal(await store.attemptSignIn(['addr:a'], 1062, throttle), 58);
      await store.forgiveSignIn([], ['addr:a', 'addr:none'], throttle);
      assert.equal(
        await store.attemptSignIn(['addr:a'], 1062, throttle),
        0,
        'two failures are free',
      );
      assert.equal(
        await store.attemptSignIn(['addr:a'], 1000 + 86_400 + 61, throttle),
        0,
        'failures are forgotten after a day',
      );
      await store.close();
    });

    test('records voided indexes', async () => {
      const { store } = make();
      const { totals } = await store.state();
      const r = await integrate(store.readTiles, 0, entries(0, 1));
      const checkpoint = signCheckpoint(
        { origin: 'example.org/log', treeSize: 1, root: r.root },
        signer,
      );
      await store.commit({
        oldSize: 0,
        newSize: 1,
        tiles: r.tiles,
        checkpoint,
        totals,
        voided: [7],
      });
      assert.equal(await store.isVoided(7), true);
      assert.equal(await store.isVoided(0), false);
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
