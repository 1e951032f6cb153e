// Tile trees hold the same nodes as the RFC 9162 definition, and a bounded cache of them shared by
// proofs of every tree size changes no proof.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HASH_SIZE, hashLeaf } from './hash.ts';
import { integrate } from './integrate.ts';
import { rangeHash } from './merkle.ts';
import { proveConsistency, proveInclusion } from './proof.ts';
import { TILE_WIDTH } from './tile.ts';
import { TILE_TREE_SIZE, TileTreeCache, tileTree, treeNode } from './tile-tree.ts';
import { TileMap } from './tilemap.ts';

const MAX = 2 * TILE_WIDTH * TILE_WIDTH + 300; // two full level-1 tiles and a partial one
const entry = (i: number) => new TextEncoder().encode(`entry ${i}`);
const tiles = new TileMap();
for (let n = 0; n < MAX; ) {
  const k = Math.min(1 + ((n * 7919) % 40_000), MAX - n);
  const r = await integrate(
    tiles.readTiles,
    n,
    Array.from({ length: k }, (_, j) => entry(n + j)),
  );
  tiles.apply(r.tiles);
  n = r.treeSize;
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('every node of a tile tree is the hash of the leaves below it', () => {
  const leaves = Array.from({ length: 200 }, (_, i) => hashLeaf(entry(i)));
  const data = new Uint8Array(leaves.length * HASH_SIZE);
  leaves.forEach((h, i) => {
    data.set(h, i * HASH_SIZE);
  });
  for (const width of [1, 2, 3, 127, 128, 200]) {
    const tree = tileTree(data, width);
    for (let r = 0; r < 8; r++)
      for (let k = 0; (k + 1) << r <= width; k++)
        assert.equal(hex(treeNode(tree, r, k)), hex(rangeHash(leaves, k << r, (k + 1) << r)));
  }
});

test('a small cache shared by proofs of every size changes no proof', async () => {
  const cache = new TileTreeCache(3 * TILE_TREE_SIZE);
  const sizeAndIndex = fc
    .integer({ min: 1, max: MAX })
    .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));
  await fc.assert(
    fc.asyncProperty(sizeAndIndex, async ([size, index]) => {
      const cached = await proveInclusion(tiles.readTiles, size, index, cache);
      const fresh = await proveInclusion(tiles.readTiles, size, index);
      assert.deepEqual(cached.map(hex), fresh.map(hex));
      const from = Math.min(index + 1, size);
      const consistency = await proveConsistency(tiles.readTiles, from, size, cache);
      assert.deepEqual(
        consistency.map(hex),
        (await proveConsistency(tiles.readTiles, from, size)).map(hex),
      );
    }),
    { numRuns: 300 },
  );
  assert.ok(cache.size <= 3 && cache.size > 0);
  assert.equal(cache.bytes, cache.size * TILE_TREE_SIZE);
});

test('the cache keeps upper and partial tiles, not full level-0 ones, and drops the oldest', () => {
  const cache = new TileTreeCache(2 * TILE_TREE_SIZE);
  const tree = new Uint8Array(TILE_TREE_SIZE);
  cache.set(`0/5/${TILE_WIDTH}`, tree);
  assert.equal(cache.get(`0/5/${TILE_WIDTH}`), undefined);
  cache.set('0/9/17', tree);
  cache.set(`1/0/${TILE_WIDTH}`, tree);
  assert.equal(cache.get(`1/0/${TILE_WIDTH}`), tree, 'a full tile above level 0 is kept');
  assert.equal(cache.get('0/9/17'), tree); // now the most recently used
  cache.set('2/0/3', tree);
  assert.equal(cache.get(`1/0/${TILE_WIDTH}`), undefined);
  assert.equal(cache.get('0/9/17'), tree);
  assert.equal(cache.get('2/0/3'), tree);
  assert.equal(new TileTreeCache(0).size, 0);
});

test('setting a kept tree again makes it the most recently used', () => {
  const cache = new TileTreeCache(2 * TILE_TREE_SIZE);
  const [a, b, c] = [1, 2, 3].map((n) => new Uint8Array(TILE_TREE_SIZE).fill(n));
  cache.set('1/0/9', a as Uint8Array);
  cache.set('1/1/9', b as Uint8Array);
  cache.set('1/0/9', a as Uint8Array);
  cache.set('1/2/9', c as Uint8Array);
  assert.equal(cache.get('1/1/9'), undefined, 'the least recently used went');
  assert.equal(cache.get('1/0/9'), a);
  assert.equal(cache.size, 2);
});
