import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LogError } from './errors.ts';
import {
  ENTRIES_LEVEL,
  edgeTiles,
  encodeEntryBundle,
  encodePackedBundle,
  joinHashes,
  MAX_ENTRY_SIZE,
  narrowTile,
  nodesAtLevel,
  parseEntryBundle,
  parseTilePath,
  tileAt,
  tileHash,
  tilePath,
} from './tile.ts';

test('tile paths round-trip for any level, index and width', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -1, max: 63 }),
      fc.maxSafeNat(),
      fc.integer({ min: 1, max: 256 }),
      (level, index, width) => {
        const path = tilePath({ level, index, width });
        assert.deepEqual(parseTilePath(path), { level, index, width });
      },
    ),
  );
});

const nonCanonical = [
  'tile/0/x000/001', // leading zero group
  'tile/0/1', // not three digits
  'tile/0/0001',
  'tile/00/000', // level with leading zero
  'tile/64/000', // level above 63
  'tile/-1/000',
  'tile/0/000.p/0', // partial of width 0
  'tile/0/000.p/256', // "partial" of full width
  'tile/0/000.p/007',
  'tile/0/001/002', // missing x prefix
  'tile/0/x001', // x on the last group
  'tile/entries/000.p/',
  '/tile/0/000',
  'tile/0/000/',
  'tile/0/x999/x999/x999/x999/x999/x999/000', // beyond 2^53
];
for (const path of nonCanonical) {
  test(`rejects tile path ${path}`, () =>
    assert.throws(() => parseTilePath(path), { code: 'malformed-tile' }));
}

test('entry bundles round-trip', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 256 }), (entries) => {
      const parsed = parseEntryBundle(encodeEntryBundle(entries), entries.length);
      assert.deepEqual(
        parsed.map((e) => Buffer.from(e)),
        entries.map((e) => Buffer.from(e)),
      );
    }),
  );
});

test('truncated or miscounted entry bundles are malformed', () => {
  const bundle = encodeEntryBundle([new Uint8Array([1, 2, 3]), new Uint8Array([4])]);
  for (let cut = 1; cut < bundle.length; cut++) {
    if (cut === 5) continue; // a clean boundary after the first entry
    assert.throws(
      () => parseEntryBundle(bundle.subarray(0, cut)),
      { code: 'malformed-tile' },
      `cut at ${cut}`,
    );
  }
  assert.throws(() => parseEntryBundle(bundle, 3), { code: 'malformed-tile' });
  fc.assert(
    fc.property(fc.uint8Array(), (bytes) => {
      try {
        parseEntryBundle(bytes);
      } catch (e) {
        assert.ok(e instanceof LogError);
      }
    }),
  );
});

test('edge tiles of a tree', () => {
  assert.deepEqual(edgeTiles(0), []);
  assert.deepEqual(edgeTiles(256), [{ level: 1, index: 0, width: 1 }]);
  assert.deepEqual(edgeTiles(70000).map(tilePath), [
    'tile/entries/273.p/112',
    'tile/0/273.p/112',
    'tile/1/001.p/17',
    'tile/2/000.p/1',
  ]);
  assert.equal(edgeTiles(1)[0]?.level, ENTRIES_LEVEL);
});

test('each refused tile path says why', () => {
  const why: Array<[string, string]> = [
    ['tile/0/1', 'not a tile path: "tile/0/1"'],
    ['tile/64/000', 'tile level 64 is above 63'],
    ['tile/63/000', ''],
    ['tile/0/x000/001', 'tile index has a leading zero group: tile/0/x000/001'],
    ['tile/0/x001/x000/001', ''],
    [
      'tile/0/x999/x999/x999/x999/x999/x999/000',
      'tile index too large: tile/0/x999/x999/x999/x999/x999/x999/000',
    ],
    ['tile/0/x009/x007/x199/x254/x740/991', ''],
    ['tile/0/000.p/256', 'partial tile width must be 1-255: tile/0/000.p/256'],
    ['tile/0/000.p/255', ''],
  ];
  for (const [path, message] of why) {
    if (message === '') assert.equal(tilePath(parseTilePath(path)), path, path);
    else assert.throws(() => parseTilePath(path), { code: 'malformed-tile', message }, path);
  }
  assert.deepEqual(parseTilePath('tile/0/x009/x007/x199/x254/x740/991'), {
    level: 0,
    index: Number.MAX_SAFE_INTEGER,
    width: 256,
  });
  assert.deepEqual(parseTilePath('tile/entries/x001/234.p/7'), {
    level: ENTRIES_LEVEL,
    index: 1234,
    width: 7,
  });
  assert.equal(tilePath({ level: 2, index: 1_002_003, width: 256 }), 'tile/2/x001/x002/003');
});

test('tiles of a tree: their width at each level, and the ones that do not exist', () => {
  assert.equal(nodesAtLevel(70000, ENTRIES_LEVEL), 70000);
  assert.equal(nodesAtLevel(70000, 0), 70000);
  assert.equal(nodesAtLevel(70000, 1), 273);
  assert.equal(nodesAtLevel(70000, 2), 1);
  assert.deepEqual(tileAt(70000, 0, 273), { level: 0, index: 273, width: 112 });
  assert.deepEqual(tileAt(70000, 0, 272), { level: 0, index: 272, width: 256 });
  assert.deepEqual(tileAt(70000, 1, 1), { level: 1, index: 1, width: 17 });
  assert.throws(() => tileAt(70000, 0, 274), {
    code: 'out-of-range',
    message: 'tile 0/274 does not exist at tree size 70000',
  });
  assert.throws(() => tileAt(65535, 2, 0), { code: 'out-of-range' });
  assert.deepEqual(tileAt(65536, 2, 0), { level: 2, index: 0, width: 1 });
  assert.deepEqual(edgeTiles(255), [
    { level: ENTRIES_LEVEL, index: 0, width: 255 },
    { level: 0, index: 0, width: 255 },
  ]);
});

test('hash tiles: a hash is 32 bytes at its place; joined hashes read back', () => {
  const hashes = [1, 2, 3].map((n) => new Uint8Array(32).fill(n));
  const data = joinHashes(hashes);
  assert.equal(data.length, 96);
  for (let i = 0; i < 3; i++)
    assert.deepEqual([...tileHash(data, i)], [...(hashes[i] as Uint8Array)]);
  assert.equal(tileHash(data, 3).length, 0);
  assert.deepEqual(
    [...narrowTile({ level: 0, index: 0, width: 2 }, data)],
    [...data.subarray(0, 64)],
  );
});

test('entry bundles: the size limit, packed entries, refusals that say where, and narrowing', () => {
  assert.equal(encodeEntryBundle([new Uint8Array(MAX_ENTRY_SIZE)]).length, MAX_ENTRY_SIZE + 2);
  assert.throws(() => encodeEntryBundle([new Uint8Array(MAX_ENTRY_SIZE + 1)]), {
    code: 'out-of-range',
    message: 'entry of 65536 bytes is larger than 65535 bytes',
  });
  const entries = [Uint8Array.of(1, 2, 3), new Uint8Array(0), new Uint8Array(300).fill(9)];
  const bundle = encodeEntryBundle(entries);
  assert.deepEqual([...bundle.subarray(0, 7)], [0, 3, 1, 2, 3, 0, 0]);
  assert.deepEqual([...bundle.subarray(7, 9)], [1, 44], 'a length of 300, big-endian');
  const packed = Uint8Array.of(7, 7, ...entries.flatMap((e) => [...e]));
  assert.deepEqual(
    [...encodePackedBundle(packed, 2, Uint16Array.of(3, 0, 300))],
    [...bundle],
    'packed entries, from an offset',
  );
  assert.throws(() => parseEntryBundle(bundle.subarray(0, 6)), {
    message: 'entry bundle truncated in a length prefix at byte 5',
  });
  assert.throws(() => parseEntryBundle(bundle.subarray(0, 4)), {
    message: 'entry 0 of the bundle claims 3 bytes, only 2 left',
  });
  assert.throws(() => parseEntryBundle(bundle, 2), {
    message: 'entry bundle holds 3 entries, expected 2',
  });
  assert.equal(parseEntryBundle(bundle, 3).length, 3);
  const two = narrowTile({ level: ENTRIES_LEVEL, index: 0, width: 2 }, bundle);
  assert.deepEqual([...two], [...encodeEntryBundle(entries.slice(0, 2))]);
  assert.equal(narrowTile({ level: ENTRIES_LEVEL, index: 0, width: 3 }, bundle), bundle);
  const full = encodeEntryBundle(Array.from({ length: 256 }, () => Uint8Array.of(5)));
  assert.equal(narrowTile({ level: ENTRIES_LEVEL, index: 0, width: 256 }, full), full);
});
