// SHA-256 (FIPS 180-4) in JavaScript, writing into a caller's buffer, for the millions of small
// inputs of an import (commitments, leaves, the nodes of whole subtrees). There, node:crypto's
// one-shot hash costs about 1 µs a call whatever the input, most of it crossing into C++ and
// allocating the result; this costs about 0.4 µs a 64-byte block and allocates nothing. Everything
// else hashes with node:crypto (src/log/hash.ts); the tests check the two agree.
import { LogError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import { isPowerOfTwo } from './merkle.ts';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W = new Int32Array(64);
const H = new Int32Array(8);
let message = new Uint8Array(128);

function compress(m: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const j = at + 4 * i;
    W[i] =
      ((m[j] as number) << 24) |
      ((m[j + 1] as number) << 16) |
      ((m[j + 2] as number) << 8) |
      (m[j + 3] as number);
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15] as number;
    const y = W[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) | 0;
  }
  let a = H[0] as number;
  let b = H[1] as number;
  let c = H[2] as number;
  let d = H[3] as number;
  let e = H[4] as number;
  let f = H[5] as number;
  let g = H[6] as number;
  let h = H[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (W[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = ((H[0] as number) + a) | 0;
  H[1] = ((H[1] as number) + b) | 0;
  H[2] = ((H[2] as number) + c) | 0;
  H[3] = ((H[3] as number) + d) | 0;
  H[4] = ((H[4] as number) + e) | 0;
  H[5] = ((H[5] as number) + f) | 0;
  H[6] = ((H[6] as number) + g) | 0;
  H[7] = ((H[7] as number) + h) | 0;
}

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
  const n = length + (prefix >= 0 ? 1 : 0);
  const size = (n + 9 + 63) & ~63;
  if (message.length < size) message = new Uint8Array(size);
  const m = message;
  let o = 0;
  if (prefix >= 0) m[o++] = prefix;
  for (let i = 0; i < length; i++) m[o + i] = input[from + i] as number;
  o += length;
  m[o++] = 0x80;
  m.fill(0, o, size - 8);
  const bits = n * 8;
  const high = Math.floor(bits / 2 ** 32);
  m[size - 8] = high >>> 24;
  m[size - 7] = high >>> 16;
  m[size - 6] = high >>> 8;
  m[size - 5] = high;
  m[size - 4] = bits >>> 24;
  m[size - 3] = bits >>> 16;
  m[size - 2] = bits >>> 8;
  m[size - 1] = bits;
  H.set(IV);
  for (let k = 0; k < size; k += 64) compress(m, k);
  for (let i = 0; i < 8; i++) {
    const v = H[i] as number;
    out[at + 4 * i] = v >>> 24;
    out[at + 4 * i + 1] = v >>> 16;
    out[at + 4 * i + 2] = v >>> 8;
    out[at + 4 * i + 3] = v;
  }
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
