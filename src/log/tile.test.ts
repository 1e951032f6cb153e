import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LogError } from './errors.ts';
import {
  ENTRIES_LEVEL,
  edgeTiles,
  encodeEntryBundle,
  parseEntryBundle,
  parseTilePath,
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
