// The byte helpers under every hash of the log.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { concatBytes, EMPTY_ROOT, equalBytes, hashChildren, hashLeaf, sha256 } from './hash.ts';

const sha = (...parts: number[][]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(Uint8Array.from(p));
  return Buffer.from(h.digest()).toString('hex');
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('leaf hashes are SHA-256(0x00 ‖ entry) at every length, short or long, one after another', () => {
  const a = hex(hashLeaf(Uint8Array.of(7, 8, 9)));
  for (const n of [0, 1, 1023, 1024, 1025, 5000]) {
    const entry = Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
    assert.equal(hex(hashLeaf(Uint8Array.from(entry))), sha([0], entry), `${n} bytes`);
  }
  // The scratch buffer a short entry is hashed in holds nothing of the entry before it.
  assert.equal(hex(hashLeaf(Uint8Array.of(7, 8, 9))), a);
  assert.equal(hex(hashLeaf(Uint8Array.of(7))), sha([0, 7]));
});

test('node hashes are SHA-256(0x01 ‖ left ‖ right), and a leaf is never a node', () => {
  const l = Array.from({ length: 32 }, (_, i) => i);
  const r = Array.from({ length: 32 }, (_, i) => 255 - i);
  assert.equal(hex(hashChildren(Uint8Array.from(l), Uint8Array.from(r))), sha([1], l, r));
  assert.notEqual(hex(hashLeaf(Uint8Array.from([...l, ...r]))), sha([1], l, r));
  assert.equal(hex(sha256(Uint8Array.of(1, 2))), sha([1, 2]));
  assert.equal(hex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('equalBytes compares every byte and the lengths', () => {
  assert.equal(equalBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3)), true);
  assert.equal(equalBytes(new Uint8Array(0), new Uint8Array(0)), true);
  assert.equal(equalBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4)), false);
  assert.equal(equalBytes(Uint8Array.of(0, 2, 3), Uint8Array.of(1, 2, 3)), false);
  // A longer array whose extra bytes are zero is still another array.
  assert.equal(equalBytes(Uint8Array.of(1, 2, 0), Uint8Array.of(1, 2)), false);
  assert.equal(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0)), false);
});

test('concatBytes puts the parts one after another in a new array', () => {
  const a = Uint8Array.of(1, 2);
  const out = concatBytes(a, new Uint8Array(0), Uint8Array.of(3), Uint8Array.of(4, 5));
  assert.deepEqual([...out], [1, 2, 3, 4, 5]);
  out[0] = 9;
  assert.equal(a[0], 1);
  assert.equal(concatBytes().length, 0);
});
