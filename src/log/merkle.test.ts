// Property tests: proofs from tiles verify for random sizes and indexes, match the in-memory
// RFC 9162 definition, and fail when any bit of the proof, the leaf or a root is flipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LogError } from './errors.ts';
import { hashLeaf } from './hash.ts';
import { integrate } from './integrate.ts';
import {
  consistencyRanges,
  inclusionRanges,
  rangeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
import { proveConsistency, proveInclusion, readNodeHashes, treeRoot } from './proof.ts';
import type { Tile } from './tile.ts';
import { TileMap } from './tilemap.ts';

const MAX = 1100; // crosses the 256 and 512 tile boundaries and a level-1 tile
const entry = (i: number) => new TextEncoder().encode(`entry ${i}`);
const leaves = Array.from({ length: MAX }, (_, i) => hashLeaf(entry(i)));
const tiles = new TileMap();
const roots: Uint8Array[] = [rootFromLeafHashes([])];
for (let n = 0; n < MAX; ) {
  const k = Math.min(1 + ((n * 7) % 97), MAX - n);
  const r = await integrate(
    tiles.readTiles,
    n,
    Array.from({ length: k }, (_, j) => entry(n + j)),
  );
  tiles.apply(r.tiles);
  n = r.treeSize;
  roots[n] = r.root;
}
const rootAt = (n: number) => roots[n] ?? rootFromLeafHashes(leaves.slice(0, n));

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function flip(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const at = Math.floor(bit / 8) % out.length;
  out[at] = (out[at] as number) ^ (1 << (bit % 8));
  return out;
}

const rejects = (f: () => void) =>
  assert.throws(f, (e: unknown) => e instanceof LogError && e.code === 'bad-proof');

const sizeAndIndex = fc
  .integer({ min: 1, max: MAX })
  .chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)));
const twoSizes = fc
  .tuple(fc.integer({ min: 1, max: MAX }), fc.integer({ min: 1, max: MAX }))
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

test('roots from tiles equal the in-memory MTH at every size', async () => {
  for (let n = 0; n <= MAX; n += 37)
    assert.equal(
      hex(await treeRoot(tiles.readTiles, n)),
      hex(rootFromLeafHashes(leaves.slice(0, n))),
    );
});

test('inclusion proofs from tiles verify and equal the RFC 9162 definition', async () => {
  await fc.assert(
    fc.asyncProperty(sizeAndIndex, async ([size, index]) => {
      const proof = await proveInclusion(tiles.readTiles, size, index);
      const reference = inclusionRanges(index, size).map(([lo, hi]) => rangeHash(leaves, lo, hi));
      assert.deepEqual(proof.map(hex), reference.map(hex));
      verifyInclusion(index, size, leaves[index] as Uint8Array, proof, rootAt(size));
    }),
  );
});

test('an inclusion proof fails when one bit of proof, leaf or root flips, or index or size changes', async () => {
  await fc.assert(
    fc.asyncProperty(sizeAndIndex, fc.nat(), fc.nat(), async ([size, index], which, bit) => {
      const proof = await proveInclusion(tiles.readTiles, size, index);
      const leaf = leaves[index] as Uint8Array;
      const root = rootAt(size);
      const spot = which % (proof.length + 2);
      if (spot < proof.length) {
        rejects(() =>
          verifyInclusion(
            index,
            size,
            leaf,
            proof.map((p, i) => (i === spot ? flip(p, bit) : p)),
            root,
          ),
        );
      } else if (spot === proof.length) {
        rejects(() => verifyInclusion(index, size, flip(leaf, bit), proof, root));
      } else {
        rejects(() => verifyInclusion(index, size, leaf, proof, flip(root, bit)));
      }
      if (size > 1) rejects(() => verifyInclusion((index + 1) % size, size, leaf, proof, root));
      rejects(() => verifyInclusion(index, size, leaf, [...proof, leaf], root));
      if (proof.length > 0) rejects(() => verifyInclusion(index, size, leaf, proof.slice(1), root));
    }),
  );
});

test('consistency proofs from tiles verify and equal the RFC 9162 definition', async () => {
  await fc.assert(
    fc.asyncProperty(twoSizes, async ([m, n]) => {
      const proof = await proveConsistency(tiles.readTiles, m, n);
      const reference = consistencyRanges(m, n).map(([lo, hi]) => rangeHash(leaves, lo, hi));
      assert.deepEqual(proof.map(hex), reference.map(hex));
      verifyConsistency(m, n, rootAt(m), rootAt(n), proof);
    }),
  );
});

test('a consistency proof fails when one bit of proof or either root flips', async () => {
  await fc.assert(
    fc.asyncProperty(twoSizes, fc.nat(), fc.nat(), async ([m, n], which, bit) => {
      const proof = await proveConsistency(tiles.readTiles, m, n);
      const spot = which % (proof.length + 2);
      if (spot < proof.length) {
        rejects(() =>
          verifyConsistency(
            m,
            n,
            rootAt(m),
            rootAt(n),
            proof.map((p, i) => (i === spot ? flip(p, bit) : p)),
          ),
        );
      } else if (spot === proof.length) {
        rejects(() => verifyConsistency(m, n, flip(rootAt(m), bit), rootAt(n), proof));
      } else {
        rejects(() => verifyConsistency(m, n, rootAt(m), flip(rootAt(n), bit), proof));
      }
      if (m < n) rejects(() => verifyConsistency(m, n, rootAt(m), rootAt(n), proof.slice(0, -1)));
    }),
  );
});

test('equal sizes with different roots are a fork', () => {
  assert.throws(() => verifyConsistency(5, 5, rootAt(5), rootAt(6), []), /forked/);
});

test('proof requests outside the tree are out-of-range errors', async () => {
  await assert.rejects(proveInclusion(tiles.readTiles, 10, 10), { code: 'out-of-range' });
  await assert.rejects(proveConsistency(tiles.readTiles, 11, 10), { code: 'out-of-range' });
});

test('a node cache shared by many proofs changes no proof', async () => {
  const cache = new Map<string, Uint8Array>();
  for (let index = 0; index < MAX; index += 7) {
    const cached = await proveInclusion(tiles.readTiles, MAX, index, cache);
    const fresh = await proveInclusion(tiles.readTiles, MAX, index);
    assert.deepEqual(cached.map(hex), fresh.map(hex));
  }
  assert.ok(cache.size > 0);
});

test('tiles from an untrusted source are checked for size before a proof reads into them', async () => {
  const cut = (by: number) => async (wanted: readonly Tile[]) =>
    (await tiles.readTiles(wanted)).map((d) =>
      by < 0 ? Uint8Array.of(...d, ...new Uint8Array(-by)) : d.subarray(0, d.length - by),
    );
  // At 1,100 leaves a proof of leaf 5 reads tile 0/0 (full) and the level-1 tile 1/0 (width 4).
  await assert.rejects(proveInclusion(cut(32), MAX, 5), {
    code: 'malformed-tile',
    message: /^tile [01]\/0 has \d+ bytes, expected at least \d+$/,
  });
  await assert.rejects(proveInclusion(cut(1), MAX, 5), { code: 'malformed-tile' });
  // Longer than asked but not whole hashes: not a tile either.
  await assert.rejects(proveInclusion(cut(-1), MAX, 5), {
    message: /^tile [01]\/0 has \d+ bytes, expected at least \d+$/,
  });
  await assert.rejects(
    proveInclusion(async (w) => w.map(() => new Uint8Array(0)), MAX, 5),
    {
      message: /^tile [01]\/0 has 0 bytes, expected at least (8192|128)$/,
    },
  );
  await assert.rejects(
    proveInclusion(async () => [], MAX, 5),
    {
      message: /^tile [01]\/0 has 0 bytes/,
    },
  );
  // A wider version of a tile is fine: only its prefix is read.
  const wider = async (wanted: readonly Tile[]) =>
    (await tiles.readTiles(wanted)).map((d) => Uint8Array.of(...d, ...new Uint8Array(64)));
  assert.deepEqual(
    (await proveInclusion(wider, MAX, 5)).map(hex),
    (await proveInclusion(tiles.readTiles, MAX, 5)).map(hex),
  );
});

test('a node outside the tree is named', async () => {
  await assert.rejects(readNodeHashes(tiles.readTiles, 1000, [{ height: 8, index: 3 }]), {
    code: 'out-of-range',
    message: 'subtree 8/3 is not complete in a tree of size 1000',
  });
  const [node] = await readNodeHashes(tiles.readTiles, 1024, [{ height: 8, index: 3 }]);
  assert.equal(hex(node as Uint8Array), hex(rootFromLeafHashes(leaves.slice(768, 1024))));
});

test('proofs asked at once with one cache read each tile once, and the cache answers later ones', async () => {
  const reads = new Map<string, number>();
  const counting = async (wanted: readonly Tile[]) => {
    assert.ok(wanted.length > 0, 'no read of nothing');
    for (const t of wanted) {
      const key = `${t.level}/${t.index}/${t.width}`;
      reads.set(key, (reads.get(key) ?? 0) + 1);
    }
    return tiles.readTiles(wanted);
  };
  const cache = new Map<string, Uint8Array>();
  const indexes = [1, 2, 3, 300, 301, 700, 1000, 1001, 1099];
  const proofs = await Promise.all(indexes.map((i) => proveInclusion(counting, MAX, i, cache)));
  for (const [k, i] of indexes.entries())
    assert.deepEqual(
      proofs[k]?.map(hex),
      (await proveInclusion(tiles.readTiles, MAX, i)).map(hex),
      `${i}`,
    );
  assert.deepEqual(
    [...reads.values()].filter((n) => n > 1),
    [],
    `each tile read once: ${JSON.stringify([...reads])}`,
  );
  const before = reads.size;
  const total = [...reads.values()].reduce((a, b) => a + b, 0);
  await proveInclusion(counting, MAX, 2, cache);
  assert.equal(
    [...reads.values()].reduce((a, b) => a + b, 0),
    total,
    'all from the cache',
  );
  assert.equal(reads.size, before);
  // A failed read is not kept: the next proof reads again.
  const failing = async () => {
    throw new Error('disk gone');
  };
  const fresh = new Map<string, Uint8Array>();
  await assert.rejects(proveInclusion(failing, MAX, 5, fresh), /disk gone/);
  assert.equal(fresh.size, 0);
  assert.equal((await proveInclusion(tiles.readTiles, MAX, 5, fresh)).length > 0, true);
});
