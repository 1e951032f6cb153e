import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { concatBytes, HASH_SIZE, hashLeaf } from './hash.ts';
import { integrate } from './integrate.ts';
import { subtreeHashInto } from './sha256.ts';
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

test('what integrate is given is checked before anything is written, each refusal saying why', async () => {
  const map = new TileMap();
  map.apply((await integrate(map.readTiles, 0, range(0, 300))).tiles);
  const hashes = (n: number) => new Uint8Array(n * 32);
  const packed = (n: number, leafHashes = hashes(n)) => ({
    packed: new Uint8Array(n),
    lengths: new Uint16Array(n).fill(1),
    leafHashes,
  });
  await assert.rejects(integrate(map.readTiles, 300, packed(2, hashes(3))), {
    code: 'out-of-range',
    message: '3 leaf hashes for 2 entries',
  });
  await assert.rejects(
    integrate(map.readTiles, 300, range(300, 302), { leafHashes: hashes(1), subtrees: undefined }),
    { message: '1 leaf hashes for 2 entries' },
  );
  for (const size of [-1, 1.5, Number.NaN, 2 ** 53])
    await assert.rejects(integrate(map.readTiles, size, range(0, 1)), {
      code: 'out-of-range',
      message: `bad tree size ${size}`,
    });
  await assert.rejects(
    integrate(async (tiles) => (await map.readTiles(tiles)).slice(0, -1), 300, range(300, 301)),
    { code: 'malformed-tile', message: 'tile reader returned no data for level 1' },
  );
  const wide = async (tiles: readonly Tile[]) =>
    (await map.readTiles(tiles)).map((d, i) =>
      tiles[i]?.level === 0 ? new Uint8Array(d.length + 32) : d,
    );
  await assert.rejects(integrate(wide, 300, range(300, 301)), {
    code: 'malformed-tile',
    message: 'edge tile 0/1 has 1440 bytes, expected 1408',
  });
  // Subtree hashes must cover whole 256-leaf subtrees of the new entries only.
  const entries = range(300, 1000);
  const leafHashes = concatBytes(...entries.map(hashLeaf));
  const fit = (from: number, n: number) =>
    integrate(map.readTiles, 300, entries, { leafHashes, subtrees: { from, roots: hashes(n) } });
  for (const [from, n, why] of [
    [300, 1, '1 subtree hashes from leaf 300 do not fit leaves 300…999'],
    [256, 1, '1 subtree hashes from leaf 256 do not fit leaves 300…999'],
    [512, 2, '2 subtree hashes from leaf 512 do not fit leaves 300…999'],
  ] as const)
    await assert.rejects(fit(from, n), { code: 'out-of-range', message: why });
  // Those that fit are used as given: a wrong one shows in the root.
  const right = await integrate(map.readTiles, 300, entries, { leafHashes, subtrees: undefined });
  const given = await fit(512, 1);
  assert.notDeepEqual(given.root, right.root);
  await assert.rejects(
    integrate(map.readTiles, 300, entries, {
      leafHashes,
      subtrees: { from: 512, roots: new Uint8Array(33) },
    }),
    { message: /subtree hashes from leaf 512 do not fit/ },
  );
});

test('given subtree hashes are taken for their own subtrees, each, and for no other', async () => {
  const map = new TileMap();
  map.apply((await integrate(map.readTiles, 0, range(0, 300))).tiles);
  // New leaves 300…1599: complete 256-leaf subtrees from 512, 768, 1024 and 1280.
  const entries = range(300, 1600);
  const leafHashes = concatBytes(...entries.map(hashLeaf));
  const rootOf = (t: number) => {
    const out = new Uint8Array(HASH_SIZE);
    subtreeHashInto(out, 0, leafHashes, (t - 300) * HASH_SIZE, TILE_WIDTH);
    return out;
  };
  const plain = await integrate(map.readTiles, 300, entries);
  const withRoots = (...roots: Uint8Array[]) =>
    integrate(map.readTiles, 300, entries, {
      leafHashes,
      subtrees: { from: 768, roots: concatBytes(...roots) },
    });
  // Right ones for 768 and 1024: the same tree, the subtrees before and after computed here.
  const same = await withRoots(rootOf(768), rootOf(1024));
  assert.deepEqual(same.root, plain.root);
  assert.deepEqual(
    same.tiles.map((t) => [tilePath(t.tile), Buffer.from(t.data).toString('hex')]),
    plain.tiles.map((t) => [tilePath(t.tile), Buffer.from(t.data).toString('hex')]),
  );
  // A wrong one, first or second, is used as given: it shows in the root.
  const wrong = new Uint8Array(HASH_SIZE).fill(9);
  assert.notDeepEqual((await withRoots(wrong, rootOf(1024))).root, plain.root);
  assert.notDeepEqual((await withRoots(rootOf(768), wrong)).root, plain.root);
});

test('packed entries with their leaf hashes give the same tiles and root as a list of entries', async () => {
  for (const [from, to] of [
    [0, 1],
    [0, 256],
    [300, 811],
  ] as const) {
    const base = new TileMap();
    base.apply((await integrate(base.readTiles, 0, range(0, from))).tiles);
    const list = range(from, to);
    const lengths = Uint16Array.from(list, (e) => e.length);
    const packedEntries = {
      packed: Uint8Array.of(...list.flatMap((e) => [...e])),
      lengths,
      leafHashes: concatBytes(...list.map(hashLeaf)),
    };
    const a = await integrate(base.readTiles, from, list);
    const b = await integrate(base.readTiles, from, packedEntries);
    assert.deepEqual(b.root, a.root, `${from}…${to}`);
    assert.deepEqual(
      b.tiles.map((t) => [tilePath(t.tile), Buffer.from(t.data).toString('hex')]),
      a.tiles.map((t) => [tilePath(t.tile), Buffer.from(t.data).toString('hex')]),
    );
    // No entry bundle of width 0 where the batch ends on a tile boundary.
    assert.ok(b.tiles.every((t) => t.tile.width > 0));
  }
});

test('subtree hashes given for a level-0 tile are not taken for a level-1 one', async () => {
  // 65,792 leaves: level 1 then has a full tile of its own, whose hash must be computed.
  const n = 65536 + 256;
  const list = Array.from({ length: n }, (_, i) => Uint8Array.of(i & 0xff, i >> 8, i >> 16));
  const leafHashes = concatBytes(...list.map(hashLeaf));
  const roots = new Uint8Array((n / 256) * 32);
  for (let k = 0; k < n / 256; k++) subtreeHashInto(roots, k * 32, leafHashes, k * 256 * 32, 256);
  const plain = await integrate(new TileMap().readTiles, 0, list);
  const given = await integrate(new TileMap().readTiles, 0, list, {
    leafHashes,
    subtrees: { from: 0, roots },
  });
  assert.deepEqual(given.root, plain.root);
});

test('an entry bundle on the edge that does not hold its width is refused', async () => {
  const map = new TileMap();
  map.apply((await integrate(map.readTiles, 0, range(0, 300))).tiles);
  const extra = async (tiles: readonly Tile[]) =>
    (await map.readTiles(tiles)).map((d, i) =>
      tiles[i]?.level === ENTRIES_LEVEL ? Uint8Array.of(...d, 0, 1, 7) : d,
    );
  await assert.rejects(integrate(extra, 300, range(300, 301)), {
    code: 'malformed-tile',
    message: 'entry bundle holds 45 entries, expected 44',
  });
});
