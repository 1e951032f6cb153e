// node:crypto for the browser bundle: the few functions src/log uses, over audited libraries
// (@noble/hashes, @noble/curves). esbuild substitutes this module for `node:crypto`, so the
// receipt verifier in the browser runs the very same src/log code as the server and the CLI.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
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

export function verify(
  _algorithm: null,
  message: Uint8Array,
  key: ShimKey,
  signature: Uint8Array,
): boolean {
  try {
    return ed25519.verify(signature, message, key.raw);
  } catch {
    return false;
  }
}
