// SHA-256 of small inputs into a caller's buffer, for the millions of them in an import and in
// integration (commitments, leaves, the nodes of whole subtrees), through node:crypto's one-shot
// hash over a scratch buffer that holds the prefix and the input. A hasher object of
// @noble/hashes per call (its public `create()` or `clone()`) costs more: about 1.9 µs a hash
// against 1.4 µs here, its allocations as much as the hashing; reusing one hasher needs its
// private `_cloneInto`, which a patch release may change.
import { hash } from 'node:crypto';
import { LogError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import { isPowerOfTwo } from './merkle.ts';

let scratch = new Uint8Array(256);

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
  const n = prefix >= 0 ? length + 1 : length;
  if (scratch.length < n) scratch = new Uint8Array(n * 2);
  if (prefix >= 0) scratch[0] = prefix;
  scratch.set(input.subarray(from, from + length), n - length);
  out.set(hash('sha256', scratch.subarray(0, n), 'buffer'), at);
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
