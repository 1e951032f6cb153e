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

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32)
    throw new LogError('malformed-key', `an Ed25519 public key is 32 bytes, not ${raw.length}`);
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

export function ed25519Verify(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === 64 && verify(null, message, key, signature);
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
