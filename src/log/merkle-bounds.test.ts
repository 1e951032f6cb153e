// A proof must have exactly as many hashes as the tree is deep at that leaf. Without that rule an
// interior node passes for a leaf (a proof cut short), or a subtree of a larger tree passes for a
// whole tree (a proof with hashes added): both would prove what the log never recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogError } from './errors.ts';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.ts';
import {
  consistencyRanges,
  foldRange,
  inclusionRanges,
  isPowerOfTwo,
  packedRangeHash,
  rangeHash,
  rangeNodes,
  rootFromInclusionProof,
  rootFromLeafHashes,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
import { joinHashes } from './tile.ts';

const leaves = Array.from({ length: 8 }, (_, i) => hashLeaf(new TextEncoder().encode(`leaf ${i}`)));
const leaf = (i: number) => leaves[i] as Uint8Array;
const root = (n: number) => rootFromLeafHashes(leaves.slice(0, n));
const n01 = hashChildren(leaf(0), leaf(1));
const n23 = hashChildren(leaf(2), leaf(3));

const badProof = (message: RegExp) => (e: unknown) =>
  e instanceof LogError && e.code === 'bad-proof' && message.test(e.message);

test('the honest proofs verify', () => {
  verifyInclusion(0, 4, leaf(0), [leaf(1), n23], root(4));
  verifyInclusion(2, 2 + 1, leaf(2), [n01], root(3));
  assert.deepEqual(rootFromInclusionProof(0, 1, leaf(0), []), leaf(0));
});

test('a proof shorter than the tree is deep is refused: an interior node is not a leaf', () => {
  // N(0,1) at "index 0" of the tree of 4 with the one hash N(2,3) gives the right root.
  assert.deepEqual(hashChildren(n01, n23), root(4));
  assert.throws(
    () => verifyInclusion(0, 4, n01, [n23], root(4)),
    badProof(/inclusion proof is shorter than the tree is deep/),
  );
  assert.throws(
    () => rootFromInclusionProof(3, 4, leaf(3), [leaf(2)]),
    badProof(/inclusion proof is shorter than the tree is deep/),
  );
  assert.throws(
    () => rootFromInclusionProof(0, 2, leaf(0), []),
    badProof(/inclusion proof is shorter than the tree is deep/),
  );
});

test('a proof longer than the tree is deep is refused: a subtree is not the whole tree', () => {
  // Leaf 2 is at index 0 of the subtree [2, 4); with N(0,1) appended the fold reaches the root of 4.
  assert.deepEqual(hashChildren(n01, hashChildren(leaf(2), leaf(3))), root(4));
  assert.throws(
    () => verifyInclusion(0, 2, leaf(2), [leaf(3), n01], root(4)),
    badProof(/inclusion proof is longer than the tree is deep/),
  );
  assert.throws(
    () => rootFromInclusionProof(0, 1, leaf(0), [leaf(1)]),
    badProof(/inclusion proof is longer than the tree is deep/),
  );
});

test('indexes and sizes outside the tree, and hashes of the wrong length, are refused', () => {
  for (const [index, size] of [
    [4, 4],
    [-1, 4],
    [0, 0],
    [0.5, 4],
    [0, 2 ** 53],
  ] as const)
    assert.throws(
      () => rootFromInclusionProof(index, size, leaf(0), []),
      badProof(new RegExp(`index ${index} is not in a tree of size ${size}`)),
    );
  assert.throws(
    () => verifyInclusion(0, 2, leaf(0).subarray(1), [leaf(1)], root(2)),
    badProof(/leaf hash is 31 bytes, not 32/),
  );
  assert.throws(
    () => verifyInclusion(0, 2, leaf(0), [new Uint8Array(33)], root(2)),
    badProof(/inclusion proof hash is 33 bytes, not 32/),
  );
  assert.throws(
    () => verifyInclusion(0, 2, leaf(0), [leaf(1)], root(3)),
    badProof(/inclusion proof for index 0 does not lead to the root of tree size 2/),
  );
});

test('consistency proofs of the wrong length are refused', () => {
  // From 2 to 4 the proof is [N(2,3)]; from 3 to 4 it is [leaf 2, leaf 3, N(0,1)].
  verifyConsistency(2, 4, root(2), root(4), [n23]);
  verifyConsistency(3, 4, root(3), root(4), [leaf(2), leaf(3), n01]);
  assert.throws(
    () => verifyConsistency(2, 4, root(2), root(4), []),
    badProof(/consistency proof is empty/),
  );
  assert.throws(
    () => verifyConsistency(3, 4, root(3), root(4), [leaf(2), leaf(3)]),
    badProof(/consistency proof is too short/),
  );
  assert.throws(
    () => verifyConsistency(2, 4, root(2), root(4), [n23, n01]),
    badProof(/consistency proof is too long/),
  );
  // Size 1 to 2 from a proof that also carries the upper half: the fold would reach the root of 4.
  assert.throws(
    () => verifyConsistency(1, 2, leaf(0), n01, [leaf(1), n23]),
    badProof(/consistency proof is too long/),
  );
});

test('consistency between equal sizes, from the empty tree, and backwards', () => {
  verifyConsistency(4, 4, root(4), root(4), []);
  verifyConsistency(0, 4, root(0), root(4), []);
  verifyConsistency(0, 0, root(0), root(0), []);
  assert.throws(
    () => verifyConsistency(4, 4, root(4), root(4), [n01]),
    badProof(/between equal sizes must be empty/),
  );
  assert.throws(
    () => verifyConsistency(0, 4, root(0), root(4), [n01]),
    badProof(/from the empty tree must be empty/),
  );
  assert.throws(
    () => verifyConsistency(4, 4, root(4), root(3), []),
    badProof(/two different roots for tree size 4: the log has forked/),
  );
  for (const [m, n] of [
    [5, 4],
    [-1, 4],
    [1.5, 4],
    [0, 2 ** 53],
  ] as const)
    assert.throws(
      () => verifyConsistency(m, n, root(4), root(4), []),
      badProof(new RegExp(`no consistency from size ${m} to size ${n}`)),
    );
  assert.throws(
    () => verifyConsistency(2, 4, root(2).subarray(2), root(4), [n23]),
    badProof(/old root is 30 bytes, not 32/),
  );
  assert.throws(
    () => verifyConsistency(2, 4, root(2), new Uint8Array(0), [n23]),
    badProof(/new root is 0 bytes, not 32/),
  );
  assert.throws(
    () => verifyConsistency(2, 4, root(2), root(4), [new Uint8Array(1)]),
    badProof(/consistency proof hash is 1 bytes, not 32/),
  );
  assert.throws(
    () => verifyConsistency(3, 4, root(2), root(4), [leaf(2), leaf(3), n01]),
    badProof(/does not lead to the root of tree size 3/),
  );
  assert.throws(
    () => verifyConsistency(2, 4, root(2), root(5), [n23]),
    badProof(/does not lead to the root of tree size 4/),
  );
});

// RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF/SUBPROOF written out as recursions, the text's own
// definition: every small tree's proofs are compared with them and verified.
const mth = (d: readonly Uint8Array[]): Uint8Array =>
  d.length === 1
    ? (d[0] as Uint8Array)
    : hashChildren(mth(d.slice(0, split(d.length))), mth(d.slice(split(d.length))));
const split = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
const path = (m: number, d: readonly Uint8Array[]): Uint8Array[] => {
  if (d.length === 1) return [];
  const k = split(d.length);
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
};
const subproof = (m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = split(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
};
const SMALL = 17;
const small = Array.from({ length: SMALL }, (_, i) =>
  hashLeaf(new TextEncoder().encode(`small ${i}`)),
);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const hashesOf = (ranges: ReadonlyArray<readonly [number, number]>) =>
  ranges.map(([lo, hi]) => hex(rangeHash(small, lo, hi)));

test('split points and powers of two', () => {
  assert.deepEqual([2, 3, 4, 5, 8, 9, 16, 17, 2 ** 40 + 1].map(splitPoint), [
    1,
    2,
    2,
    4,
    4,
    8,
    8,
    16,
    2 ** 40,
  ]);
  assert.deepEqual([0, 1, 2, 3, 4, 6, 8, 12, 2 ** 40, -2].map(isPowerOfTwo), [
    false,
    true,
    true,
    false,
    true,
    false,
    true,
    false,
    true,
    false,
  ]);
});

test('roots, inclusion and consistency proofs of every tree up to 17 leaves follow RFC 9162', () => {
  assert.equal(hex(rootFromLeafHashes([])), hex(EMPTY_ROOT));
  for (let n = 1; n <= SMALL; n++) {
    const d = small.slice(0, n);
    const root = rootFromLeafHashes(d);
    assert.equal(hex(root), hex(mth(d)), `root of ${n}`);
    assert.equal(
      hex(
        foldRange(
          rangeNodes(0, n).map(({ height, index }) =>
            rangeHash(small, index * 2 ** height, (index + 1) * 2 ** height),
          ),
        ),
      ),
      hex(root),
      `the nodes of [0, ${n})`,
    );
    for (let m = 0; m < n; m++) {
      const proof = path(m, d);
      assert.deepEqual(hashesOf(inclusionRanges(m, n)), proof.map(hex), `PATH(${m}, ${n})`);
      verifyInclusion(m, n, small[m] as Uint8Array, proof, root);
      assert.equal(hex(rootFromInclusionProof(m, n, small[m] as Uint8Array, proof)), hex(root));
    }
    assert.deepEqual(consistencyRanges(0, n), []);
    assert.deepEqual(consistencyRanges(n, n), []);
    for (let m = 1; m < n; m++) {
      const proof = subproof(m, d, true);
      assert.deepEqual(hashesOf(consistencyRanges(m, n)), proof.map(hex), `PROOF(${m}, ${n})`);
      verifyConsistency(m, n, mth(small.slice(0, m)), root, proof);
    }
  }
  assert.throws(() => inclusionRanges(3, 3), {
    code: 'out-of-range',
    message: 'index 3 is not in a tree of size 3',
  });
  assert.throws(() => inclusionRanges(-1, 3), { code: 'out-of-range' });
  assert.throws(() => consistencyRanges(4, 3), {
    code: 'out-of-range',
    message: 'no consistency proof from size 4 to size 3',
  });
  assert.throws(() => consistencyRanges(-1, 3), { code: 'out-of-range' });
});

test('the nodes of a range are the largest aligned subtrees, left to right', () => {
  assert.deepEqual(rangeNodes(0, 0), []);
  assert.deepEqual(rangeNodes(0, 1), [{ height: 0, index: 0 }]);
  assert.deepEqual(rangeNodes(0, 7), [
    { height: 2, index: 0 },
    { height: 1, index: 2 },
    { height: 0, index: 6 },
  ]);
  assert.deepEqual(rangeNodes(8, 16), [{ height: 3, index: 1 }]);
  assert.deepEqual(rangeNodes(12, 15), [
    { height: 1, index: 6 },
    { height: 0, index: 14 },
  ]);
  assert.equal(hex(foldRange([])), hex(EMPTY_ROOT));
  assert.equal(hex(foldRange([leaf(5)])), hex(leaf(5)));
  assert.equal(hex(rangeHash(small, 3, 3)), hex(EMPTY_ROOT));
  assert.equal(hex(rangeHash(small, 3, 4)), hex(small[3] as Uint8Array));
  assert.equal(
    hex(packedRangeHash(joinHashes(small.slice(0, 3)), 1, 3)),
    hex(hashChildren(small[1] as Uint8Array, small[2] as Uint8Array)),
  );
});
