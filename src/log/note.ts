// C2SP signed-note (c2sp.org/signed-note): strict parsing, formatting, signing and verification.
import { LogError } from './errors.ts';

/** signed-note: verifiers "MUST accept at least up to 16 signatures"; we accept up to 100. */
export const MAX_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 '; // em dash, space

export interface NoteSignature {
  readonly name: string;
  /** uint32 key ID (first four bytes of the signature line, big-endian). */
  readonly keyId: number;
  /** The signature bytes after the key ID. */
  readonly signature: Uint8Array;
}

export interface Note {
  /** The signed text, ending in a newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Something that signs note text as one key. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array;
}

/** Something that verifies one key's signatures over note text. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

export interface OpenedNote extends Note {
  /** Signatures of known keys; every one of them verified. */
  readonly verified: readonly NoteSignature[];
  /** Signatures of keys not in the verifier list: ignored, kept to be passed on. */
  readonly unknown: readonly NoteSignature[];
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** signed-note: key names are non-empty and contain no Unicode spaces and no plus sign. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0085\u180e\u200b]/u.test(name) && !hasControl(name);
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

/** Strict standard base64 (RFC 4648 §4, padded): rejects anything that would not re-encode the same. */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  const binary = atob(s);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return encodeBase64(bytes) === s ? bytes : undefined;
}

// atob/btoa rather than Buffer: this code also runs in the browser (the receipt verifier).
export function encodeBase64(b: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < b.length; i += 0x8000)
    binary += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Parses a signed note. The input is attacker-controlled: anything the spec forbids is a
 * `malformed-note` LogError, and nothing else is ever thrown.
 */
export function parseNote(input: string | Uint8Array): Note {
  let msg: string;
  if (typeof input === 'string') {
    msg = input;
    if (!input.isWellFormed()) throw new LogError('malformed-note', 'note is not valid UTF-8');
  } else {
    try {
      msg = strictUtf8.decode(input);
    } catch (cause) {
      throw new LogError('malformed-note', 'note is not valid UTF-8', { cause });
    }
  }
  if (hasControl(msg))
    throw new LogError('malformed-note', 'note contains a control character other than newline');
  const split = msg.lastIndexOf('\n\n');
  if (split < 0)
    throw new LogError('malformed-note', 'note has no blank line before its signatures');
  const text = msg.slice(0, split + 1);
  const block = msg.slice(split + 2);
  if (block === '' || !block.endsWith('\n'))
    throw new LogError('malformed-note', 'note signatures must be lines ending in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES)
    throw new LogError('malformed-note', `note has more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line) => {
    if (!line.startsWith(SIGNATURE_PREFIX))
      throw new LogError(
        'malformed-note',
        'signature line does not start with an em dash and a space',
      );
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.lastIndexOf(' ');
    const name = rest.slice(0, space);
    if (space < 0 || !isValidKeyName(name))
      throw new LogError('malformed-note', 'signature line has an invalid key name');
    const sig = decodeBase64(rest.slice(space + 1));
    if (sig === undefined || sig.length < 5)
      throw new LogError(
        'malformed-note',
        `signature of ${name} is not base64 of a key ID and a signature`,
      );
    const view = new DataView(sig.buffer, sig.byteOffset, sig.byteLength);
    return { name, keyId: view.getUint32(0), signature: sig.subarray(4) };
  });
  return { text, signatures };
}

export function formatSignature(sig: NoteSignature): string {
  const bytes = new Uint8Array(4 + sig.signature.length);
  new DataView(bytes.buffer).setUint32(0, sig.keyId);
  bytes.set(sig.signature, 4);
  return `${SIGNATURE_PREFIX}${sig.name} ${encodeBase64(bytes)}\n`;
}

export function formatNote(note: Note): string {
  return `${note.text}\n${note.signatures.map(formatSignature).join('')}`;
}

function checkText(text: string): void {
  if (!text.endsWith('\n') || hasControl(text) || !text.isWellFormed()) {
    throw new LogError(
      'malformed-note',
      'note text must be UTF-8 ending in a newline, with no control characters',
    );
  }
}

/** Signs `text` with each signer; `keep` are signatures to carry over (e.g. cosignatures). */
export function signNote(
  text: string,
  signers: readonly NoteSigner[],
  keep: readonly NoteSignature[] = [],
): string {
  checkText(text);
  const bytes = encoder.encode(text);
  const signatures = signers.map((s) => ({
    name: s.name,
    keyId: s.keyId,
    signature: s.sign(bytes),
  }));
  return formatNote({ text, signatures: [...signatures, ...keep] });
}

/**
 * Parses and verifies a note (signed-note §Signatures): signatures of unknown keys are ignored; a
 * signature of a known key (same name and key ID) that fails makes the whole note `bad-signature`;
 * a note with no verified signature is `no-trusted-signature`.
 */
export function openNote(
  input: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): OpenedNote {
  const note = parseNote(input);
  const bytes = encoder.encode(note.text);
  const verified: NoteSignature[] = [];
  const unknown: NoteSignature[] = [];
  for (const sig of note.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (v === undefined) {
      unknown.push(sig);
    } else if (v.verify(bytes, sig.signature)) {
      verified.push(sig);
    } else {
      throw new LogError('bad-signature', `signature of ${sig.name} does not verify`);
    }
  }
  if (verified.length === 0) {
    const names = verifiers.map((v) => v.name).join(', ');
    throw new LogError(
      'no-trusted-signature',
      `note has no valid signature from a known key (${names})`,
    );
  }
  return { ...note, verified, unknown };
}
