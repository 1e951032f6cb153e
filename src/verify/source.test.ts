// Where a verifier reads a log from: a mirror directory, a log prefix or a registry over HTTP, with
// its cache of tiles. What each answers when a file is there, missing, partial, cached, or when
// the server fails.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { declarations, type FileServer, serveDir, tmp, writeLog } from '../../test/log-dir.ts';
import {
  ENTRIES_LEVEL,
  encodeEntryBundle,
  generateKey,
  parseEntryBundle,
  TILE_WIDTH,
  tilePath,
} from '../log/index.ts';
import { encodeEntry } from '../registry/index.ts';
import {
  DirSource,
  fetchWithRetry,
  HttpSource,
  readTilesOf,
  SourceError,
  writeAtomically,
} from './source.ts';

const origin = 'source.example/log';
const key = generateKey(origin);
// 300 entries: one full bundle and level-0 tile, one partial (44 of 256).
const log = declarations(300);
let dir: string;
before(async () => {
  dir = await writeLog(tmp('source'), log, origin, key.skey);
  writeFileSync(join(dir, 'vkey'), `  ${key.vkey}\n\n`);
});

const full0 = { level: 0, index: 0, width: TILE_WIDTH };
const part0 = { level: 0, index: 1, width: 44 };
const fullBundle = { level: ENTRIES_LEVEL, index: 0, width: TILE_WIDTH };
const partBundle = { level: ENTRIES_LEVEL, index: 1, width: 44 };
const file = (path: string) => readFileSync(join(dir, path));
/** Bytes as a Buffer, to compare with a file's. */
const buf = (b: Uint8Array | undefined) => b && Buffer.from(b);

/** A rejection with a SourceError (exit code 2: the log could not be read) whose message matches. */
const unreachable = (p: Promise<unknown>, message: RegExp) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SourceError, String(e));
    assert.equal(e.code, 'unreachable');
    assert.equal(e.name, 'SourceError');
    assert.match(e.message, message);
    return true;
  });

describe('a mirror directory', () => {
  test('its checkpoint, its key without the blank around it, a file beside the log, no stats', async () => {
    const source = new DirSource(dir);
    assert.equal(source.description, dir);
    assert.equal(await source.checkpoint(), readFileSync(join(dir, 'checkpoint'), 'utf8'));
    assert.equal(await source.vkey(), key.vkey);
    assert.deepEqual(buf(await source.file('vkey')), file('vkey'));
    assert.equal(await source.file('tuidang-verify.mjs'), undefined);
    assert.equal(await source.stats(), undefined);
  });

  test('a directory without a checkpoint or key says so', async () => {
    const empty = new DirSource(tmp('empty'));
    await unreachable(
      empty.checkpoint(),
      /tuidang-empty-\w+ has no checkpoint file: is it a log mirror\?$/,
    );
    assert.equal(await empty.vkey(), undefined);
  });

  test('tiles at their exact width, a partial one cut from the full tile that replaced it', async () => {
    const source = new DirSource(dir);
    for (const t of [full0, part0, fullBundle, partBundle])
      assert.deepEqual(buf(await source.tile(t)), file(tilePath(t)));
    // A mirror that has since grown holds the full tile only: the partial is its first hashes,
    // or its first entries.
    const grown = await writeLog(tmp('grown'), declarations(512), origin, key.skey);
    const g = new DirSource(grown);
    const fullOf = (t: { level: number; index: number }) =>
      readFileSync(join(grown, tilePath({ ...t, width: TILE_WIDTH })));
    assert.deepEqual(buf(await g.tile(part0)), fullOf(part0).subarray(0, 44 * 32));
    const entries = parseEntryBundle(await g.tile(partBundle), 44);
    assert.deepEqual(entries.map(buf), parseEntryBundle(fullOf(partBundle)).slice(0, 44).map(buf));
    assert.deepEqual(
      buf(entries[43]),
      buf(encodeEntry(declarations(512)[299] as (typeof log)[number])),
    );
  });

  test('a tile that is missing, at any width, is named', async () => {
    const source = new DirSource(dir);
    await unreachable(
      source.tile({ level: 0, index: 2, width: 5 }),
      /tile\/0\/002\.p\/5 is missing$/,
    );
    await unreachable(
      source.tile({ level: 0, index: 2, width: TILE_WIDTH }),
      /tile\/0\/002 is missing$/,
    );
    // A full tile is never cut from anything: a partial tile of the same index is not enough.
    const partialOnly = await writeLog(tmp('partial-only'), declarations(44), origin, key.skey);
    await unreachable(
      new DirSource(partialOnly).tile({ level: 0, index: 0, width: TILE_WIDTH }),
      /tile\/0\/000 is missing$/,
    );
  });

  test('a file that cannot be read (not missing) is a read error, not a missing tile', async () => {
    const odd = tmp('odd');
    mkdirSync(join(odd, 'checkpoint'));
    mkdirSync(join(odd, 'tile/0/000'), { recursive: true });
    await unreachable(new DirSource(odd).checkpoint(), /^cannot read .*checkpoint: EISDIR/);
    await unreachable(new DirSource(odd).tile(full0), /^cannot read .*tile\/0\/000: EISDIR/);
  });
});

test('a file written atomically: its folders made, nothing else left beside it', async () => {
  const d = tmp('atomic');
  await writeAtomically(join(d, 'a/b/c'), 'first');
  await writeAtomically(join(d, 'a/b/c'), new Uint8Array([1, 2]));
  assert.deepEqual(readFileSync(join(d, 'a/b/c')), Buffer.from([1, 2]));
  assert.deepEqual(readdirSync(join(d, 'a/b')), ['c']);
});

describe('over HTTP', () => {
  let plain: FileServer; // a log prefix: /checkpoint, /tile/…
  let registry: FileServer; // a registry's log under /log/, and /api/v1/stats beside it
  before(async () => {
    plain = await serveDir(dir);
    const site = tmp('site');
    await writeLog(join(site, 'log'), log, origin, key.skey);
    writeFileSync(join(site, 'log/vkey'), `${key.vkey}\n`);
    mkdirSync(join(site, 'api/v1'), { recursive: true });
    writeFileSync(
      join(site, 'api/v1/stats'),
      JSON.stringify({ treeSize: 300, checkpoint: null, totals: { x: 1 } }),
    );
    mkdirSync(join(site, 'en'));
    writeFileSync(join(site, 'en/stats.csv'), 'a,b\n');
    registry = await serveDir(site);
  });
  after(async () => {
    await plain.close();
    await registry.close();
  });

  test("a registry's address: its log under /log/, its stats and pages beside it", async () => {
    const source = await HttpSource.resolve(`${registry.url}///`);
    assert.equal(source.registry, true);
    assert.equal(source.description, `${registry.url}/log`);
    assert.equal(await source.checkpoint(), readFileSync(join(dir, 'checkpoint'), 'utf8'));
    assert.equal(await source.vkey(), key.vkey);
    assert.deepEqual(await source.stats(), { treeSize: 300, checkpoint: null, totals: { x: 1 } });
    assert.deepEqual(await source.page('/en/stats.csv'), { status: 200, text: 'a,b\n' });
    assert.equal((await source.page('/zh-Hans/stats.csv')).status, 404);
    assert.deepEqual(buf(await source.tile(part0)), file(tilePath(part0)));
  });

  test('a plain log prefix: no stats, and pages are looked for under the prefix', async () => {
    const source = await HttpSource.resolve(`${plain.url}/`);
    assert.equal(source.registry, false);
    assert.equal(source.description, plain.url);
    assert.equal(await source.stats(), undefined);
    assert.deepEqual(await source.page('/vkey'), { status: 200, text: `  ${key.vkey}\n\n` });
    assert.equal(await source.vkey(), key.vkey);
    assert.equal(await source.file('tuidang-verify.mjs'), undefined);
    assert.deepEqual(buf(await source.file('vkey')), file('vkey'));
    const read = readTilesOf(source);
    assert.deepEqual((await read([full0, partBundle])).map(buf), [
      file(tilePath(full0)),
      file(tilePath(partBundle)),
    ]);
  });

  test('a registry whose stats fail is read as a plain log would be, without stats', async () => {
    // Given with trailing slashes, as a user may type them.
    const source = new HttpSource(`${registry.url}/log//`, `${registry.url}//`);
    assert.equal(source.description, `${registry.url}/log`);
    assert.ok(await source.checkpoint());
    registry.faults.set('api/v1/stats', [404]);
    assert.equal(await source.stats(), undefined);
    assert.ok(await source.stats(), 'the next answer is the file again');
  });

  test('an address that serves no log says where it looked', async () => {
    await unreachable(
      HttpSource.resolve(`${plain.url}/nothing/`),
      new RegExp(
        `^no log at ${plain.url}/nothing: neither ${plain.url}/nothing/log/checkpoint nor ${plain.url}/nothing/checkpoint answers$`,
      ),
    );
  });

  test('a missing tile or checkpoint is named with the status it got', async () => {
    const source = new HttpSource(plain.url, undefined);
    await unreachable(
      source.tile({ level: 0, index: 9, width: 3 }),
      new RegExp(`^${plain.url}/tile/0/009\\.p/3 answered 404$`),
    );
    const gone = new HttpSource(`${plain.url}/gone`, undefined);
    await unreachable(gone.checkpoint(), /\/gone\/checkpoint answered 404$/);
    assert.equal(await gone.vkey(), undefined);
  });

  test('a server that fails twice is asked a third time; one that fails three times is given up', async () => {
    const source = new HttpSource(plain.url, undefined);
    const path = tilePath(full0);
    plain.hits.clear();
    plain.faults.set(path, [503, 500]);
    assert.deepEqual(buf(await source.tile(full0)), file(path));
    assert.equal(plain.hits.get(path), 3);
    plain.hits.clear();
    plain.faults.set(path, [502, 503, 500]);
    await unreachable(source.tile(full0), /\/tile\/0\/000 answered 500$/);
    assert.equal(plain.hits.get(path), 3, 'no fourth try');
    plain.faults.set('checkpoint', [503, 503, 503]);
    await unreachable(fetchWithRetry(`${plain.url}/checkpoint`), /\/checkpoint answered 503$/);
    assert.equal((await fetchWithRetry(`${plain.url}/checkpoint`)).status, 200);
  });

  test('a server that is not there: "cannot fetch", after three tries', async () => {
    const closed = await serveDir(dir);
    await closed.close();
    const source = new HttpSource(closed.url, undefined);
    await unreachable(
      source.tile(full0),
      new RegExp(`^cannot fetch ${closed.url}/tile/0/000: .*ECONNREFUSED`),
    );
    await unreachable(
      fetchWithRetry(`${closed.url}/checkpoint`),
      new RegExp(`^cannot fetch ${closed.url}/checkpoint: fetch failed`),
    );
  });

  describe('with a cache directory', () => {
    test('full tiles are kept and read from it; partial tiles are fetched each time', async () => {
      const cacheDir = tmp('cache');
      const source = new HttpSource(plain.url, undefined, { cacheDir });
      plain.hits.clear();
      for (let i = 0; i < 2; i++) {
        assert.deepEqual(buf(await source.tile(full0)), file(tilePath(full0)));
        assert.deepEqual(buf(await source.tile(part0)), file(tilePath(part0)));
        assert.equal(source.cached(tilePath(full0)), i === 1, `run ${i}: full tile from the cache`);
        assert.equal(source.cached(tilePath(part0)), false);
      }
      assert.equal(plain.hits.get(tilePath(full0)), 1);
      assert.equal(plain.hits.get(tilePath(part0)), 2);
      assert.deepEqual(readdirSync(join(cacheDir, 'tile/0')), ['000']);
      // What the cache holds is read as it is, whatever the log now serves.
      writeFileSync(join(cacheDir, tilePath(full0)), 'stale');
      assert.equal(Buffer.from(await source.tile(full0)).toString(), 'stale');
      // Forgotten, it is fetched again, and kept again.
      await source.forget(tilePath(full0));
      assert.equal(source.cached(tilePath(full0)), false);
      assert.equal(existsSync(join(cacheDir, tilePath(full0))), false);
      assert.deepEqual(buf(await source.tile(full0)), file(tilePath(full0)));
      assert.equal(source.cached(tilePath(full0)), false, 'fetched, not cached');
      assert.deepEqual(readFileSync(join(cacheDir, tilePath(full0))), file(tilePath(full0)));
      await source.tile(full0);
      assert.equal(source.cached(tilePath(full0)), true);
      // Gone from the cache behind the source's back: fetched, and no longer said to be cached.
      rmSync(join(cacheDir, tilePath(full0)));
      assert.deepEqual(buf(await source.tile(full0)), file(tilePath(full0)));
      assert.equal(source.cached(tilePath(full0)), false);
      // Forgetting what the cache does not hold is harmless.
      await source.forget(tilePath(part0));
    });

    test('a mirror keeps partial tiles too', async () => {
      const cacheDir = tmp('mirror-cache');
      const source = new HttpSource(plain.url, undefined, { cacheDir, cachePartial: true });
      await source.tile(partBundle);
      assert.deepEqual(
        readFileSync(join(cacheDir, tilePath(partBundle))),
        file(tilePath(partBundle)),
      );
      await source.tile(partBundle);
      assert.equal(source.cached(tilePath(partBundle)), true);
    });

    test('without a cache directory nothing is kept, and forgetting is harmless', async () => {
      const source = new HttpSource(plain.url, undefined);
      await source.tile(full0);
      assert.equal(source.cached(tilePath(full0)), false);
      await source.forget(tilePath(full0));
      assert.deepEqual(buf(await source.tile(full0)), file(tilePath(full0)));
    });
  });
});

test('a body larger than any tile is refused, in several chunks or one', async () => {
  const big = tmp('big');
  // A full entry bundle of the largest entries is 256 × 65,537 bytes: one byte more is not a tile.
  const largest = encodeEntryBundle(Array.from({ length: 256 }, () => new Uint8Array(65_535)));
  assert.equal(largest.length, 256 * 65_537);
  mkdirSync(join(big, 'tile/entries'), { recursive: true });
  writeFileSync(join(big, 'tile/entries/000'), largest);
  writeFileSync(join(big, 'tile/entries/001'), Buffer.concat([largest, Buffer.from([0])]));
  const server = await serveDir(big);
  try {
    const source = new HttpSource(server.url, undefined);
    assert.equal((await source.tile(fullBundle)).length, largest.length);
    await unreachable(source.tile({ ...fullBundle, index: 1 }), /more than 16777472 bytes$/);
  } finally {
    await server.close();
  }
});
