// A declarant's receipt: what proves that their entry is in the log, and what only they hold (the
// salt of its commitment). The server keeps no copy (a sealed one for a day at most, to answer a
// form sent twice: src/sequencer/idempotency.ts).
//
// On paper, the receipt also has a short form a person can type back in: the entry number and the
// salt. It is enough to erase a publication and, with the public log, to rebuild the rest of the
// receipt (the entry and a proof that it is in the log).
import { hash } from 'node:crypto';
import { SALT_SIZE } from './commitment.ts';

export interface Receipt {
  readonly index: number;
  /** The log entry, base64. */
  readonly entry: string;
  /** The commitment's salt, base64: held by nobody but the declarant. */
  readonly salt: string;
  readonly treeSize: number;
  readonly inclusionProof: string[];
  /** The signed checkpoint of `treeSize`. */
  readonly checkpoint: string;
}

/** The short form of a receipt: its entry number and its secret. */
export interface ReceiptCode {
  readonly index: number;
  readonly salt: Uint8Array;
}

// Crockford's base32: no I, L, O or U, so that 1/I/L and 0/O cannot be confused when retyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_TAG = 'tuidang/receipt-code/v1\n';
const GROUP = 4;

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string, size: number): Uint8Array | undefined {
  const out = new Uint8Array(size);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      if (at === size) return undefined;
      out[at++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return at === size && value === 0 ? out : undefined;
}

/** Four characters that catch a mistyped character or two swapped ones. */
function check(index: number, salt: Uint8Array): string {
  const digest = hash('sha256', `${CHECK_TAG}${index}\n${base32(salt)}`, 'buffer');
  return base32(new Uint8Array(digest).subarray(0, 3)).slice(0, GROUP);
}

/**
 * The number people see for an entry: its index counted from 1 ("record 1" is the log's first
 * entry, index 0). Pages, paper and codes show this number; the log, proofs and receipt files keep
 * the index, as tlog-tiles does.
 */
export function recordNumber(index: number): number {
  return index + 1;
}

/** `1014-ABCD-EFGH-…-WXYZ`: the record number, the salt in groups of four, a check group. */
export function formatReceiptCode(index: number, salt: Uint8Array): string {
  const body = base32(salt) + check(index, salt);
  const groups = body.match(/.{1,4}/g) ?? [];
  return [String(recordNumber(index)), ...groups].join('-');
}

/**
 * Reads a code as a person may have typed it: any case, spaces or dashes between groups, O for 0
 * and I or L for 1, the record number with thousands separators. Undefined when it is not one, or
 * when the check group does not match (a typing mistake).
 */
export function parseReceiptCode(text: string): ReceiptCode | undefined {
  const m = /^\s*(\d[\d,.\s']*?)\s*[-\s]\s*([0-9a-zA-Z][0-9a-zA-Z\s-]*)$/.exec(text);
  if (!m) return undefined;
  const number = Number((m[1] as string).replace(/[,.\s']/g, ''));
  if (!Number.isSafeInteger(number)) return undefined;
  const body = (m[2] as string)
    .replace(/[\s-]/g, '')
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  const saltChars = Math.ceil((SALT_SIZE * 8) / 5);
  if (body.length !== saltChars + GROUP) return undefined;
  const salt = unbase32(body.slice(0, saltChars), SALT_SIZE);
  if (salt === undefined) return undefined;
  // The record number (index + 1); codes printed before records were counted from 1 carry the
  // index itself. The check group, computed over the index, tells which: only one of the two
  // matches but once in 2²⁰, and either way the code names the entry its salt belongs to.
  for (const index of [number - 1, number])
    if (index >= 0 && check(index, salt) === body.slice(saltChars)) return { index, salt };
  return undefined;
}
