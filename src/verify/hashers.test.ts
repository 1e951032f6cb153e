// The hashing threads' check, run here and on real threads: what matches, what does not, and what
// a hasher leaves to the verifying thread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  concatBytes,
  encodeEntryBundle,
  equalBytes,
  HASH_SIZE,
  hashLeaf,
  rootFromLeafHashes,
} from '../log/index.ts';
import { checkBundle, startHashers } from './hashers.ts';

const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => new Uint8Array([i % 256, 7, i >> 8]));
const pair = (n: number) => {
  const list = entries(n);
  return { bundle: encodeEntryBundle(list), level0: concatBytes(...list.map(hashLeaf)), list };
};

test('a full bundle that matches its level-0 tile, and the level-1 hash above it', () => {
  const { bundle, level0, list } = pair(256);
  const check = checkBundle(bundle, level0, 256);
  assert.equal(check?.matches, true);
  assert.ok(check?.root && equalBytes(check.root, rootFromLeafHashes(list.map(hashLeaf))));
});

test('a partial bundle matches without a root; one changed entry or hash does not match', () => {
  const { bundle, level0 } = pair(89);
  assert.deepEqual(checkBundle(bundle, level0, 89), { matches: true });
  for (const at of [0, 88]) {
    const hashes = level0.slice();
    hashes[at * HASH_SIZE + 5] = (hashes[at * HASH_SIZE + 5] as number) ^ 1;
    assert.deepEqual(checkBundle(bundle, hashes, 89), { matches: false }, `hash ${at}`);
  }
  const changed = bundle.slice();
  changed[changed.length - 1] = (changed[changed.length - 1] as number) ^ 1; // the last entry's last byte
  assert.deepEqual(checkBundle(changed, level0, 89), { matches: false });
});

test('a bundle or tile of the wrong size is left to the verifying thread', () => {
  const { bundle, level0 } = pair(10);
  assert.equal(checkBundle(bundle, level0.subarray(32), 10), undefined);
  assert.equal(checkBundle(bundle, level0, 11), undefined);
  assert.equal(checkBundle(bundle.subarray(1), level0, 10), undefined);
});

test('on threads: the same answers, in the order asked, and none after closing', async () => {
  const hashers = startHashers(new URL('./verify-worker.ts', import.meta.url), 2);
  try {
    const asked = [pair(256), pair(3), pair(256)];
    asked[1]?.level0.fill(0);
    const answers = await Promise.all(
      asked.map((p) => hashers.check(p.bundle, p.level0, p.list.length)),
    );
    assert.deepEqual(
      answers,
      asked.map((p) => checkBundle(p.bundle, p.level0, p.list.length)),
    );
    assert.equal(answers[1]?.matches, false);
  } finally {
    await hashers.close();
  }
});
