// commitment = SHA-256(domain tag ‖ salt ‖ canonical(name, nameKind, statement)).
// With the 32-byte random salt, which only the declarant's receipt holds, the commitment reveals
// nothing; with it, the declarant can prove which entry is theirs and what they declared.
import { hash, randomBytes } from 'node:crypto';
import { TuidangError } from '../errors/index.ts';
import { concatBytes, sha256Into } from '../log/index.ts';

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
// One scratch buffer for the hash input: the tag, the salt and the canonical fields, encoded in
// place (4 bytes a character at most). Imports hash millions of these; allocating each is slow.
const scratch = new Uint8Array(TAG.length + SALT_SIZE + 7 + 4 * (64 + 2000) + 64);
scratch.set(TAG);
const view = new DataView(scratch.buffer);

export function commitment(
  salt: Uint8Array,
  name: string,
  nameKind: NameKind,
  statement: string | undefined,
): Uint8Array {
  if (salt.length !== SALT_SIZE) throw new TuidangError('internal', 'salt must be 32 bytes');
  const n = name.normalize('NFC');
  const st = (statement ?? '').normalize('NFC');
  if (4 * (n.length + st.length) > scratch.length - TAG.length - SALT_SIZE - 7) {
    return new Uint8Array(
      hash('sha256', concatBytes(TAG, salt, canonical(name, nameKind, statement)), 'buffer'),
    );
  }
  let at = TAG.length;
  scratch.set(salt, at);
  at += SALT_SIZE;
  scratch[at] = nameKind === 'real' ? 1 : 2;
  const nameBytes = encoder.encodeInto(n, scratch.subarray(at + 3)).written;
  view.setUint16(at + 1, nameBytes);
  at += 3 + nameBytes;
  const statementBytes = encoder.encodeInto(st, scratch.subarray(at + 4)).written;
  view.setUint32(at, statementBytes);
  at += 4 + statementBytes;
  return hash('sha256', scratch.subarray(0, at), 'buffer');
}

// The hash input of a declarant with no name and no statement: only the salt changes.
const bareCanonical = canonical('', 'alias', undefined);
const bare = new Uint8Array(TAG.length + SALT_SIZE + bareCanonical.length);
bare.set(TAG);
bare.set(bareCanonical, TAG.length + SALT_SIZE);

/**
 * `commitment(salt, '', 'alias', undefined)`, the commitment of a declarant with no name and no
 * statement (most imported records), into `out[at…at+32)`: the salt is `salts[from…from+32)`.
 */
export function bareCommitmentInto(
  out: Uint8Array,
  at: number,
  salts: Uint8Array,
  from: number,
): void {
  for (let j = 0; j < SALT_SIZE; j++) bare[TAG.length + j] = salts[from + j] as number;
  sha256Into(out, at, bare, 0, bare.length);
  bare.fill(0, TAG.length, TAG.length + SALT_SIZE);
}

export function newSalt(): Uint8Array {
  return new Uint8Array(randomBytes(SALT_SIZE));
}
