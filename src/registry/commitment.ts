// commitment = SHA-256(domain tag ‖ salt ‖ canonical(name, nameKind, statement)).
// With the 32-byte random salt, which only the declarant's receipt holds, the commitment reveals
// nothing; with it, the declarant can prove which entry is theirs and what they declared.
import { hash, randomBytes } from 'node:crypto';

export const COMMITMENT_TAG = 'tuidang/commitment/v1\n';
export const SALT_SIZE = 32;
export type NameKind = 'real' | 'alias';

const encoder = new TextEncoder();

/** Length-prefixed fields, so that no two different inputs share an encoding. */
export function canonical(
  name: string,
  nameKind: NameKind,
  statement: string | undefined,
): Uint8Array {
  const n = encoder.encode(name.normalize('NFC'));
  const s = encoder.encode((statement ?? '').normalize('NFC'));
  const out = new Uint8Array(1 + 2 + n.length + 4 + s.length);
  const v = new DataView(out.buffer);
  out[0] = nameKind === 'real' ? 1 : 2;
  v.setUint16(1, n.length);
  out.set(n, 3);
  v.setUint32(3 + n.length, s.length);
  out.set(s, 7 + n.length);
  return out;
}

const TAG = encoder.encode(COMMITMENT_TAG);

export function commitment(
  salt: Uint8Array,
  name: string,
  nameKind: NameKind,
  statement: string | undefined,
): Uint8Array {
  if (salt.length !== SALT_SIZE) throw new Error('salt must be 32 bytes');
  const body = canonical(name, nameKind, statement);
  const input = new Uint8Array(TAG.length + SALT_SIZE + body.length);
  input.set(TAG);
  input.set(salt, TAG.length);
  input.set(body, TAG.length + SALT_SIZE);
  return new Uint8Array(hash('sha256', input, 'buffer'));
}

export function newSalt(): Uint8Array {
  return new Uint8Array(randomBytes(SALT_SIZE));
}
