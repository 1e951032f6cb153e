import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { TuidangError } from '../errors/index.ts';
import { COMMITMENT_TAG, canonical, commitment, newSalt, SALT_SIZE } from './commitment.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The commitment as docs/log-format.md defines it, computed the plain way. */
const expected = (salt: Uint8Array, name: string, kind: 'real' | 'alias', st?: string) =>
  createHash('sha256')
    .update(COMMITMENT_TAG)
    .update(salt)
    .update(canonical(name, kind, st))
    .digest('hex');

test('canonical: kind, 2-byte name length, name, 4-byte statement length, statement (NFC UTF-8)', () => {
  assert.equal(hex(canonical('Li', 'real', 'hi')), '0100024c69000000026869');
  assert.equal(hex(canonical('Li', 'alias', undefined)), '0200024c6900000000');
  assert.equal(hex(canonical('', 'alias', '')), '02000000000000');
  assert.equal(hex(canonical('e\u0301', 'real', '中')), '010002c3a900000003e4b8ad');
  const long = canonical('x'.repeat(300), 'real', 'y'.repeat(70000));
  assert.equal(long.length, 7 + 300 + 70000);
  assert.equal(hex(long.subarray(0, 3)), '01012c');
  assert.equal(hex(long.subarray(303, 307)), '00011170');
  assert.equal(long[306 + 1], 0x79);
  assert.equal(long[long.length - 1], 0x79);
});

test('commitment is SHA-256 of tag, salt and the canonical fields, for short and long text', () => {
  const salt = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
  const cases: Array<[string, 'real' | 'alias', string | undefined]> = [
    ['王小明', 'real', undefined],
    ['Li', 'alias', '我声明退出'],
    ['e\u0301', 'real', 'a\u030a'],
    ['', 'alias', undefined],
    ['𠀀'.repeat(64), 'real', '中'.repeat(2000)],
    ['x', 'alias', '中'.repeat(3000)],
    ['x', 'real', '𠀀'.repeat(3000)],
    ['中'.repeat(3000), 'alias', 'y'],
  ];
  for (const [name, kind, st] of cases) {
    const c = commitment(salt, name, kind, st);
    assert.equal(c.length, 32);
    assert.equal(hex(c), expected(salt, name, kind, st), `${kind} ${name.length} ${st?.length}`);
  }
  // A long one in between does not disturb the next short one (the scratch buffer is reused).
  assert.equal(hex(commitment(salt, 'Li', 'alias', '')), expected(salt, 'Li', 'alias', ''));
  assert.notEqual(
    hex(commitment(salt, 'Li', 'real', '')),
    hex(commitment(salt, 'Li', 'alias', '')),
  );
});

test('a salt that is not 32 bytes is refused', () => {
  for (const n of [0, 31, 33])
    assert.throws(
      () => commitment(new Uint8Array(n), 'Li', 'real', undefined),
      (e: unknown) =>
        e instanceof TuidangError && e.code === 'internal' && e.message === 'salt must be 32 bytes',
    );
});

test('new salts are 32 random bytes', () => {
  const a = newSalt();
  const b = newSalt();
  assert.equal(SALT_SIZE, 32);
  assert.equal(a.length, 32);
  assert.ok(a instanceof Uint8Array);
  assert.notEqual(hex(a), hex(b));
});
