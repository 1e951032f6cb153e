// C2SP tlog-cosignature (c2sp.org/tlog-cosignature), the Ed25519 `cosignature/v1` type 0x04:
// a witness signs "cosignature/v1\ntime <t>\n" followed by the checkpoint text, and the signature
// line carries `timestamp (u64 big-endian) ‖ Ed25519 signature`.

import {
  COSIGNATURE_V1,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  keyId,
  rawPublicKey,
} from './ed25519.ts';
import { LogError } from './errors.ts';
import type { NoteSignature, NoteSigner, NoteVerifier } from './note.ts';

const MAX_TIMESTAMP = 2n ** 63n - 1n;
const encoder = new TextEncoder();

/** The message a `cosignature/v1` signs for a checkpoint text at a POSIX time in seconds. */
export function cosignedMessage(timestamp: number, checkpointText: Uint8Array): Uint8Array {
  const header = encoder.encode(`cosignature/v1\ntime ${timestamp}\n`);
  const out = new Uint8Array(header.length + checkpointText.length);
  out.set(header);
  out.set(checkpointText, header.length);
  return out;
}

export interface Cosignature {
  /** POSIX seconds at which the witness signed. */
  readonly timestamp: number;
  readonly signature: Uint8Array;
}

/** Splits the bytes of a cosignature line (after the key ID). Attacker-controlled. */
export function parseCosignature(bytes: Uint8Array): Cosignature {
  if (bytes.length !== 8 + 64)
    throw new LogError('malformed-note', `a cosignature/v1 is 72 bytes, not ${bytes.length}`);
  const t = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
  if (t > MAX_TIMESTAMP || t > BigInt(Number.MAX_SAFE_INTEGER))
    throw new LogError('malformed-note', 'cosignature timestamp is out of range');
  return { timestamp: Number(t), signature: bytes.subarray(8) };
}

/** The timestamp of a cosignature from a note's signature list. */
export function cosignatureTime(sig: NoteSignature): number {
  return parseCosignature(sig.signature).timestamp;
}

/** A witness's signer. `now` returns POSIX seconds (the clock is injectable for tests). */
export function newCosigner(
  name: string,
  seed: Uint8Array,
  now: () => number = () => Math.floor(Date.now() / 1000),
): NoteSigner {
  const key = ed25519PrivateKey(seed);
  return {
    name,
    keyId: keyId(name, COSIGNATURE_V1, rawPublicKey(key)),
    sign(text) {
      const timestamp = now();
      const out = new Uint8Array(72);
      new DataView(out.buffer).setBigUint64(0, BigInt(timestamp));
      out.set(ed25519Sign(key, cosignedMessage(timestamp, text)), 8);
      return out;
    },
  };
}

export function cosignatureVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  const key = ed25519PublicKey(publicKey);
  return {
    name,
    keyId: keyId(name, COSIGNATURE_V1, publicKey),
    verify(text, bytes) {
      let cosig: Cosignature;
      try {
        cosig = parseCosignature(bytes);
      } catch {
        return false;
      }
      return ed25519Verify(key, cosignedMessage(cosig.timestamp, text), cosig.signature);
    },
  };
}
