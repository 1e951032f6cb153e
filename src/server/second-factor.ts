// Second factors of staff accounts: TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, what
// every authenticator app reads from an otpauth:// link) through the otpauth library, and one-time
// recovery codes. A TOTP secret is stored sealed (AES-256-GCM under a key derived from the
// server's staff secret, bound to the account); recovery codes only as SHA-256 hashes.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;
/** Recovery codes given at enrolment. */
export const RECOVERY_CODES = 10;

/**
 * The staff secret of a process started without one (tests, a server without a signing key):
 * random, so sealed secrets do not outlive the process.
 */
export const PROCESS_STAFF_SECRET: Uint8Array = randomBytes(32);

const subkey = (secret: Uint8Array, purpose: string) =>
  Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), `tuidang/staff/${purpose}/v1`, 32));

/** `text` sealed under `secret` for one `purpose` and `binding` (e.g. the account): base64url. */
export function seal(secret: Uint8Array, purpose: string, binding: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subkey(secret, purpose), iv);
  cipher.setAAD(Buffer.from(binding));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** What {@link seal} sealed, or undefined if `sealed` was not sealed so (attacker-controlled). */
export function unseal(
  secret: Uint8Array,
  purpose: string,
  binding: string,
  sealed: string,
): string | undefined {
  const b = Buffer.from(sealed, 'base64url');
  if (b.length < 28 || b.toString('base64url') !== sealed) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', subkey(secret, purpose), b.subarray(0, 12));
    decipher.setAAD(Buffer.from(binding));
    decipher.setAuthTag(b.subarray(b.length - 16));
    return Buffer.concat([
      decipher.update(b.subarray(12, b.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A new TOTP secret, base32 (160 bits, as RFC 4226 recommends). */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

const totp = (base32: string, issuer = 'tuidang', label = 'staff') =>
  new TOTP({ issuer, label, secret: Secret.fromBase32(base32), period: PERIOD });

/** The otpauth:// link an authenticator app reads (from the QR code). */
export const totpUri = (base32: string, issuer: string, account: string): string =>
  totp(base32, issuer, account).toString();

/** The code of a secret at `nowMs` (tests, and the enrolment check of the tests' helper). */
export const totpCode = (base32: string, nowMs: number): string =>
  totp(base32).generate({ timestamp: nowMs });

/**
 * The time step a code matches at `nowMs`, one step either side allowed for clock drift; else
 * undefined. A step is accepted once (the caller spends it: RFC 6238 §5.2).
 */
export function matchTotp(base32: string, code: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(base32).validate({ token: code, timestamp: nowMs, window: 1 });
  return delta === null ? undefined : Math.floor(nowMs / 1000 / PERIOD) + delta;
}

/**
 * The single-use token of a TOTP step, for the store's spent tokens: keyed by the TOTP secret, so
 * that a stored token does not tell the time of a sign-in to whoever lacks the secret.
 */
export function totpStepToken(base32: string, step: number): { token: string; expiresMs: number } {
  const token = createHash('sha256')
    .update(Secret.fromBase32(base32).bytes)
    .update(`\0used\0${step}`)
    .digest('base64url');
  // Kept until the end of the hour after the code stops being valid: a stored expiry then says
  // the hour of a sign-in, not its 30 seconds.
  const validUntilMs = (step + 2) * PERIOD * 1000;
  return { token, expiresMs: Math.ceil(validUntilMs / 3_600_000) * 3_600_000 };
}

/** A typed code as entered: spaces and hyphens dropped, letters in lower case. */
export const normalizeCode = (code: string): string => code.replace(/[\s-]+/g, '').toLowerCase();

/** Whether a normalized code has the shape of a recovery code (16 base32 letters, 80 bits). */
export const isRecoveryCode = (code: string): boolean => /^[a-z2-7]{16}$/.test(code);

/** New recovery codes as shown to the person (xxxx-xxxx-xxxx-xxxx). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES }, () =>
    (new Secret({ size: 10 }).base32.toLowerCase().match(/.{4}/g) ?? []).join('-'),
  );
}

/** The stored hash of a recovery code of an account (the code normalized first). */
export const recoveryHash = (username: string, code: string): string =>
  createHash('sha256')
    .update(`tuidang/recovery/v1\0${username}\0${normalizeCode(code)}`)
    .digest('hex');
