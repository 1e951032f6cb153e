// Idempotency-Key: a client that did not get its answer (a dropped connection, a crash) sends the
// same request again with the same key, and gets the same receipts without a second entry.
//
// The receipts hold the salts, which the registry promises not to keep. So the record is sealed
// with a key derived from the client's Idempotency-Key, which is itself stored only as a hash:
// someone who seizes the database can read neither the salts nor which entry a record names.
import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes } from 'node:crypto';

export type { IdempotencyRecord } from '../store/index.ts';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const ID_TAG = 'tuidang/idempotency/id/v1\n';
const SEAL_INFO = 'tuidang/idempotency/seal/v1';

export class IdempotencyKeyError extends Error {
  override name = 'IdempotencyKeyError';
}

export interface SealedReceipt {
  readonly index: number;
  readonly entry: string;
  readonly salt: string;
}

/** Checks the header value: 1 to 255 visible ASCII characters (a UUID is typical). */
export function checkKey(key: string): void {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new IdempotencyKeyError(
      'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID',
    );
  }
}

export function keyIdOf(key: string): string {
  return hash('sha256', ID_TAG + key, 'hex');
}

export function requestHashOf(request: unknown): string {
  return hash('sha256', JSON.stringify(request), 'hex');
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
