// The second factor's pieces: TOTP against RFC 6238's test vectors (Appendix B, SHA-1 key, the
// last six of its eight digits, as authenticator apps show), sealing that refuses any change, and
// recovery codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret } from 'otpauth';
import {
  isRecoveryCode,
  matchTotp,
  newRecoveryCodes,
  normalizeCode,
  recoveryHash,
  seal,
  totpCode,
  totpStepToken,
  unseal,
} from './second-factor.ts';

// RFC 6238 Appendix B: the ASCII key "12345678901234567890" with HMAC-SHA-1.
const RFC_KEY = Secret.fromLatin1('12345678901234567890').base32;
const VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

test('TOTP: RFC 6238 test vectors, one step of drift either way, nothing further', () => {
  for (const [seconds, eight] of VECTORS) {
    const code = eight.slice(2);
    assert.equal(totpCode(RFC_KEY, seconds * 1000), code, `T=${seconds}`);
    const step = Math.floor(seconds / 30);
    assert.equal(matchTotp(RFC_KEY, code, seconds * 1000), step);
    assert.equal(matchTotp(RFC_KEY, code, (seconds + 30) * 1000), step, 'the step before');
    assert.equal(matchTotp(RFC_KEY, code, (seconds - 30) * 1000), step, 'the step after');
    assert.equal(matchTotp(RFC_KEY, code, (seconds + 90) * 1000), undefined, 'too old');
  }
  for (const bad of ['', '28708', '2870822', 'abcdef', ' 287082'])
    assert.equal(matchTotp(RFC_KEY, bad, 59_000), undefined, JSON.stringify(bad));
  // A spent step's token does not hold the step in the clear, and differs per key and step.
  const a = totpStepToken(RFC_KEY, 1);
  assert.notEqual(a.token, totpStepToken(RFC_KEY, 2).token);
  assert.notEqual(
    a.token,
    totpStepToken(Secret.fromLatin1('another key 12345678').base32, 1).token,
  );
  assert.equal(a.expiresMs, 3_600_000, 'kept to the end of the hour, past the 90 s it is valid');
});

test('sealing: opens only with the same secret, purpose and binding, and refuses any change', () => {
  const secret = new Uint8Array(32).fill(1);
  const sealed = seal(secret, 'totp', 'mo', 'JBSWY3DPEHPK3PXP');
  assert.equal(unseal(secret, 'totp', 'mo', sealed), 'JBSWY3DPEHPK3PXP');
  assert.equal(sealed.includes('JBSWY3DPEHPK3PXP'), false);
  assert.equal(unseal(secret, 'totp', 'ad', sealed), undefined, 'another account');
  assert.equal(unseal(secret, 'pending', 'mo', sealed), undefined, 'another purpose');
  assert.equal(unseal(new Uint8Array(32).fill(2), 'totp', 'mo', sealed), undefined);
  const bytes = Buffer.from(sealed, 'base64url');
  for (let i = 0; i < bytes.length; i++) {
    const flipped = Buffer.from(bytes);
    flipped[i] = (flipped[i] as number) ^ 1;
    assert.equal(
      unseal(secret, 'totp', 'mo', flipped.toString('base64url')),
      undefined,
      `byte ${i}`,
    );
  }
  for (const junk of ['', 'x', `${sealed}=`, sealed.slice(0, 20)])
    assert.equal(unseal(secret, 'totp', 'mo', junk), undefined);
});

test('recovery codes: ten of 80 bits, typed in any case and grouping, hashed per account', () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const c of codes) {
    assert.match(c, /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    assert.ok(isRecoveryCode(normalizeCode(c.toUpperCase().replaceAll('-', ' '))));
  }
  const c = codes[0] as string;
  assert.equal(recoveryHash('mo', c), recoveryHash('mo', c.toUpperCase().replaceAll('-', '')));
  assert.notEqual(recoveryHash('mo', c), recoveryHash('ad', c));
  assert.equal(isRecoveryCode('123456'), false);
});
