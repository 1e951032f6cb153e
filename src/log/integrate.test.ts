import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { integrate } from './integrate.ts';
import {
  ENTRIES_LEVEL,
  MAX_ENTRY_SIZE,
  nodesAtLevel,
  TILE_WIDTH,
  type Tile,
  tilePath,
} from './tile.ts';
import { TileMap } from './tilemap.ts';

const entry = (i: number) => new TextEncoder().encode(`declaration ${i}`.repeat((i % 3) + 1));
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => entry(from + k));

/** The tiles that change from `oldSize` to `newSize`, as tlog-tiles defines them (Go's NewTiles). */
function changedTiles(oldSize: number, newSize: number): Tile[] {
  const out: Tile[] = [];
  for (let level = ENTRIES_LEVEL; nodesAtLevel(newSize, level) > 0; level++) {
    const oldN = nodesAtLevel(oldSize, level);
    const newN = nodesAtLevel(newSize, level);
    if (oldN === newN) continue;
    for (let n = Math.floor(oldN / TILE_WIDTH); n * TILE_WIDTH < newN; n++) {
      out.push({ level, index: n, width: Math.min(TILE_WIDTH, newN - n * TILE_WIDTH) });
    }
  }
  return out;
}

const batchSizes = fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 8 });

test('splitting the same entries into batches in any way gives the same tiles and root', async () => {
  await fc.assert(
    fc.asyncProperty(batchSizes, async (sizes) => {
      const total = sizes.reduce((a, b) => a + b, 0);
      const once = await integrate(new TileMap().readTiles, 0, range(0, total));
      const whole = new TileMap();
      whole.apply(once.tiles);

      const split = new TileMap();
      let n = 0;
      let root = once.root;
      for (const k of sizes) {
        const r = await integrate(split.readTiles, n, range(n, n + k));
        assert.deepEqual(
          r.tiles.map((t) => tilePath(t.tile)).sort(),
          changedTiles(n, n + k)
            .map(tilePath)
            .sort(),
          `exactly the changed tiles from ${n} to ${n + k}`,
        );
        split.apply(r.tiles);
        n = r.treeSize;
        root = r.root;
      }
      assert.deepEqual(Buffer.from(root), Buffer.from(once.root));
      assert.equal(split.size, whole.size);
      for (const t of once.tiles)
        assert.deepEqual(split.get(t.tile)?.data, t.data, tilePath(t.tile));
    }),
    { numRuns: 60 },
  );
});

test('nothing to add: same root, no tiles', async () => {
  const map = new TileMap();
  const first = await integrate(map.readTiles, 0, range(0, 300));
  map.apply(first.tiles);
  const again = await integrate(map.readTiles, 300, []);
  assert.deepEqual(Buffer.from(again.root), Buffer.from(first.root));
  assert.deepEqual(again.tiles, []);
});

test('reads only the edge tiles, once', async () => {
  const map = new TileMap();
  map.apply((await integrate(map.readTiles, 0, range(0, 70000))).tiles);
  const calls: string[][] = [];
  await integrate(
    async (tiles) => {
      calls.push(tiles.map(tilePath));
      return map.readTiles(tiles);
    },
    70000,
    range(70000, 70001),
  );
  assert.deepEqual(calls, [
    ['tile/entries/273.p/112', 'tile/0/273.p/112', 'tile/1/001.p/17', 'tile/2/000.p/1'],
  ]);
});

test('an edge tile of the wrong size is refused, not built upon', async () => {
  const map = new TileMap();
  map.apply((await integrate(map.readTiles, 0, range(0, 10))).tiles);
  const short = async (tiles: readonly Tile[]) =>
    (await map.readTiles(tiles)).map((d) => d.subarray(0, d.length - 1));
  await assert.rejects(integrate(short, 10, range(10, 11)), { code: 'malformed-tile' });
});

test('an entry larger than 65,535 bytes is refused', async () => {
  await assert.rejects(
    integrate(new TileMap().readTiles, 0, [new Uint8Array(MAX_ENTRY_SIZE + 1)]),
    { code: 'out-of-range' },
  );
  const ok = await integrate(new TileMap().readTiles, 0, [new Uint8Array(MAX_ENTRY_SIZE)]);
  assert.equal(ok.treeSize, 1);
});
