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

/** The problems a rejected body is reported with, in order. */
function problemsOf(body: unknown, channel?: Parameters<typeof parseSubmission>[1]) {
  try {
    parseSubmission(body, channel);
  } catch (e) {
    assert.ok(e instanceof ValidationError, `not a ValidationError: ${e}`);
    return e.problems;
  }
  assert.fail('accepted');
}

test('the error names itself and lists every problem with its field, / for the body', () => {
  let caught: unknown;
  try {
    parseSubmission('not an object');
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ValidationError);
  assert.equal(caught.name, 'ValidationError');
  assert.equal(caught.code, 'invalid-submission');
  assert.equal(caught.message, '/: the body must be a JSON object with language and declarants');
  assert.throws(
    () => parseSubmission({ language: 'fr', declarants: [{ nameKind: 'real', orgs: ['party'] }] }),
    {
      message:
        '/language: language must be zh-Hans, zh-Hant or en; /declarants/0/name: name is required',
    },
  );
});

test('a body that is null, a number or a string is refused as a whole', () => {
  const whole = [
    { pointer: '', detail: 'the body must be a JSON object with language and declarants' },
  ];
  for (const body of [null, 7, 'ab', [one({})]]) assert.deepEqual(problemsOf(body), whole);
});

test('each declarant must be an object: null, text and arrays are refused', () => {
  for (const d of [null, 'Li', ['Li'], 3])
    assert.deepEqual(problemsOf({ language: 'en', declarants: [d] }), [
      { pointer: '/declarants/0', detail: 'each declarant must be an object' },
    ]);
});

test('each problem is reported with its exact words, code and limit', () => {
  const d = '/declarants/0';
  const table: Array<[unknown, unknown[]]> = [
    [{ ...one({}), extra: 1 }, [{ pointer: '/extra', detail: 'unknown field' }]],
    [one({ email: 'a@b' }), [{ pointer: `${d}/email`, detail: 'unknown field' }]],
    [one({ name: null }), [{ pointer: `${d}/name`, detail: 'name is required', code: 'required' }]],
    [one({ name: '' }), [{ pointer: `${d}/name`, detail: 'name is required', code: 'required' }]],
    [
      one({ name: '   ' }),
      [{ pointer: `${d}/name`, detail: 'name is required', code: 'required' }],
    ],
    [one({ name: 42 }), [{ pointer: `${d}/name`, detail: 'name must be text' }]],
    [one({ statement: 42 }), [{ pointer: `${d}/statement`, detail: 'statement must be text' }]],
    [
      one({ name: 'Li\u0007' }),
      [
        {
          pointer: `${d}/name`,
          detail:
            'name contains characters that cannot be shown or used (control, invisible or private-use characters)',
          code: 'control',
        },
      ],
    ],
    [
      one({ name: 'Li\ud800' }),
      [
        {
          pointer: `${d}/name`,
          detail:
            'name contains characters that cannot be shown or used (control, invisible or private-use characters)',
          code: 'control',
        },
      ],
    ],
    [
      one({ name: `a${'\u0301'.repeat(6)}` }),
      [
        {
          pointer: `${d}/name`,
          detail: 'name stacks more than 4 accents or marks on one character',
          code: 'marks',
          max: 4,
        },
      ],
    ],
    [
      one({ name: '123' }),
      [
        {
          pointer: `${d}/name`,
          detail: 'name must contain at least one letter or character',
          code: 'no-letter',
        },
      ],
    ],
    [
      one({ name: 'x'.repeat(65) }),
      [
        {
          pointer: `${d}/name`,
          detail: 'name is 65 characters long; at most 64 are allowed',
          code: 'too-long',
          max: 64,
        },
      ],
    ],
    [
      one({ statement: 's'.repeat(2001) }),
      [
        {
          pointer: `${d}/statement`,
          detail: 'statement is 2001 characters long; at most 2000 are allowed',
          code: 'too-long',
          max: 2000,
        },
      ],
    ],
    [
      one({ nameKind: undefined }),
      [{ pointer: `${d}/nameKind`, detail: 'nameKind must be "real" or "alias"' }],
    ],
    [
      one({ orgs: 'party' }),
      [
        {
          pointer: `${d}/orgs`,
          detail: 'choose at least one organisation: party, league or pioneers',
          code: 'choose-org',
        },
      ],
    ],
    [
      one({ orgs: ['league', 'army'] }),
      [{ pointer: `${d}/orgs/1`, detail: 'organisation must be party, league or pioneers' }],
    ],
    [
      one({ orgs: ['league', 'league'] }),
      [{ pointer: `${d}/orgs/1`, detail: 'organisation listed twice' }],
    ],
    [
      one({ region: 44 }),
      [
        {
          pointer: `${d}/region`,
          detail: 'region must be a province-level division code such as CN-GD',
        },
      ],
    ],
    [
      one({ region: 'XX' }),
      [
        {
          pointer: `${d}/region`,
          detail: 'region must be a province-level division code such as CN-GD',
        },
      ],
    ],
    [one({ publish: 1 }), [{ pointer: `${d}/publish`, detail: 'publish must be true or false' }]],
    [
      { ...one({}), language: 5 },
      [{ pointer: '/language', detail: 'language must be zh-Hans, zh-Hant or en' }],
    ],
    [
      { language: 'en' },
      [{ pointer: '/declarants', detail: 'at least one declarant is required', code: 'required' }],
    ],
    [
      { language: 'en', declarants: Array(51).fill(one({}).declarants[0]) },
      [
        {
          pointer: '/declarants',
          detail: 'at most 50 declarants may declare together',
          code: 'too-many',
          max: 50,
        },
      ],
    ],
  ];
  for (const [body, problems] of table)
    assert.deepEqual(problemsOf(body), problems, JSON.stringify(body).slice(0, 80));
});

test('a channel that does not exist is refused; every known channel is kept', () => {
  assert.deepEqual(problemsOf(one({}), 'fax' as 'web'), [
    { pointer: '/channel', detail: 'unknown channel' },
  ]);
  assert.equal(parseSubmission(one({})).channel, 'web');
  for (const c of ['web', 'volunteer', 'phone', 'centre', 'import'] as const)
    assert.equal(parseSubmission(one({}), c).channel, c);
});

test('empty optional fields are absent, not errors; publish is true only when true', () => {
  for (const empty of [undefined, null, '']) {
    const d = parseSubmission(one({ statement: empty, region: empty })).declarants[0];
    assert.equal(d?.statement, undefined);
    assert.equal(d?.region, undefined);
  }
  assert.deepEqual(parseSubmission(one({ publish: true, statement: ' ok ' })).declarants, [
    {
      name: 'Li',
      nameKind: 'alias',
      orgs: ['party'],
      region: undefined,
      statement: ' ok ',
      publish: true,
    },
  ]);
  assert.equal(parseSubmission(one({ publish: false })).declarants[0]?.publish, false);
  assert.equal(parseSubmission(one({})).declarants[0]?.publish, false);
});

test('exactly 50 declarants may declare together, each one kept', () => {
  const s = parseSubmission({ language: 'en', declarants: Array(50).fill(one({}).declarants[0]) });
  assert.equal(s.declarants.length, 50);
});

test('names are stored in NFC', () => {
  assert.equal(parseSubmission(one({ name: 'Le\u0301a' })).declarants[0]?.name, 'L\u00e9a');
});
