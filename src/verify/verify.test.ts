// End to end: a registry with two witnesses, a mirror of it; verify passes on both, receipts
// verify; then every kind of tampering is caught and located.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { declarations, flip, serveDir, tmp, writeLog } from '../../test/log-dir.ts';
import { readConfig } from '../config/index.ts';
import {
  COSIGNATURE_V1,
  generateKey,
  integrate,
  signerFromKey,
  TileMap,
  verifierFromKey,
} from '../log/index.ts';
import { type Entry, encodeEntry, tally } from '../registry/index.ts';
import type { Receipt } from '../sequencer/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';
import { buildWitnessApp, WitnessState } from '../witness/index.ts';
import { startHashers } from './hashers.ts';
import { verifyLogInWorker } from './in-worker.ts';
import { mirror } from './mirror.ts';
import { totalsDifferences } from './published.ts';
import { parseReceipts, tiledLog, verifyReceipt } from './receipt.ts';
import { DirSource, HttpSource, readTilesOf } from './source.ts';
import { VerificationError, verifyLog } from './verify.ts';

const origin = 'e2e.example/log';
const logKey = generateKey(origin);
const logKeys = [verifierFromKey(logKey.vkey)];
const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const c of closers.reverse()) await c();
});

let registry: Registry;
let witnessKeys: ReturnType<typeof verifierFromKey>[];
const receipts: Receipt[] = [];

async function startLog(dataDir: string, signerKey: string, witnesses = ''): Promise<Registry> {
  const r = await startRegistry(
    readConfig({
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      PORT: '0',
      DATA_DIR: dataDir,
      TUIDANG_ORIGIN: origin,
      TUIDANG_SIGNER_KEY: signerKey,
      TUIDANG_WITNESSES: witnesses,
      TUIDANG_WITNESS_TIMEOUT: '3000',
    }),
  );
  closers.push(() => r.close());
  return r;
}

async function declare(r: Registry, families: number, tag: string): Promise<Receipt[]> {
  const out = await Promise.all(
    Array.from({ length: families }, async (_, i) => {
      const res = await fetch(`${r.url}/api/v1/declarations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          language: 'en',
          declarants: Array.from({ length: 10 }, (_, j) => ({
            name: `${tag}${i}-${j}`,
            nameKind: 'alias',
            orgs: j % 2 ? ['party'] : ['league', 'pioneers'],
            region: j % 3 ? 'CN-GD' : undefined,
          })),
        }),
      });
      assert.equal(res.status, 201);
      return ((await res.json()) as { receipts: Receipt[] }).receipts;
    }),
  );
  return out.flat();
}

before(async () => {
  const witnesses = await Promise.all(
    [1, 2].map(async (n) => {
      const key = generateKey(`w${n}.example/witness`, COSIGNATURE_V1);
      const app = await buildWitnessApp({
        signer: signerFromKey(key.skey),
        logs: new Map([[origin, logKeys]]),
        state: new WitnessState(':memory:'),
      });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      closers.push(() => app.close());
      return { url, vkey: key.vkey };
    }),
  );
  witnessKeys = witnesses.map((w) => verifierFromKey(w.vkey));
  registry = await startLog(
    tmp('e2e'),
    logKey.skey,
    witnesses.map((w) => `${w.url} ${w.vkey}`).join(';'),
  );
  receipts.push(...(await declare(registry, 70, 'a'))); // 700 entries: full tiles, a level-1 tile
});

describe('a registry with two witnesses, and a mirror', () => {
  test('verify passes on the registry, with both cosignatures, and totals match its stats', async () => {
    const source = await HttpSource.resolve(registry.url);
    const result = await verifyLog(source, { logKeys, witnesses: witnessKeys, quorum: 2 });
    assert.equal(result.checkpoint.treeSize, 700);
    assert.deepEqual(result.cosigners.sort(), ['w1.example/witness', 'w2.example/witness']);
    const stats = await source.stats();
    assert.deepEqual(totalsDifferences(stats?.totals, result.totals), []);
    assert.equal(result.totals.registered.declarants, 700);
    assert.equal(result.totals.registered.regions['CN-GD'], 420);
  });

  test('a mirror verifies before publishing; verify passes on it; it updates incrementally', async () => {
    const dir = tmp('mirror');
    const first = await mirror(registry.url, dir, { logKeys, witnesses: witnessKeys, quorum: 2 });
    assert.equal(first.checkpoint.treeSize, 700);
    assert.equal(
      (await verifyLog(new DirSource(dir), { logKeys, witnesses: witnessKeys, quorum: 2 }))
        .checkpoint.treeSize,
      700,
    );
    receipts.push(...(await declare(registry, 3, 'b')));
    const second = await mirror(registry.url, dir, { logKeys });
    assert.equal(second.previousSize, 700);
    assert.equal(second.checkpoint.treeSize, 730);
  });

  test('receipts verify, and are consistent with the current log', async () => {
    const source = await HttpSource.resolve(registry.url);
    for (const r of [receipts[0], receipts[350], receipts.at(-1)] as Receipt[]) {
      const [parsed] = parseReceipts(JSON.stringify(r));
      const result = await verifyReceipt(
        parsed as Receipt,
        logKeys,
        tiledLog(source, readTilesOf(source)),
      );
      assert.equal(result.current?.treeSize, 730);
    }
    const tampered = { ...receipts[0], index: (receipts[0]?.index ?? 0) + 1 };
    await assert.rejects(verifyReceipt(tampered as Receipt, logKeys), VerificationError);
  });
});

describe('tampering is caught and located', () => {
  let clean: string;
  before(async () => {
    clean = tmp('clean');
    await mirror(registry.url, clean, { logKeys });
  });

  /** A copy of the mirror with one byte flipped in `file` (at `offset` from its end if negative). */
  function tampered(file: string, offset: number): string {
    const dir = tmp('tampered');
    cpSync(clean, dir, { recursive: true });
    // A negative offset counts into the log's own signature line.
    const line = `\u2014 ${origin} `;
    const at = offset < 0 ? readFileSync(join(dir, file)).indexOf(line) + line.length + 10 : offset;
    flip(dir, file, at);
    return dir;
  }

  const cases: Array<[string, string, number, RegExp]> = [
    ['a hash in a level-0 tile', 'tile/0/001', 40, /^tile\/0\/001$/],
    ['a byte of an entry', 'tile/entries/000', 100, /^tile\/entries\/000$/],
    ['a length prefix of an entry bundle', 'tile/entries/001', 0, /^tile\/entries\/001$/],
    ['a hash in the level-1 tile', 'tile/1/000.p/2', 5, /^tile\/1\/000\.p\/2$/],
    ['the root in the checkpoint', 'checkpoint', 40, /^checkpoint$/],
    ["the log's signature on the checkpoint", 'checkpoint', -1, /^checkpoint$/],
  ];
  for (const [what, file, offset, where] of cases) {
    test(`one flipped byte in ${what}`, async () => {
      const dir = tampered(file, offset);
      await assert.rejects(verifyLog(new DirSource(dir), { logKeys }), (e: unknown) => {
        assert.ok(e instanceof VerificationError, String(e));
        assert.match(e.where, where);
        return true;
      });
    });
  }

  test('in a worker of bounded memory: the same recount, and the same failures', async () => {
    const inWorker = await verifyLogInWorker({ url: registry.url }, { logKeys: [logKey.vkey] });
    const here = await verifyLog(await HttpSource.resolve(registry.url), { logKeys });
    assert.equal(inWorker.checkpoint.treeSize, here.checkpoint.treeSize);
    assert.deepEqual(inWorker.totals, here.totals);
    // With its hashing threads (one a core, and at least two here).
    for (const [what, file, offset, where] of cases) {
      await assert.rejects(
        verifyLogInWorker({ dir: tampered(file, offset) }, { logKeys: [logKey.vkey], hashers: 2 }),
        (e: unknown) => {
          assert.ok(e instanceof VerificationError, `${what}: ${e}`);
          assert.match(e.where, where);
          return true;
        },
      );
    }
  });

  test('a validly signed fork is caught against the checkpoint verified before', async () => {
    const before = await verifyLog(new DirSource(clean), { logKeys });
    // The same key signs another history: the operator rewrote the log.
    const fork = await startLog(tmp('fork'), logKey.skey);
    await declare(fork, 75, 'z');
    await assert.rejects(
      verifyLog(await HttpSource.resolve(fork.url), {
        logKeys,
        previous: { size: before.checkpoint.treeSize, root: before.checkpoint.root },
      }),
      /FORK/,
    );
  });
});

/** A signed log of these entries in a new directory, as a mirror holds it. */
const logDir = (name: string, log: readonly Entry[]) =>
  writeLog(tmp(name), log, origin, logKey.skey);

test('voids are recounted with their targets read again from the log, in an earlier bundle or the same', async () => {
  const declaration = (i: number): Entry => ({
    kind: 'declaration',
    day: '2020-01-01',
    orgs: i % 2 ? ['party'] : ['league'],
    channel: 'web',
    commitment: new Uint8Array(32).fill(i % 251),
  });
  const log: Entry[] = Array.from({ length: 300 }, (_, i) => declaration(i));
  log.push({ kind: 'void', day: '2020-01-02', target: 5, reason: 'duplicate' });
  log.push({ kind: 'void', day: '2020-01-02', target: 290, reason: 'error' });
  const dir = await logDir('voids', log);
  const result = await verifyLog(new DirSource(dir), { logKeys });
  assert.deepEqual(result.totals, tally(log));
  assert.equal(result.totals.registered.declarants, 298);

  // A void of a void is a broken log, wherever its target is.
  const broken = [
    ...log,
    { kind: 'void', day: '2020-01-03', target: 300, reason: 'test' } as Entry,
  ];
  const badDir = await logDir('voids-broken', broken);
  await assert.rejects(verifyLog(new DirSource(badDir), { logKeys }), (e: unknown) => {
    assert.ok(e instanceof VerificationError, String(e));
    assert.equal(e.where, 'entry 302');
    return true;
  });
});

test('a void of itself, of a later entry or of one past the end of the log is refused as that entry', async () => {
  for (const target of [300, 301, 1_000_000]) {
    const log = declarations(302);
    log.splice(300, 0, { kind: 'void', day: '2026-11-21', target, reason: 'error' });
    await assert.rejects(
      verifyLog(new DirSource(await logDir('void-ahead', log)), { logKeys }),
      (e: unknown) => {
        assert.ok(e instanceof VerificationError, `target ${target}: ${e}`);
        assert.equal(e.where, 'entry 300');
        assert.match(
          e.message,
          new RegExp(`voids entry ${target}, which is not an earlier declaration`),
        );
        return true;
      },
    );
  }
});

test('a cached file that fails, fetched again and failing again, is blamed on the log, saying so', async () => {
  const served = await logDir('served', declarations(300));
  const server = await serveDir(served);
  try {
    const cacheDir = tmp('cache-both');
    const source = () => new HttpSource(server.url, undefined, { cacheDir });
    await verifyLog(source(), { logKeys });
    flip(cacheDir, 'tile/entries/000', 100);
    flip(served, 'tile/entries/000', 100);
    await assert.rejects(verifyLog(source(), { logKeys }), (e: unknown) => {
      assert.ok(e instanceof VerificationError, String(e));
      assert.equal(e.where, 'tile/entries/000');
      assert.match(
        e.message,
        new RegExp(`\\(as served by ${server.url}\\): entry 2 does not hash`),
      );
      assert.ok(
        e.message.endsWith(
          ` (the cached copy of tile/entries/000 and tile/0/000 failed first, and was fetched again from ${server.url})`,
        ),
        e.message,
      );
      return true;
    });
    // A partial tile is never cached: its failure is the log's at once, with no word of a cache.
    flip(served, 'tile/entries/000', 100); // as it was
    flip(served, 'tile/entries/001.p/44', 30);
    const fresh = new HttpSource(server.url, undefined, { cacheDir: tmp('cache-partial') });
    await assert.rejects(verifyLog(fresh, { logKeys }), (e: unknown) => {
      assert.ok(e instanceof VerificationError, String(e));
      assert.equal(e.where, 'tile/entries/001.p/44');
      assert.doesNotMatch(e.message, /cache/);
      return true;
    });
  } finally {
    await server.close();
  }
});

test('a log that ends on a tile boundary: its edge level-1 tile is checked against its entries', async () => {
  // 512 entries: the last bundle completes the level-1 tile's second hash, so that tile is made
  // in the last batch, as the right edge of the tree (a log of 600 makes it a batch earlier).
  const log = declarations(512);
  const dir = await logDir('boundary', log);
  assert.equal((await verifyLog(new DirSource(dir), { logKeys })).totals.entries, 512);
  flip(dir, 'tile/1/000.p/2', 40);
  await assert.rejects(verifyLog(new DirSource(dir), { logKeys }), (e: unknown) => {
    assert.ok(e instanceof VerificationError, String(e));
    assert.equal(e.where, 'tile/1/000.p/2');
    assert.match(e.message, /hash 1 differs from the one the entries below it produce/);
    return true;
  });
});

test('against the checkpoint verified before: a log that shrank, or rewrote an earlier size, is refused', async () => {
  const log = declarations(300);
  const dir = await logDir('previous', log);
  const rootOf = async (n: number) =>
    (await integrate(new TileMap().readTiles, 0, log.slice(0, n).map(encodeEntry))).root;
  const verify = (size: number, root: Uint8Array) =>
    verifyLog(new DirSource(dir), { logKeys, previous: { size, root } });
  const refused = async (p: Promise<unknown>, message: RegExp) =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof VerificationError, String(e));
      assert.equal(e.where, 'checkpoint');
      assert.match(e.message, message);
      return true;
    });
  // The same size, a bundle's edge (256) and inside a bundle (100): the roots agree.
  for (const n of [300, 256, 100])
    assert.equal((await verify(n, await rootOf(n))).totals.entries, 300);
  await refused(
    verify(301, await rootOf(300)),
    /^checkpoint: the log shrank: it had 301 entries, now it claims 300$/,
  );
  const other = new Uint8Array(32).fill(1);
  for (const n of [300, 256, 100])
    await refused(verify(n, other), new RegExp(`FORK: at tree size ${n} `));
});

describe('a failure names the file, its level, the entries it covers and where it came from', () => {
  // 600 declarations and a void of entry 5: the void's target is proven through the right
  // edge's partial tiles, which must not make a bad partial tile look like a bad entry.
  const log = declarations(600, (i) => (i % 2 ? 'web' : 'import'));
  log.push({ kind: 'void', day: '2026-11-21', target: 5, reason: 'request' });
  let clean: string;
  // The same failures when hashing threads check the bundles (as `tuidang verify` runs).
  const hashers = startHashers(new URL('./verify-worker.ts', import.meta.url), 2);
  after(() => hashers.close());
  before(async () => {
    clean = await logDir('blame', log);
    assert.equal((await verifyLog(new DirSource(clean), { logKeys })).totals.entries, 601);
    const hashed = await verifyLog(new DirSource(clean), { logKeys, checkBundle: hashers.check });
    assert.equal(hashed.totals.entries, 601);
  });
  // What is flipped, where, the file blamed, the message, and the files named (the first blamed).
  const cases: Array<[string, string, number, string, RegExp, string[]]> = [
    [
      'a partial level-0 tile',
      'tile/0/002.p/89',
      3 * 32 + 7,
      'tile/0/002.p/89',
      /partial \(89 of 256\) level-0 hash tile covering entries 512–600 \(as served by .*\): hash 3 is not the hash of entry 515/,
      ['tile/0/002.p/89', 'tile/entries/002.p/89'],
    ],
    [
      'a partial level-1 tile',
      'tile/1/000.p/2',
      40,
      'tile/1/000.p/2',
      /partial \(2 of 256\) level-1 hash tile covering entries 0–511 .*hash 1 differs/,
      ['tile/1/000.p/2'],
    ],
    [
      'an entry of a partial bundle',
      'tile/entries/002.p/89',
      2 + 42 + 20,
      'tile/entries/002.p/89',
      /partial \(89 of 256\) entry bundle covering entries 512–600 .*entry 513 does not hash to hash 1 of tile\/0\/002\.p\/89, and the entries do not lead/,
      ['tile/entries/002.p/89', 'tile/0/002.p/89'],
    ],
    [
      'an entry of a full bundle',
      'tile/entries/000',
      2 + 5 * 42 + 20,
      'tile/entries/000',
      /full entry bundle covering entries 0–255 .*entry 5 does not hash to hash 5 of tile\/0\/000, which tile\/1\/000.p\/2 confirms/,
      ['tile/entries/000', 'tile/0/000'],
    ],
  ];
  for (const [what, file, at, where, message, files] of cases) {
    test(`a flipped byte in ${what} is blamed on ${where}`, async () => {
      const dir = tmp('blame-copy');
      cpSync(clean, dir, { recursive: true });
      flip(dir, file, at);
      for (const checkBundle of [undefined, hashers.check]) {
        await assert.rejects(
          verifyLog(new DirSource(dir), { logKeys, ...(checkBundle ? { checkBundle } : {}) }),
          (e: unknown) => {
            assert.ok(e instanceof VerificationError, String(e));
            assert.equal(e.where, where);
            assert.match(e.message, message);
            assert.deepEqual(e.files, files);
            return true;
          },
        );
      }
    });
  }

  test('a corrupted file in the cache is fetched again before the log is blamed', async () => {
    const cacheDir = tmp('cache');
    const source = () => HttpSource.resolve(registry.url, { cacheDir });
    await verifyLog(await source(), { logKeys });
    flip(cacheDir, 'tile/entries/000', 100);
    const again = await verifyLog(await source(), { logKeys });
    assert.deepEqual(again.refetched, ['tile/entries/000', 'tile/0/000']);
    // Repaired: the next run reads the cache only.
    assert.equal((await verifyLog(await source(), { logKeys })).refetched, undefined);
  });

  test("every entry's day is inside the window a verifier enforces", async () => {
    const at = (day: string) => logDir('days', [{ ...(log[0] as Entry), day }]);
    for (const day of ['2004-10-31', '2026-12-05']) {
      await assert.rejects(
        verifyLog(new DirSource(await at(day)), { logKeys, today: '2026-12-02' }),
        (e: unknown) => {
          assert.ok(e instanceof VerificationError, String(e));
          assert.equal(e.where, 'entry 0');
          assert.match(e.message, new RegExp(`its day ${day} is outside 2004-11-01 … 2026-12-03`));
          assert.deepEqual(e.files, ['tile/entries/000.p/1', 'tile/0/000.p/1']);
          return true;
        },
      );
    }
    for (const day of ['2004-11-01', '2026-12-03'])
      await verifyLog(new DirSource(await at(day)), { logKeys, today: '2026-12-02' });
  });
});
