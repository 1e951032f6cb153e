// node:crypto for the browser bundle: the few functions src/log uses, over audited libraries
// (@noble/hashes, @noble/curves). esbuild substitutes this module for `node:crypto`, so the
// receipt verifier in the browser runs the very same src/log code as the server and the CLI.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { TuidangError } from '../../errors/index.ts';
import { SPKI_PREFIX } from '../../log/der.ts';

interface ShimKey {
  readonly type: 'private' | 'public';
  readonly raw: Uint8Array; // seed for a private key, public key bytes for a public one
  export(): Uint8Array;
}

function publicKey(raw: Uint8Array): ShimKey {
  return {
    type: 'public',
    raw,
    export() {
      const out = new Uint8Array(SPKI_PREFIX.length + 32);
      out.set(SPKI_PREFIX);
      out.set(raw, SPKI_PREFIX.length);
      return out;
    },
  };
}

export function hash(algorithm: string, data: Uint8Array | string): Uint8Array {
  if (algorithm !== 'sha256') throw new TuidangError('internal', `unsupported hash ${algorithm}`);
  return sha256(typeof data === 'string' ? new TextEncoder().encode(data) : data);
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

export function createPrivateKey(input: { key: Uint8Array }): ShimKey {
  const seed = input.key.subarray(input.key.length - 32);
  return { type: 'private', raw: seed, export: () => seed };
}

export function createPublicKey(input: { key: Uint8Array } | ShimKey): ShimKey {
  if ('type' in input && input.type === 'private')
    return publicKey(ed25519.getPublicKey(input.raw));
  const der = (input as { key: Uint8Array }).key;
  return publicKey(der.subarray(der.length - 32));
}

export function sign(_algorithm: null, message: Uint8Array, key: ShimKey): Uint8Array {
  return ed25519.sign(message, key.raw);
}

/**
 * Ed25519 verification by OpenSSL's rule, which `tuidang verify` applies through node:crypto
 * (docs/log-format.md §Signatures), not by @noble/curves' own `verify`: its default is ZIP-215
 * (non-canonical R and A accepted, the cofactored equation), and `zip215: false` still checks the
 * cofactored equation. As OpenSSL: S < L; k = SHA-512(R ‖ A ‖ M) mod L; the canonical encoding of
 * [S]B − [k]A must be the 32 bytes of R, the exact equation. A and R were checked beforehand
 * (canonical, not of small order: src/log/ed25519.ts), for the CLI the same. Only noble's point
 * arithmetic is used; the shared vectors (testdata/verifier-vectors.json) hold this to
 * node:crypto's verdicts.
 */
export function verify(
  _algorithm: null,
  message: Uint8Array,
  key: ShimKey,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 64 || key.raw.length !== 32) return false;
  const { Point } = ed25519;
  const L = Point.Fn.ORDER;
  const r = signature.subarray(0, 32);
  const s = littleEndian(signature.subarray(32));
  if (s >= L) return false;
  let a: InstanceType<typeof Point>;
  try {
    a = Point.fromBytes(key.raw); // RFC 8032 §5.1.3, as the key was checked
  } catch {
    return false;
  }
  const input = new Uint8Array(64 + message.length);
  input.set(r);
  input.set(key.raw, 32);
  input.set(message, 64);
  const k = littleEndian(sha512(input)) % L;
  const check = Point.BASE.multiplyUnsafe(s).subtract(a.multiplyUnsafe(k)).toBytes();
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= (check[i] as number) ^ (r[i] as number);
  return diff === 0;
}

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] as number);
  return n;
}
