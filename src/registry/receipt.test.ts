import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatReceiptCode, parseReceiptCode } from './receipt.ts';

const arbSalt = fc.uint8Array({ minLength: 32, maxLength: 32 });

test('a receipt code reads back as its entry number and salt', () => {
  fc.assert(
    fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER - 1 }), arbSalt, (index, salt) => {
      const code = formatReceiptCode(index, salt);
      assert.match(code, /^\d+(-[0-9A-HJKMNP-TV-Z]{4}){14}$/);
      assert.deepEqual(parseReceiptCode(code), { index, salt });
    }),
  );
});

test('as a person retypes it: lower case, spaces, O for 0, I or L for 1, thousands separators', () => {
  const salt = new Uint8Array(32).map((_, i) => i * 7);
  const code = formatReceiptCode(1013, salt);
  assert.match(code, /^1014-/, 'the record number, counted from 1');
  const body = code.slice('1014-'.length);
  const typed = `1,014 ${body.replace(/-/g, ' ').toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l')}`;
  assert.deepEqual(parseReceiptCode(typed), { index: 1013, salt });
});

test('a mistyped character, two swapped characters or a wrong entry number is caught', () => {
  fc.assert(
    fc.property(fc.nat(1e9), arbSalt, fc.nat(55), (index, salt, at) => {
      const code = formatReceiptCode(index, salt);
      const groups = code.split('-');
      const body = groups.slice(1).join('');
      const changed = body.slice(0, at) + (body[at] === 'A' ? 'B' : 'A') + body.slice(at + 1);
      const number = index + 1;
      assert.equal(parseReceiptCode(`${number}-${changed}`), undefined, 'one character');
      if (body[at] !== body[at + 1] && at < 55) {
        const swapped = body.slice(0, at) + body[at + 1] + body[at] + body.slice(at + 2);
        assert.equal(parseReceiptCode(`${number}-${swapped}`), undefined, 'two swapped');
      }
      assert.equal(parseReceiptCode(`${number + 1}-${body}`), undefined, 'record number');
      // A code printed when the number was the index itself still reads as the same entry.
      assert.deepEqual(parseReceiptCode(`${index}-${body}`), { index, salt }, 'an older code');
    }),
    // A fixed seed: the check group catches a random mistake with probability 1 − 2⁻²⁰.
    { numRuns: 300, seed: 20261125 },
  );
  for (const bad of ['', '1013', 'ABCD-1234', '{"index": 1}', `1-${'A'.repeat(57)}`])
    assert.equal(parseReceiptCode(bad), undefined, bad);
});

// Codes are printed on paper and must read back for ever: their exact form is pinned.
const pinnedSalt = new Uint8Array(32).map((_, i) => i * 7);
const pinned = '1014-003G-W58W-4CN3-2E1Z-8S6N-8PV2-D5R7-EZM5-HJ9S-N8D8-NYVB-VH6B-TBCG-84E9';

test('the code of a given entry and salt is fixed: Crockford base32 of the salt, then the check group', () => {
  assert.equal(formatReceiptCode(1013, pinnedSalt), pinned);
  assert.equal(
    formatReceiptCode(0, new Uint8Array(32)),
    '1-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-34SN',
  );
  assert.deepEqual(parseReceiptCode(pinned), { index: 1013, salt: pinnedSalt });
});

test('what is not a code is refused', () => {
  assert.equal(parseReceiptCode(`${pinned}!`), undefined, 'text after the code');
  assert.equal(parseReceiptCode(`x ${pinned}`), undefined, 'text before the code');
  // The last salt character carries 4 padding bits, always 0: H (10001) instead of G (10000) is a
  // mistyped code even though the salt's bytes would read the same.
  const body = pinned.slice(5).replaceAll('-', '');
  assert.equal(body[51], 'G');
  assert.equal(parseReceiptCode(`1014-${body.slice(0, 51)}H${body.slice(52)}`), undefined);
  // Record number 0 is no record: a code whose check group was made for index -1 is refused.
  const zero = formatReceiptCode(-1, pinnedSalt);
  assert.match(zero, /^0-/);
  assert.equal(parseReceiptCode(zero), undefined);
});
