// A proof must have exactly as many hashes as the tree is deep at that leaf. Without that rule an
// interior node passes for a leaf (a proof cut short), or a subtree of a larger tree passes for a
// whole tree (a proof with hashes added): both would prove what the log never recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogError } from './errors.ts';
import { hashChildren, hashLeaf } from './hash.ts';
import {
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';

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
