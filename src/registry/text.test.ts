// Names and statements that show as nothing, disguise themselves or spill over the page are
// refused; names as people write them in Chinese, Korean, Vietnamese, Arabic … are accepted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSubmission, ValidationError } from './declaration.ts';
import { textProblem } from './text.ts';

const one = (d: Record<string, unknown>) => ({
  language: 'en',
  declarants: [{ name: 'Li', nameKind: 'alias', orgs: ['party'], ...d }],
});
const codeOf = (d: Record<string, unknown>) => {
  try {
    parseSubmission(one(d));
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof ValidationError);
    return e.problems[0]?.code ?? 'invalid';
  }
};

const refusedNames: Array<[string, string, string]> = [
  ['zero-width space only', '\u200b', 'control'],
  ['zero-width joiners only', '\u200d\u200d', 'control'],
  ['Hangul filler only', '\u3164', 'control'],
  ['halfwidth Hangul filler beside a letter', 'Li\uffa0', 'control'],
  ['tag characters', 'Li\u{e0041}\u{e0042}', 'control'],
  ['combining marks only', '\u0301\u0302', 'no-letter'],
  ['digits and punctuation only', '123-456', 'no-letter'],
  ['line separator', 'Li\u2028Wang', 'control'],
  ['paragraph separator', 'Li\u2029', 'control'],
  ['noncharacter U+FFFF', 'Li\uffff', 'control'],
  ['noncharacter U+FDD0', 'Li\ufdd0', 'control'],
  ['private-use character', 'Li\ue000', 'control'],
  ['supplementary private use', 'Li\u{f0000}', 'control'],
  ['2,000 combining marks', `a${'\u0301'.repeat(2000)}`, 'marks'],
  ['five marks on one letter (after NFC)', `x${'\u0301\u0302\u0303\u0304\u0305'}`, 'marks'],
  ['the replacement character (invalid UTF-8)', 'Li\ufffd', 'control'],
  ['right-to-left override', '\u202eiL', 'control'],
  ['byte order mark', '\ufeffLi', 'control'],
  ['soft hyphen', 'Li\u00adWang', 'control'],
  ['a lone surrogate', 'Li\ud800', 'control'],
  ['a newline', 'Li\nWang', 'control'],
];
for (const [what, name, code] of refusedNames) {
  test(`a name with ${what} is refused (${code})`, () => {
    assert.equal(codeOf({ name }), code);
  });
}

const acceptedNames = [
  '王小明',
  '陳大文',
  '〇',
  '𠀀𠀁',
  '김민준',
  'Nguyễn Thị Hương',
  'Nguyê\u0303n', // decomposed: NFC composes it
  'محمد',
  'Zoë O’Brien-Smith',
  'Li 2',
  '葛\u{e0100}', // an ideographic variation sequence
];
for (const name of acceptedNames) {
  test(`the name ${JSON.stringify(name)} is accepted, in NFC`, () => {
    const parsed = parseSubmission(one({ name })).declarants[0]?.name;
    assert.equal(parsed, name.normalize('NFC'));
  });
}

test('statements: the same characters refused, but no letter needed, and line breaks and emoji sequences kept', () => {
  assert.equal(codeOf({ statement: '1989' }), 'ok');
  assert.equal(codeOf({ statement: '第一行\n第二行\r\n\t第三行' }), 'ok');
  assert.equal(codeOf({ statement: '👨\u200d👩\u200d👧 ❤️' }), 'ok');
  assert.equal(codeOf({ statement: '三退\u200b' }), 'control');
  assert.equal(codeOf({ statement: '三退\u202e' }), 'control');
  assert.equal(codeOf({ statement: 'a\u200db' }), 'control', 'a joiner outside an emoji sequence');
  assert.equal(codeOf({ statement: '三退\u{e0001}' }), 'control');
  assert.equal(codeOf({ statement: `x${'\u0300'.repeat(50)}` }), 'marks');
  assert.equal(textProblem('\ufffd', 'statement'), 'characters');
});
