// Idempotency-Key: a client that did not get its answer (a dropped connection, a crash) sends the
// same request again with the same key, and gets the same receipts without a second entry.
//
// The receipts hold the salts, which the registry promises not to keep. So the record is sealed
// with a key derived from the client's Idempotency-Key, which is itself stored only as a hash:
// someone who seizes the database can read neither the salts nor which entry a record names. The
// digest of the request is keyed with the Idempotency-Key too, so that a guessed name and statement
// cannot be confirmed against it; and keys must be unguessable (at least 128 bits), since a
// guessed key would open the record.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hash,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { TuidangError } from '../errors/index.ts';

export type { IdempotencyRecord } from '../store/index.ts';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * When a record made at `now` (POSIX seconds) expires: at least a day later, rounded up to the
 * hour, so that a seized database does not tell the second at which its declarations were made.
 */
export function idempotencyExpiry(now: number): number {
  return Math.ceil((now + IDEMPOTENCY_TTL_SECONDS) / 3600) * 3600;
}
const ID_TAG = 'tuidang/idempotency/id/v1\n';
const SEAL_INFO = 'tuidang/idempotency/seal/v1';
const REQUEST_INFO = 'tuidang/idempotency/request/v1';
/** The least a key must carry: as much as the salts it protects could be guessed. */
export const MIN_KEY_BITS = 128;

export class IdempotencyKeyError extends TuidangError<'idempotency-key'> {
  override name = 'IdempotencyKeyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('idempotency-key', message, options);
  }
}

export interface SealedReceipt {
  readonly index: number;
  readonly entry: string;
  readonly salt: string;
}

/**
 * Checks the header value (attacker-controlled): visible ASCII, at most 255 characters, and long
 * and varied enough to carry {@link MIN_KEY_BITS} bits. Randomness itself cannot be seen; this
 * refuses the keys that certainly lack it (`1`, a counter, a word, one character repeated).
 */
export function checkKey(key: string): void {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new IdempotencyKeyError(
      'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. 32 random hex digits',
    );
  }
  if (keyBits(key) < MIN_KEY_BITS) {
    throw new IdempotencyKeyError(
      `Idempotency-Key must be random and hold at least ${MIN_KEY_BITS} bits, so that nobody can guess it: for example 32 random hex digits, 22 random base64url characters, or a random UUID.`,
    );
  }
}

/**
 * At most how many bits a key can hold: its length times the bits of the smallest usual alphabet
 * it fits (digits, hex, base64, any visible ASCII), hyphens aside in digits and hex (a UUID's 32
 * hex digits count as 128 bits, 122 of them random); none if it has fewer than 8 different
 * characters, which a random key of that length would all but never have.
 */
function keyBits(key: string): number {
  const hexLike = /^[0-9a-f-]*$/i.test(key);
  const chars = hexLike ? key.replaceAll('-', '') : key;
  if (new Set(chars).size < 8) return 0;
  const alphabet = /^[0-9]*$/.test(chars)
    ? 10
    : hexLike
      ? 16
      : /^[0-9A-Za-z_+/=-]*$/.test(chars)
        ? 64
        : 94;
  return chars.length * Math.log2(alphabet);
}

export function keyIdOf(key: string): string {
  return hash('sha256', ID_TAG + key, 'hex');
}

/**
 * The request's digest, keyed with the Idempotency-Key: the same key with another request is a
 * conflict, and without the key the digest confirms nothing about the request.
 */
export function requestHashOf(key: string, request: unknown): string {
  const mac = Buffer.from(hkdfSync('sha256', key, new Uint8Array(0), REQUEST_INFO, 32));
  return createHmac('sha256', mac).update(JSON.stringify(request)).digest('hex');
}

function sealingKey(key: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, new Uint8Array(0), SEAL_INFO, 32));
}

export function seal(key: string, receipts: readonly SealedReceipt[]): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(key), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(receipts), 'utf8'), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
}

export function unseal(key: string, sealed: Uint8Array): SealedReceipt[] {
  const b = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(key), b.subarray(0, 12));
  decipher.setAuthTag(b.subarray(b.length - 16));
  const text = Buffer.concat([
    decipher.update(b.subarray(12, b.length - 16)),
    decipher.final(),
  ]).toString('utf8');
  return JSON.parse(text) as SealedReceipt[];
}
