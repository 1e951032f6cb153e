import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { HASH_SIZE, hashChildren, hashLeaf } from './hash.ts';
import { packedRangeHash } from './merkle.ts';
import { sha256Into, subtreeHashInto } from './sha256.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('sha256Into: the SHA-256 of node:crypto, for every length around the block boundaries', () => {
  const input = new Uint8Array(300).map((_, i) => (i * 151 + 7) & 0xff);
  const out = new Uint8Array(40);
  for (let length = 0; length <= 260; length++) {
    sha256Into(out, 3, input, 17, length);
    assert.equal(
      hex(out.subarray(3, 35)),
      hash('sha256', input.subarray(17, 17 + length)),
      `${length}`,
    );
    sha256Into(out, 0, input, 1, length, 0x01);
    const prefixed = new Uint8Array([1, ...input.subarray(1, 1 + length)]);
    assert.equal(hex(out.subarray(0, 32)), hash('sha256', prefixed), `0x01 ‖ ${length}`);
  }
  const abc = new Uint8Array(32);
  sha256Into(abc, 0, new TextEncoder().encode('abc'), 0, 3);
  assert.equal(hex(abc), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('sha256Into: leaf and node hashes as src/log/hash.ts makes them, also in place', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
      (entry, pair) => {
        const out = new Uint8Array(32);
        sha256Into(out, 0, entry, 0, entry.length, 0x00);
        assert.equal(hex(out), hex(hashLeaf(entry)));
        const buf = new Uint8Array(pair);
        sha256Into(buf, 0, buf, 0, 64, 0x01);
        assert.equal(
          hex(buf.subarray(0, 32)),
          hex(hashChildren(pair.subarray(0, 32), pair.subarray(32))),
        );
      },
    ),
  );
});

test('subtreeHashInto: the MTH of complete subtrees, as merkle.ts computes it', () => {
  const leaves = new Uint8Array(600 * HASH_SIZE).map((_, i) => (i * 31) & 0xff);
  for (const width of [1, 2, 4, 8, 64, 256]) {
    const out = new Uint8Array(HASH_SIZE);
    subtreeHashInto(out, 0, leaves, 9 * HASH_SIZE, width);
    assert.equal(hex(out), hex(packedRangeHash(leaves, 9, 9 + width)), `${width}`);
  }
  assert.throws(() => subtreeHashInto(new Uint8Array(32), 0, leaves, 0, 3), /power of two/);
});

test('subtreeHashInto refuses a width that is not a power of two', () => {
  const hashes = new Uint8Array(8 * HASH_SIZE);
  for (const width of [0, 3, 6, 7])
    assert.throws(() => subtreeHashInto(new Uint8Array(32), 0, hashes, 0, width), {
      code: 'out-of-range',
      message: `a complete subtree has a power of two leaves, not ${width}`,
    });
  const one = new Uint8Array(32);
  subtreeHashInto(one, 0, hashes.fill(5, 32, 64), HASH_SIZE, 1);
  assert.deepEqual([...one], new Array(32).fill(5));
});
