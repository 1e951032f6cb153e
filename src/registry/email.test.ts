// Which email addresses are accepted: plausible ones, and nothing that hides, disguises or
// injects (control, format, private-use, separator and noncharacter code points, lone surrogates).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validEmail } from './email.ts';

test('plausible addresses are accepted', () => {
  for (const email of [
    'li@example.com',
    'a@b.cn',
    'li.wang+news@mail.example.org',
    'li_wang-1@sub.example.co.uk',
    '李@例子.中国',
    "o'brien@example.ie",
  ])
    assert.equal(validEmail(email), true, email);
});

test('at most 254 characters', () => {
  const domain = '@example.com';
  const at254 = `${'a'.repeat(254 - domain.length)}${domain}`;
  assert.equal(at254.length, 254);
  assert.equal(validEmail(at254), true);
  assert.equal(validEmail(`a${at254}`), false);
});

test('addresses without one @ and a dotted domain are refused', () => {
  for (const email of [
    '',
    'li',
    'li@',
    '@example.com',
    'li@example',
    'li@example.c',
    'li@example.',
    'li@.com',
    'li@@example.com',
    'li@a@example.com',
    'li@example.com.',
    ' li@example.com',
    'li@example.com ',
  ])
    assert.equal(validEmail(email), false, JSON.stringify(email));
});

test('spaces, brackets, quotes and separators are refused, in either part', () => {
  for (const c of [' ', '\t', '\n', '<', '>', '(', ')', '[', ']', '\\', ',', ';', ':', '"']) {
    assert.equal(validEmail(`l${c}i@example.com`), false, `local ${JSON.stringify(c)}`);
    assert.equal(validEmail(`li@exa${c}mple.com`), false, `domain ${JSON.stringify(c)}`);
    assert.equal(validEmail(`li@example.c${c}om`), false, `tld ${JSON.stringify(c)}`);
  }
  // A header injection: a second header after a line break.
  assert.equal(validEmail('li@example.com\r\nBcc: x@example.com'), false);
});

test('invisible characters are refused, though the pattern alone would let them through', () => {
  const invisible: Array<[string, string]> = [
    ['NUL (control)', '\u0000'],
    ['DEL (control)', '\u007f'],
    ['C1 control', '\u0085'],
    ['right-to-left override (format)', '\u202e'],
    ['zero-width space (format)', '\u200b'],
    ['zero-width joiner (format)', '\u200d'],
    ['soft hyphen (format)', '\u00ad'],
    ['tag character (format)', '\u{e0041}'],
    ['private use', '\ue000'],
    ['supplementary private use', '\u{f0000}'],
    ['noncharacter U+FDD0', '\ufdd0'],
    ['noncharacter U+FFFE', '\ufffe'],
    ['noncharacter U+1FFFF', '\u{1ffff}'],
    ['replacement character', '\ufffd'],
    ['no-break space (separator)', '\u00a0'],
    ['ideographic space (separator)', '\u3000'],
    ['line separator', '\u2028'],
  ];
  for (const [what, c] of invisible) {
    assert.equal(validEmail(`l${c}i@example.com`), false, `${what} in the local part`);
    assert.equal(validEmail(`li@exam${c}ple.com`), false, `${what} in the domain`);
  }
});

test('lone surrogates are refused', () => {
  assert.equal(validEmail('li\ud800@example.com'), false);
  assert.equal(validEmail('li@example.co\udc00m'), false);
  // A well-formed pair (an astral letter) is fine.
  assert.equal(validEmail('li\u{20000}@example.com'), true);
});
