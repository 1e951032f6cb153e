// Ed25519 for signed notes (RFC 8032 via node:crypto) and key IDs (c2sp.org/signed-note).
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { PKCS8_PREFIX, SPKI_PREFIX } from './der.ts';
import { LogError } from './errors.ts';
import { concatBytes, sha256 } from './hash.ts';
import { isValidKeyName, type NoteSigner, type NoteVerifier } from './note.ts';

/** Signature type bytes (signed-note §Signature types). */
export const ED25519 = 0x01;
export const COSIGNATURE_V1 = 0x04;
export type KeyType = typeof ED25519 | typeof COSIGNATURE_V1;

/** key ID = SHA-256(key name ‖ 0x0A ‖ type ‖ public key)[:4], as a big-endian uint32. */
export function keyId(name: string, type: KeyType, publicKey: Uint8Array): number {
  const h = sha256(
    concatBytes(new TextEncoder().encode(name), Uint8Array.of(0x0a, type), publicKey),
  );
  return new DataView(h.buffer, h.byteOffset, 4).getUint32(0);
}

export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32)
    throw new LogError('malformed-key', `an Ed25519 seed is 32 bytes, not ${seed.length}`);
  return createPrivateKey({
    key: concatBytes(PKCS8_PREFIX, seed) as Buffer /* any TypedArray is accepted */,
    format: 'der',
    type: 'pkcs8',
  });
}

/** p = 2^255 − 19, the field's order. */
const P = (1n << 255n) - 19n;

/**
 * The y coordinates of the eight points of small order (orders 1, 2, 4 and 8), little-endian:
 * 0 (order 4, both signs), 1 (the identity), p − 1 (order 2), and the two of the order-8 points.
 */
const SMALL_ORDER_Y = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
].map((hex) => BigInt(`0x${hex.match(/../g)?.reverse().join('')}`));

/**
 * What is wrong with the 32-byte encoding of a public key A or of a signature's R, if anything
 * (docs/log-format.md §Signatures): not canonical (y ≥ p, or x = 0 with the sign bit set), or a
 * point of small order, under which one signature can verify for many messages. OpenSSL 3.5
 * refuses these itself; checked here, the rule does not depend on the OpenSSL version Node.js
 * carries, and the browser's verifier (src/web/client/crypto-shim.ts) runs the same check.
 */
export function encodingProblem(point: Uint8Array): string | undefined {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(point[i] as number);
  y &= (1n << 255n) - 1n; // the top bit is the sign of x
  if (y >= P) return 'not canonically encoded';
  // y = 1 and y = p − 1 are the two points with x = 0: with the sign bit set, not canonical either.
  if (SMALL_ORDER_Y.includes(y)) return 'a point of small order';
  return undefined;
}

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32)
    throw new LogError('malformed-key', `an Ed25519 public key is 32 bytes, not ${raw.length}`);
  const problem = encodingProblem(raw);
  if (problem !== undefined)
    throw new LogError('malformed-key', `the Ed25519 public key is ${problem}`);
  return createPublicKey({
    key: concatBytes(SPKI_PREFIX, raw) as Buffer,
    format: 'der',
    type: 'spki',
  });
}

export function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

export function ed25519Sign(key: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, key));
}

/**
 * RFC 8032 verification as OpenSSL does it (docs/log-format.md §Signatures): R canonical and not
 * of small order (checked here), S < L, and [S]B − [k]A encoding to R exactly (OpenSSL, or the
 * browser's copy of it), with a key that ed25519PublicKey accepted.
 */
export function ed25519Verify(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  return (
    signature.length === 64 &&
    encodingProblem(signature.subarray(0, 32)) === undefined &&
    verify(null, message, key, signature)
  );
}

/** A log's note signer (type 0x01). */
export function ed25519Signer(name: string, seed: Uint8Array): NoteSigner {
  checkName(name);
  const key = ed25519PrivateKey(seed);
  return {
    name,
    keyId: keyId(name, ED25519, rawPublicKey(key)),
    sign: (text) => ed25519Sign(key, text),
  };
}

/** A log's note verifier (type 0x01). */
export function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  checkName(name);
  const key = ed25519PublicKey(publicKey);
  return {
    name,
    keyId: keyId(name, ED25519, publicKey),
    verify: (text, sig) => ed25519Verify(key, text, sig),
  };
}

export function checkName(name: string): void {
  if (!isValidKeyName(name))
    throw new LogError(
      'malformed-key',
      `invalid key name ${JSON.stringify(name)}: it must be non-empty, with no spaces or "+"`,
    );
}
