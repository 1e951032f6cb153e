// RFC 6962 §2.1 / RFC 9162 §2.1.1: Merkle Tree Hash with domain separation between leaves (0x00)
// and interior nodes (0x01), so that a leaf can never be passed off as a node or the reverse.
import { hash } from 'node:crypto';

export const HASH_SIZE = 32;

/** MTH of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

export function sha256(data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer');
}

// Scratch buffers for hash inputs: leaf and node hashing are the hot loop of integration and
// verification, and the one-shot hash is done with its input when it returns, so reuse is safe.
const leafInput = new Uint8Array(1 + 1024);

/** SHA-256(0x00 ‖ entry). */
export function hashLeaf(entry: Uint8Array): Uint8Array {
  const buf =
    entry.length < leafInput.length
      ? leafInput.subarray(0, 1 + entry.length)
      : new Uint8Array(1 + entry.length);
  buf[0] = 0x00;
  buf.set(entry, 1);
  return hash('sha256', buf, 'buffer');
}

const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/** SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** The bytes of `parts` one after another, in a new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
