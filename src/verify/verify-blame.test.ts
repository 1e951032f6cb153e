// What `verifyLog` checks beyond a small log's first bundles, and what it blames: a log of two
// level-1 tiles (a full one compared as soon as it is rebuilt, blame through the second), each file
// asked for once, a checkpoint signed over other entries, the empty log, a void's target answered
// differently when read again, a tile of the wrong length, a request that fails ahead of the one
// being checked, and a cache that fails twice.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { declarations, flip, tmp, writeLog } from '../../test/log-dir.ts';
import {
  generateKey,
  integrate,
  type Tile,
  TileMap,
  tilePath,
  verifierFromKey,
} from '../log/index.ts';
import type { Entry } from '../registry/index.ts';
import { DirSource, type LogSource, SourceError } from './source.ts';
import { describeTile, VerificationError, verifyLog } from './verify.ts';

const origin = 'blame.example/log';
const key = generateKey(origin);
const logKeys = [verifierFromKey(key.vkey)];

/** Where entry `i` of a bundle of these declarations begins: a 2-byte length, then 40 bytes. */
const entryAt = (i: number) => 2 + i * 42;

/** `p` rejects with a VerificationError at `where` whose message matches, naming `files`. */
async function blamed(p: Promise<unknown>, where: string, message: RegExp, files?: string[]) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof VerificationError, String(e));
    assert.equal(e.where, where);
    assert.match(e.message, message);
    if (files) assert.deepEqual(e.files, files);
    return true;
  });
}

/** A source that passes every call to `inner`, letting `tile` be replaced. */
function wrap(inner: LogSource, tile: (t: Tile) => Promise<Uint8Array>): LogSource {
  return {
    description: inner.description,
    checkpoint: () => inner.checkpoint(),
    vkey: () => inner.vkey(),
    tile,
    stats: () => inner.stats(),
  };
}

describe('a log of two level-1 tiles (66,048 entries)', () => {
  const size = 66_048;
  let clean: string;
  before(async () => {
    clean = await writeLog(tmp('two-level-1'), declarations(size), origin, key.skey);
  });
  const copy = () => {
    const dir = tmp('two-level-1-copy');
    cpSync(clean, dir, { recursive: true });
    return dir;
  };

  test('verifies, asking for each entry bundle and tile once', async () => {
    const asked = new Map<string, number>();
    const dir = new DirSource(clean);
    const counted = wrap(dir, (t) => {
      asked.set(tilePath(t), (asked.get(tilePath(t)) ?? 0) + 1);
      return dir.tile(t);
    });
    assert.equal((await verifyLog(counted, { logKeys })).totals.entries, size);
    const bundles = [...asked.keys()].filter((p) => p.startsWith('tile/entries/'));
    assert.equal(bundles.length, size / 256);
    assert.deepEqual(
      [...asked].filter(([, n]) => n !== 1),
      [],
      'a file asked for twice (or a bundle past the log asked for at all)',
    );
    assert.equal(asked.get('tile/1/000'), 1);
    assert.equal(asked.get('tile/1/001.p/2'), 1);
    assert.equal(asked.get('tile/2/000.p/1'), 1);
  });

  test('a flipped hash in the full level-1 tile is caught against the entries below it', async () => {
    const dir = copy();
    flip(dir, 'tile/1/000', 5 * 32 + 1);
    await blamed(
      verifyLog(new DirSource(dir), { logKeys }),
      'tile/1/000',
      /tile\/1\/000, a full level-1 hash tile covering entries 0–65535 \(as served by .*\): hash 5 differs from the one the entries below it produce$/,
      ['tile/1/000'],
    );
  });

  test('an entry or a hash of a full bundle under the second level-1 tile is blamed on its file', async () => {
    let dir = copy();
    flip(dir, 'tile/entries/257', entryAt(3) + 20);
    await blamed(
      verifyLog(new DirSource(dir), { logKeys }),
      'tile/entries/257',
      /entry 65795 does not hash to hash 3 of tile\/0\/257, which tile\/1\/001\.p\/2 confirms$/,
      ['tile/entries/257', 'tile/0/257'],
    );
    dir = copy();
    flip(dir, 'tile/0/257', 3 * 32 + 7);
    await blamed(
      verifyLog(new DirSource(dir), { logKeys }),
      'tile/0/257',
      /hash 3 is not the hash of entry 65795 in tile\/entries\/257$/,
      ['tile/0/257', 'tile/entries/257'],
    );
    // The first entry of a bundle, as any other.
    dir = copy();
    flip(dir, 'tile/entries/001', entryAt(0) + 20);
    await blamed(
      verifyLog(new DirSource(dir), { logKeys }),
      'tile/entries/001',
      /entry 256 does not hash to hash 0 of tile\/0\/001, which tile\/1\/000 confirms$/,
    );
    // With the level-1 tile's hash of that bundle flipped too, nothing confirms either side: the
    // level-0 tile is named as not matching the entry, and no tile is said to confirm it.
    flip(dir, 'tile/1/000', 1 * 32 + 9);
    await blamed(
      verifyLog(new DirSource(dir), { logKeys }),
      'tile/0/001',
      /: hash 0 is not the hash of entry 256 in tile\/entries\/001$/,
    );
  });
});

test('a tile is described by the entries it covers, at every level', () => {
  assert.equal(
    describeTile({ level: 1, index: 1, width: 2 }, 66_048),
    'tile/1/001.p/2, a partial (2 of 256) level-1 hash tile covering entries 65536–66047',
  );
  assert.equal(
    describeTile({ level: 0, index: 3, width: 256 }, 66_048),
    'tile/0/003, a full level-0 hash tile covering entries 768–1023',
  );
  assert.equal(
    describeTile({ level: -1, index: 257, width: 256 }, 66_048),
    'tile/entries/257, a full entry bundle covering entries 65792–66047',
  );
});

test('a checkpoint validly signed over other entries of the same size is refused at the root', async () => {
  const ours = await writeLog(tmp('root-ours'), declarations(300), origin, key.skey);
  const other = await writeLog(
    tmp('root-other'),
    declarations(300, () => 'import'),
    origin,
    key.skey,
  );
  cpSync(join(other, 'checkpoint'), join(ours, 'checkpoint'));
  await blamed(
    verifyLog(new DirSource(ours), { logKeys }),
    'checkpoint',
    /^checkpoint: the 300 entries lead to root [A-Za-z0-9+/]{43}=, not to the checkpoint's root$/,
  );
});

test('the empty log verifies, and against a checkpoint of size 0 its root is compared', async () => {
  const dir = await writeLog(tmp('empty'), [], origin, key.skey);
  const result = await verifyLog(new DirSource(dir), { logKeys });
  assert.equal(result.checkpoint.treeSize, 0);
  const root = (await integrate(new TileMap().readTiles, 0, [])).root;
  await verifyLog(new DirSource(dir), { logKeys, previous: { size: 0, root } });
  // A log verified when it was empty, and grown since.
  const grown = await writeLog(tmp('grown'), declarations(3), origin, key.skey);
  assert.equal(
    (await verifyLog(new DirSource(grown), { logKeys, previous: { size: 0, root } })).totals
      .entries,
    3,
  );
  await blamed(
    verifyLog(new DirSource(dir), {
      logKeys,
      previous: { size: 0, root: new Uint8Array(32).fill(7) },
    }),
    'checkpoint',
    /FORK: at tree size 0 /,
  );
});

describe("a void's target is read again from the log", () => {
  // A void (entry 300) of entry 5, which is in an earlier bundle.
  const log: Entry[] = [
    ...declarations(300),
    { kind: 'void', day: '2026-11-21', target: 5, reason: 'request' },
  ];
  let dir: string;
  let otherBundle: Uint8Array;
  before(async () => {
    dir = await writeLog(tmp('void-again'), log, origin, key.skey);
    const other = await writeLog(
      tmp('void-other'),
      declarations(300, () => 'import'),
      origin,
      key.skey,
    );
    otherBundle = readFileSync(join(other, 'tile/entries/000'));
  });
  /** The log, but the second read of its first bundle answered by `second`. */
  const answeringTwice = (second: () => Promise<Uint8Array>) => {
    const inner = new DirSource(dir);
    let reads = 0;
    return wrap(inner, (t) =>
      tilePath(t) === 'tile/entries/000' && ++reads === 2 ? second() : inner.tile(t),
    );
  };

  test('another entry the second time is caught by its proof against the signed root', async () => {
    await blamed(
      verifyLog(
        answeringTwice(async () => otherBundle),
        { logKeys },
      ),
      'entry 5',
      /^entry 5: read again as the target of a void, it is not the entry verified before \(tile\/entries\/000, tile\/0\/000 answered differently the second time\): /,
      ['tile/entries/000', 'tile/0/000'],
    );
  });

  test('a failure to read it again is that failure, not a fault of the entry', async () => {
    const gone = new SourceError('tile/entries/000: the source is gone');
    await assert.rejects(
      verifyLog(
        answeringTwice(() => Promise.reject(gone)),
        { logKeys },
      ),
      (e) => e === gone,
    );
  });
});

test('a hash tile of the wrong length is blamed on it, at level 0 and above', async () => {
  const cases: Array<[number, string, number, RegExp]> = [
    [
      300,
      'tile/0/001.p/44',
      43 * 32,
      /level-0 hash tile covering entries 256–299 .*: it holds 1376 bytes, not 1408$/,
    ],
    [
      600,
      'tile/1/000.p/2',
      32,
      /level-1 hash tile covering entries 0–511 .*: it holds 32 bytes, not 64$/,
    ],
  ];
  for (const [size, file, kept, message] of cases) {
    const dir = await writeLog(tmp('short-tile'), declarations(size), origin, key.skey);
    writeFileSync(join(dir, file), readFileSync(join(dir, file)).subarray(0, kept));
    await blamed(verifyLog(new DirSource(dir), { logKeys }), file, message, [file]);
  }
});

test('a request that fails while an earlier bundle is checked fails the run, and is not left unhandled', async () => {
  const dir = await writeLog(tmp('fails-ahead'), declarations(600), origin, key.skey);
  const inner = new DirSource(dir);
  const refused = new SourceError('tile/entries/001: refused');
  const slow = wrap(inner, async (t) => {
    if (tilePath(t) === 'tile/entries/001') throw refused;
    await new Promise((r) => setTimeout(r, 30));
    return inner.tile(t);
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    await assert.rejects(verifyLog(slow, { logKeys }), (e) => e === refused);
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  assert.deepEqual(unhandled, []);
});

describe('a file of the cache that fails is fetched again, and what fails then says so', () => {
  let dir: string;
  before(async () => {
    dir = await writeLog(tmp('cache-twice'), declarations(300), origin, key.skey);
    flip(dir, 'tile/entries/000', entryAt(2) + 20);
  });
  /** The log's first bundle as if read from a cache, and after it is forgotten `fresh`. */
  const cachedSource = (fresh: (inner: DirSource, t: Tile) => Promise<Uint8Array>) => {
    const inner = new DirSource(dir);
    let forgotten = false;
    const source = wrap(inner, (t) =>
      forgotten && tilePath(t) === 'tile/entries/000' ? fresh(inner, t) : inner.tile(t),
    );
    return Object.assign(source, {
      cached: (path: string) => path === 'tile/entries/000',
      forget: async (path: string) => {
        assert.equal(path, 'tile/entries/000');
        forgotten = true;
      },
    });
  };
  const suffix = () =>
    ` (the cached copy of tile/entries/000 failed first, and was fetched again from ${dir})`;

  test('the same file read from the cache again: blamed on the cache', async () => {
    await assert.rejects(
      verifyLog(
        cachedSource((inner, t) => inner.tile(t)),
        { logKeys },
      ),
      (e: unknown) => {
        assert.ok(e instanceof VerificationError, String(e));
        assert.match(
          e.message,
          /full entry bundle covering entries 0–255 \(read from the local cache\): entry 2 /,
        );
        assert.ok(e.message.endsWith(suffix()), e.message);
        return true;
      },
    );
  });

  test('a fetch that fails the second time: that failure, with the first one told', async () => {
    await assert.rejects(
      verifyLog(
        cachedSource(() => Promise.reject(new SourceError('tile/entries/000: refused'))),
        { logKeys },
      ),
      (e: unknown) => {
        assert.ok(e instanceof SourceError, String(e));
        assert.equal(e.message, `tile/entries/000: refused${suffix()}`);
        return true;
      },
    );
  });
});
