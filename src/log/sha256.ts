// SHA-256 of small inputs into a caller's buffer, for the millions of them in an import and in
// integration (commitments, leaves, the nodes of whole subtrees). There, node:crypto's one-shot
// hash costs about 1 µs a call whatever the input, most of it crossing into C++ and allocating the
// result; @noble/hashes (audited, pure JavaScript) stays in JavaScript and costs about half. The
// rest of the log hashes with node:crypto (src/log/hash.ts); the tests check the two agree.
import { sha256 } from '@noble/hashes/sha2.js';
import { LogError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import { isPowerOfTwo } from './merkle.ts';

/** A hasher in its initial state, copied into `hasher` before each hash: no allocation per hash. */
const initial = sha256.create();
const hasher = sha256.create();
const digest = new Uint8Array(HASH_SIZE);
const PREFIXES = Array.from({ length: 256 }, (_, b) => new Uint8Array([b]));

/**
 * SHA-256 of `prefix ‖ input[from…from+length)` into `out[at…at+32)`; with `prefix` -1, of the
 * input alone. `out` may be `input`, even overlapping it: the input is read before `out` is
 * written.
 */
export function sha256Into(
  out: Uint8Array,
  at: number,
  input: Uint8Array,
  from: number,
  length: number,
  prefix = -1,
): void {
  initial._cloneInto(hasher);
  if (prefix >= 0) hasher.update(PREFIXES[prefix] as Uint8Array);
  hasher.update(input.subarray(from, from + length));
  hasher.digestInto(digest);
  out.set(digest, at);
}

let level = new Uint8Array(256 * HASH_SIZE);

/**
 * MTH of the complete subtree of `width` leaves (a power of two) whose hashes are packed at
 * `hashes[from…]`, 32 bytes each, into `out[at…at+32)`: each level's nodes hashed in a row,
 * SHA-256(0x01 ‖ left ‖ right), as src/log/merkle.ts does one by one.
 */
export function subtreeHashInto(
  out: Uint8Array,
  at: number,
  hashes: Uint8Array,
  from: number,
  width: number,
): void {
  if (!isPowerOfTwo(width))
    throw new LogError(
      'out-of-range',
      `a complete subtree has a power of two leaves, not ${width}`,
    );
  if (width === 1) {
    out.set(hashes.subarray(from, from + HASH_SIZE), at);
    return;
  }
  if (level.length < (width / 2) * HASH_SIZE) level = new Uint8Array((width / 2) * HASH_SIZE);
  for (let i = 0; i < width / 2; i++)
    sha256Into(level, i * HASH_SIZE, hashes, from + 2 * i * HASH_SIZE, 2 * HASH_SIZE, 0x01);
  for (let w = width / 4; w >= 1; w /= 2)
    for (let i = 0; i < w; i++)
      sha256Into(level, i * HASH_SIZE, level, 2 * i * HASH_SIZE, 2 * HASH_SIZE, 0x01);
  out.set(level.subarray(0, HASH_SIZE), at);
}
