// Key encodings for signed notes: verifier keys in the `<name>+<hex key ID>+<base64(type ‖ public
// key)>` form of Go's sumdb/note (c2sp.org/signed-note §Verifier keys), and signer keys as
// `PRIVATE+KEY+<name>+<hex key ID>+<base64(type ‖ seed)>`.
import { randomBytes } from 'node:crypto';
import { cosignatureVerifier, newCosigner } from './cosignature.ts';
import {
  COSIGNATURE_V1,
  checkName,
  ED25519,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Signer,
  ed25519Verifier,
  type KeyType,
  keyId,
  rawPublicKey,
} from './ed25519.ts';
import { LogError } from './errors.ts';
import {
  decodeBase64,
  encodeBase64,
  isValidKeyName,
  type NoteSigner,
  type NoteVerifier,
} from './note.ts';

function hex8(id: number): string {
  return id.toString(16).padStart(8, '0');
}

export function formatVerifierKey(name: string, type: KeyType, publicKey: Uint8Array): string {
  return `${name}+${hex8(keyId(name, type, publicKey))}+${encodeBase64(Uint8Array.of(type, ...publicKey))}`;
}

export interface ParsedKey {
  readonly name: string;
  readonly type: KeyType;
  /** Public key for a verifier key, seed for a signer key. */
  readonly key: Uint8Array;
}

function parseKeyParts(
  text: string,
  what: string,
  publicFromKey: (type: KeyType, key: Uint8Array) => Uint8Array,
): ParsedKey {
  // Names contain no "+", but base64 does: split at the first two plus signs only.
  const [, name = '', hash = '', b64 = ''] = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(text) ?? [];
  const bad = (why: string) => new LogError('malformed-key', `not a valid ${what}: ${why}`);
  if (b64 === '') throw bad('expected <name>+<key ID>+<base64 key>');
  if (!isValidKeyName(name)) throw bad('invalid key name');
  if (!/^[0-9a-f]{8}$/.test(hash)) throw bad('key ID must be 8 lowercase hex digits');
  const bytes = decodeBase64(b64);
  if (bytes === undefined || bytes.length !== 33)
    throw bad('key must be base64 of a type byte and 32 key bytes');
  const type = bytes[0];
  if (type !== ED25519 && type !== COSIGNATURE_V1)
    throw bad(`unsupported signature type 0x${type?.toString(16)}`);
  const key = bytes.subarray(1);
  if (keyId(name, type, publicFromKey(type, key)) !== Number.parseInt(hash, 16))
    throw bad('key ID does not match the key');
  return { name, type, key };
}

/** Parses `<name>+<hash>+<base64>` (type 0x01 log key or 0x04 witness key). */
export function parseVerifierKey(vkey: string): ParsedKey {
  return parseKeyParts(vkey.trim(), 'verifier key', (_type, key) => {
    ed25519PublicKey(key); // rejects bytes that are not a public key
    return key;
  });
}

/** A {@link NoteVerifier} for a verifier key: the log's own (0x01) or a witness's (0x04). */
export function verifierFromKey(vkey: string): NoteVerifier {
  const { name, type, key } = parseVerifierKey(vkey);
  return type === ED25519 ? ed25519Verifier(name, key) : cosignatureVerifier(name, key);
}

const PRIVATE_PREFIX = 'PRIVATE+KEY+';

/** Parses `PRIVATE+KEY+<name>+<hash>+<base64(type ‖ seed)>`. */
export function parseSignerKey(skey: string): ParsedKey {
  const text = skey.trim();
  if (!text.startsWith(PRIVATE_PREFIX))
    throw new LogError('malformed-key', 'not a valid signer key: it must start with PRIVATE+KEY+');
  return parseKeyParts(text.slice(PRIVATE_PREFIX.length), 'signer key', (_type, seed) =>
    rawPublicKey(ed25519PrivateKey(seed)),
  );
}

/** A {@link NoteSigner} for a signer key: a log key (0x01) or a witness key (0x04). */
export function signerFromKey(skey: string, now?: () => number): NoteSigner {
  const { name, type, key } = parseSignerKey(skey);
  return type === ED25519 ? ed25519Signer(name, key) : newCosigner(name, key, now);
}

export function formatSignerKey(name: string, type: KeyType, seed: Uint8Array): string {
  const pub = rawPublicKey(ed25519PrivateKey(seed));
  return `${PRIVATE_PREFIX}${name}+${hex8(keyId(name, type, pub))}+${encodeBase64(Uint8Array.of(type, ...seed))}`;
}

/** A new random key pair as `{ skey, vkey }` strings. */
export function generateKey(name: string, type: KeyType = ED25519): { skey: string; vkey: string } {
  checkName(name);
  const seed = new Uint8Array(randomBytes(32));
  return {
    skey: formatSignerKey(name, type, seed),
    vkey: formatVerifierKey(name, type, rawPublicKey(ed25519PrivateKey(seed))),
  };
}
