// RFC 9162 §2.1: Merkle trees, and verification of inclusion and consistency proofs.
//
// Tree sizes and indexes are JavaScript numbers: exact up to 2^53, far beyond any registry. Bitwise
// operators would truncate them to 32 bits, so the arithmetic below uses division instead.
import { LogError } from './errors.ts';
import { EMPTY_ROOT, equalBytes, HASH_SIZE, hashChildren } from './hash.ts';
import { joinHashes } from './tile.ts';

/** A complete subtree: the 2^height leaves starting at index·2^height. */
export interface Node {
  readonly height: number;
  readonly index: number;
}

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** Largest power of two strictly less than n (n ≥ 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/**
 * The complete subtrees whose hashes, folded from the right, give MTH(D[lo:hi]).
 * Requires lo to be a multiple of a power of two ≥ hi - lo, which holds for every range RFC 9162's
 * proofs ask for.
 */
export function rangeNodes(lo: number, hi: number): Node[] {
  const nodes: Node[] = [];
  let at = lo;
  while (at < hi) {
    let size = 1;
    let height = 0;
    while (size * 2 <= hi - at && at % (size * 2) === 0) {
      size *= 2;
      height++;
    }
    nodes.push({ height, index: at / size });
    at += size;
  }
  return nodes;
}

/** MTH(D[lo:hi]) from the hashes of {@link rangeNodes}(lo, hi), in order. */
export function foldRange(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT;
  let h = hashes[hashes.length - 1] as Uint8Array;
  for (let i = hashes.length - 2; i >= 0; i--) h = hashChildren(hashes[i] as Uint8Array, h);
  return h;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]) as the ranges whose MTH make up the proof, leaf first. */
export function inclusionRanges(index: number, treeSize: number): Array<[number, number]> {
  if (!(index >= 0 && index < treeSize)) {
    throw new LogError('out-of-range', `index ${index} is not in a tree of size ${treeSize}`);
  }
  const out: Array<[number, number]> = [];
  let lo = 0;
  let hi = treeSize;
  const stack: Array<[number, number]> = [];
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      stack.push([lo + k, hi]);
      hi = lo + k;
    } else {
      stack.push([lo, lo + k]);
      lo += k;
    }
  }
  while (stack.length > 0) out.push(stack.pop() as [number, number]);
  return out;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) / SUBPROOF as the ranges whose MTH make up the proof. */
export function consistencyRanges(oldSize: number, newSize: number): Array<[number, number]> {
  if (!(oldSize >= 0 && oldSize <= newSize)) {
    throw new LogError(
      'out-of-range',
      `no consistency proof from size ${oldSize} to size ${newSize}`,
    );
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  const stack: Array<[number, number]> = [];
  let lo = 0;
  let hi = newSize;
  let m = oldSize;
  let complete = true; // SUBPROOF's b: true while D[0:m] is the whole old tree
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      stack.push([lo + k, hi]);
      hi = lo + k;
    } else {
      stack.push([lo, lo + k]);
      lo += k;
      m -= k;
      complete = false;
    }
  }
  const out: Array<[number, number]> = complete ? [] : [[lo, hi]];
  while (stack.length > 0) out.push(stack.pop() as [number, number]);
  return out;
}

/** MTH over a list of leaf hashes, for small in-memory trees (tests, receipts of one batch). */
export function rootFromLeafHashes(leaves: readonly Uint8Array[]): Uint8Array {
  return rangeHash(leaves, 0, leaves.length);
}

/** MTH(D[lo:hi]) over in-memory leaf hashes. */
export function rangeHash(leaves: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  return packedRangeHash(joinHashes(leaves.slice(lo, hi)), 0, hi - lo);
}

/** MTH(D[lo:hi]) over leaf hashes packed one after another, 32 bytes each. */
export function packedRangeHash(hashes: Uint8Array, lo: number, hi: number): Uint8Array {
  if (hi === lo) return EMPTY_ROOT;
  if (hi - lo === 1) return hashes.subarray(lo * HASH_SIZE, (lo + 1) * HASH_SIZE);
  const k = splitPoint(hi - lo);
  return hashChildren(packedRangeHash(hashes, lo, lo + k), packedRangeHash(hashes, lo + k, hi));
}

function checkHash(h: Uint8Array, what: string): void {
  if (h.length !== HASH_SIZE)
    throw new LogError('bad-proof', `${what} is ${h.length} bytes, not ${HASH_SIZE}`);
}

/**
 * RFC 9162 §2.1.3.2: the root that an inclusion proof for `leafHash` at `index` implies.
 * Every input is attacker-controlled; a malformed proof throws `bad-proof`.
 */
export function rootFromInclusionProof(
  index: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  if (
    !(
      Number.isSafeInteger(index) &&
      Number.isSafeInteger(treeSize) &&
      index >= 0 &&
      index < treeSize
    )
  ) {
    throw new LogError('bad-proof', `index ${index} is not in a tree of size ${treeSize}`);
  }
  checkHash(leafHash, 'leaf hash');
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    checkHash(p, 'inclusion proof hash');
    if (sn === 0)
      throw new LogError('bad-proof', 'inclusion proof is longer than the tree is deep');
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new LogError('bad-proof', 'inclusion proof is shorter than the tree is deep');
  return r;
}

/** RFC 9162 §2.1.3.2: throws `bad-proof` unless `proof` shows `leafHash` at `index` under `root`. */
export function verifyInclusion(
  index: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const computed = rootFromInclusionProof(index, treeSize, leafHash, proof);
  if (!equalBytes(computed, root)) {
    throw new LogError(
      'bad-proof',
      `inclusion proof for index ${index} does not lead to the root of tree size ${treeSize}`,
    );
  }
}

/**
 * RFC 9162 §2.1.4.2: throws `bad-proof` unless `proof` shows that the tree of `oldSize` with
 * `oldRoot` is a prefix of the tree of `newSize` with `newRoot`. All inputs are attacker-controlled.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  if (
    !(
      Number.isSafeInteger(oldSize) &&
      Number.isSafeInteger(newSize) &&
      oldSize >= 0 &&
      oldSize <= newSize
    )
  ) {
    throw new LogError('bad-proof', `no consistency from size ${oldSize} to size ${newSize}`);
  }
  checkHash(oldRoot, 'old root');
  checkHash(newRoot, 'new root');
  for (const p of proof) checkHash(p, 'consistency proof hash');
  if (oldSize === newSize) {
    if (proof.length !== 0)
      throw new LogError('bad-proof', 'consistency proof between equal sizes must be empty');
    if (!equalBytes(oldRoot, newRoot)) {
      throw new LogError(
        'bad-proof',
        `two different roots for tree size ${oldSize}: the log has forked`,
      );
    }
    return;
  }
  if (oldSize === 0) {
    // Every tree extends the empty tree; RFC 9162 defines no proof for it.
    if (proof.length !== 0)
      throw new LogError('bad-proof', 'consistency proof from the empty tree must be empty');
    return;
  }
  if (proof.length === 0) throw new LogError('bad-proof', 'consistency proof is empty');
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new LogError('bad-proof', 'consistency proof is too long');
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new LogError('bad-proof', 'consistency proof is too short');
  if (!equalBytes(fr, oldRoot))
    throw new LogError(
      'bad-proof',
      `consistency proof does not lead to the root of tree size ${oldSize}`,
    );
  if (!equalBytes(sr, newRoot))
    throw new LogError(
      'bad-proof',
      `consistency proof does not lead to the root of tree size ${newSize}`,
    );
}
