import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSubmission, ValidationError } from './declaration.ts';

const one = (d: Record<string, unknown>) => ({
  language: 'en',
  declarants: [{ name: 'Li', nameKind: 'alias', orgs: ['party'], ...d }],
});

test('a family declares together; orgs come out in canonical order; region codes normalise', () => {
  const s = parseSubmission({
    language: 'zh-Hans',
    declarants: [
      {
        name: '王小明',
        nameKind: 'real',
        orgs: ['pioneers', 'party'],
        region: 'CN-44',
        publish: true,
        statement: '我声明退出',
      },
      { name: '小红', nameKind: 'alias', orgs: ['league'] },
    ],
  });
  assert.equal(s.declarants.length, 2);
  assert.deepEqual(s.declarants[0]?.orgs, ['party', 'pioneers']);
  assert.equal(s.declarants[0]?.region, 'CN-GD');
  assert.equal(s.declarants[1]?.publish, false);
});

const cases: Array<[string, unknown, string]> = [
  ['empty name', one({ name: '' }), '/declarants/0/name'],
  ['blank name', one({ name: '   ' }), '/declarants/0/name'],
  ['65-character name', one({ name: 'x'.repeat(65) }), '/declarants/0/name'],
  ['control character in name', one({ name: 'Li\u0007' }), '/declarants/0/name'],
  ['bidi override in name', one({ name: 'Li\u202e' }), '/declarants/0/name'],
  ['no organisation', one({ orgs: [] }), '/declarants/0/orgs'],
  ['unknown organisation', one({ orgs: ['army'] }), '/declarants/0/orgs/0'],
  ['organisation twice', one({ orgs: ['party', 'party'] }), '/declarants/0/orgs/1'],
  ['bad nameKind', one({ nameKind: 'nick' }), '/declarants/0/nameKind'],
  ['unknown region', one({ region: 'CN-XX' }), '/declarants/0/region'],
  ['10,000-character statement', one({ statement: 's'.repeat(10000) }), '/declarants/0/statement'],
  ['publish not boolean', one({ publish: 'yes' }), '/declarants/0/publish'],
  ['unknown declarant field', one({ email: 'a@b' }), '/declarants/0/email'],
  ['unknown top-level field', { ...one({}), extra: 1 }, '/extra'],
  ['bad language', { ...one({}), language: 'fr' }, '/language'],
  ['no declarants', { language: 'en', declarants: [] }, '/declarants'],
  [
    '51 declarants',
    { language: 'en', declarants: Array(51).fill(one({}).declarants[0]) },
    '/declarants',
  ],
  ['not an object', [1, 2], ''],
];
for (const [what, body, pointer] of cases) {
  test(`rejects ${what}, naming ${pointer || 'the body'}`, () => {
    assert.throws(
      () => parseSubmission(body),
      (e: unknown) => e instanceof ValidationError && e.problems.some((p) => p.pointer === pointer),
    );
  });
}

test('names at the limit are counted in characters, not UTF-16 units', () => {
  assert.equal(parseSubmission(one({ name: '𠀀'.repeat(64) })).declarants[0]?.name.length, 128);
});

test('language tags are case-insensitive: the URL spelling zh-hans is zh-Hans', () => {
  assert.equal(parseSubmission({ ...one({}), language: 'zh-hans' }).language, 'zh-Hans');
  assert.equal(parseSubmission({ ...one({}), language: 'ZH-HANT' }).language, 'zh-Hant');
  assert.throws(() => parseSubmission({ ...one({}), language: 'zh' }), ValidationError);
});
