import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TuidangError } from '../errors/index.ts';
import { MAX_NAME, MAX_STATEMENT } from './declaration.ts';
import { FIRST_DAY } from './entry.ts';
import { parseImportRecord, RecordError } from './import-record.ts';

const TODAY = '2026-12-02';

/** Parses `raw` and asserts it is refused with exactly `message`. */
function refused(raw: unknown, message: string, today = TODAY): void {
  assert.throws(
    () => parseImportRecord(raw, today),
    (e: unknown) => {
      assert.ok(e instanceof RecordError);
      assert.equal(e.message, message);
      return true;
    },
  );
}

function parse(fields: Record<string, unknown>) {
  return parseImportRecord({ day: '2010-05-06', orgs: ['party'], ...fields }, TODAY);
}

test('RecordError: its name, code and class', () => {
  const e = new RecordError('bad', { cause: 'x' });
  assert.ok(e instanceof TuidangError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'RecordError');
  assert.equal(e.code, 'invalid-record');
  assert.equal(e.message, 'bad');
  assert.equal(e.cause, 'x');
});

test('a minimal record: alias, not published, nothing else given', () => {
  assert.deepStrictEqual(parseImportRecord({ day: '2010-05-06', orgs: ['league'] }, TODAY), {
    day: '2010-05-06',
    orgs: ['league'],
    region: undefined,
    name: undefined,
    nameKind: 'alias',
    statement: undefined,
    publish: false,
  });
});

test('a full record, as NDJSON gives it', () => {
  assert.deepStrictEqual(
    parseImportRecord(
      {
        day: '2005-01-02',
        orgs: ['pioneers', 'party', 'league'],
        region: 'CN-BJ',
        name: '  王明  ',
        nameKind: 'real',
        statement: ' 我声明退出中共。\n三退保平安。 ',
        publish: true,
      },
      TODAY,
    ),
    {
      day: '2005-01-02',
      orgs: ['party', 'league', 'pioneers'],
      region: 'CN-BJ',
      name: '王明',
      nameKind: 'real',
      statement: '我声明退出中共。\n三退保平安。',
      publish: true,
    },
  );
});

test('a full record, as a CSV row gives it (all strings)', () => {
  assert.deepStrictEqual(
    parseImportRecord(
      {
        day: '2012-11-08',
        orgs: 'league;pioneers',
        region: 'cn-11',
        name: '',
        nameKind: '',
        statement: '',
        publish: 'yes',
      },
      TODAY,
    ),
    {
      day: '2012-11-08',
      orgs: ['league', 'pioneers'],
      region: 'CN-BJ',
      name: undefined,
      nameKind: 'alias',
      statement: undefined,
      publish: true,
    },
  );
});

test('not an object: refused', () => {
  for (const raw of [null, undefined, 'x', 3, true, [], [{ day: '2010-05-06' }]])
    refused(raw, 'not an object');
});

test('unknown fields: refused, each named', () => {
  refused({ day: '2010-05-06', orgs: ['party'], email: 'a@b' }, 'unknown field email');
  refused({ day: '2010-05-06', orgs: ['party'], ip: 1, phone: 2 }, 'unknown field ip, phone');
  // Checked before everything else.
  refused({ extra: 1 }, 'unknown field extra');
  // Field names are case-sensitive.
  refused({ day: '2010-05-06', orgs: ['party'], Name: 'x' }, 'unknown field Name');
});

test('day: required, as text', () => {
  refused({ orgs: ['party'] }, 'day is required (YYYY-MM-DD)');
  refused({ day: 20100506, orgs: ['party'] }, 'day is required (YYYY-MM-DD)');
  refused({ day: null, orgs: ['party'] }, 'day is required (YYYY-MM-DD)');
});

test('day: a calendar day in the YYYY-MM-DD form', () => {
  for (const day of ['2010-02-30', '2010-5-6', '06/05/2010', '', '2010-05-06T00:00:00Z', 'day'])
    refused({ day, orgs: ['party'] }, `not a calendar day: ${day}`);
  refused(
    { day: '1969-12-31', orgs: ['party'] },
    'day 1969-12-31 is outside 1970-01-01 … 2149-06-06',
  );
  assert.equal(parse({ day: '2012-02-29' }).day, '2012-02-29');
});

test('day: from the first day to today, both included', () => {
  assert.equal(FIRST_DAY, '2004-11-01');
  assert.equal(parse({ day: FIRST_DAY }).day, FIRST_DAY);
  assert.equal(parse({ day: TODAY }).day, TODAY);
  refused(
    { day: '2004-10-31', orgs: ['party'] },
    `day 2004-10-31 is outside ${FIRST_DAY} … ${TODAY}`,
  );
  refused(
    { day: '2026-12-03', orgs: ['party'] },
    `day 2026-12-03 is outside ${FIRST_DAY} … ${TODAY}`,
  );
  refused(
    { day: '2000-01-01', orgs: ['party'] },
    `day 2000-01-01 is outside ${FIRST_DAY} … ${TODAY}`,
  );
  // The bound is the `today` given.
  assert.equal(
    parseImportRecord({ day: '2030-01-01', orgs: ['party'] }, '2030-01-01').day,
    '2030-01-01',
  );
  refused(
    { day: '2026-12-02', orgs: ['party'] },
    `day 2026-12-02 is outside ${FIRST_DAY} … 2026-12-01`,
    '2026-12-01',
  );
});

test('orgs: required', () => {
  const why = 'orgs is required: party, league and/or pioneers';
  for (const orgs of [undefined, null, '', ' ', ';|, ', [], 3, { party: true }, true])
    refused({ day: '2010-05-06', orgs }, why);
});

test('orgs: text separated by ; | , or white space', () => {
  assert.deepStrictEqual(parse({ orgs: 'party' }).orgs, ['party']);
  assert.deepStrictEqual(parse({ orgs: 'party;league' }).orgs, ['party', 'league']);
  assert.deepStrictEqual(parse({ orgs: 'party|pioneers' }).orgs, ['party', 'pioneers']);
  assert.deepStrictEqual(parse({ orgs: 'league,pioneers' }).orgs, ['league', 'pioneers']);
  assert.deepStrictEqual(parse({ orgs: 'league pioneers' }).orgs, ['league', 'pioneers']);
  assert.deepStrictEqual(parse({ orgs: 'league\tparty' }).orgs, ['party', 'league']);
  assert.deepStrictEqual(parse({ orgs: ' ;pioneers ; | league,,party; ' }).orgs, [
    'party',
    'league',
    'pioneers',
  ]);
});

test('orgs: repeats dropped, sorted party, league, pioneers', () => {
  assert.deepStrictEqual(parse({ orgs: ['pioneers', 'party', 'pioneers'] }).orgs, [
    'party',
    'pioneers',
  ]);
  assert.deepStrictEqual(parse({ orgs: ['pioneers', 'league'] }).orgs, ['league', 'pioneers']);
  assert.deepStrictEqual(parse({ orgs: ['league', 'party'] }).orgs, ['party', 'league']);
  assert.deepStrictEqual(parse({ orgs: 'party party party' }).orgs, ['party']);
});

test('orgs: an unknown one refused, named', () => {
  refused({ day: '2010-05-06', orgs: ['party', 'army'] }, 'unknown organisation "army"');
  refused({ day: '2010-05-06', orgs: 'Party' }, 'unknown organisation "Party"');
  refused({ day: '2010-05-06', orgs: 'party;' + 'youth' }, 'unknown organisation "youth"');
  refused({ day: '2010-05-06', orgs: ['party', 1] }, 'unknown organisation 1');
  refused({ day: '2010-05-06', orgs: [null] }, 'unknown organisation null');
  refused({ day: '2010-05-06', orgs: [''] }, 'unknown organisation ""');
  refused({ day: '2010-05-06', orgs: [['party']] }, 'unknown organisation ["party"]');
});

test('region: optional; ISO letters or the older numeric code, any case', () => {
  for (const region of [undefined, null, '']) assert.equal(parse({ region }).region, undefined);
  assert.equal(parse({ region: 'CN-BJ' }).region, 'CN-BJ');
  assert.equal(parse({ region: 'cn-bj' }).region, 'CN-BJ');
  assert.equal(parse({ region: 'CN-11' }).region, 'CN-BJ');
  assert.equal(parse({ region: 'CN-TW' }).region, 'CN-TW');
  assert.equal(parse({ region: 'zz' }).region, 'ZZ');
});

test('region: an unknown one refused, named', () => {
  refused({ day: '2010-05-06', orgs: ['party'], region: 'CN-XX' }, 'unknown region "CN-XX"');
  refused({ day: '2010-05-06', orgs: ['party'], region: ' CN-BJ' }, 'unknown region " CN-BJ"');
  refused({ day: '2010-05-06', orgs: ['party'], region: 'BJ' }, 'unknown region "BJ"');
  refused({ day: '2010-05-06', orgs: ['party'], region: 11 }, 'unknown region 11');
  refused({ day: '2010-05-06', orgs: ['party'], region: ['CN-BJ'] }, 'unknown region ["CN-BJ"]');
  refused({ day: '2010-05-06', orgs: ['party'], region: false }, 'unknown region false');
});

test('nameKind: real or alias, alias when not given', () => {
  assert.equal(parse({}).nameKind, 'alias');
  assert.equal(parse({ nameKind: undefined }).nameKind, 'alias');
  assert.equal(parse({ nameKind: null }).nameKind, 'alias');
  assert.equal(parse({ nameKind: '' }).nameKind, 'alias');
  assert.equal(parse({ nameKind: 'alias' }).nameKind, 'alias');
  assert.equal(parse({ nameKind: 'real' }).nameKind, 'real');
  for (const nameKind of ['Real', 'REAL', ' real', 'pseudonym', true, 1, ['real']])
    refused({ day: '2010-05-06', orgs: ['party'], nameKind }, 'nameKind must be real or alias');
});

test('publish: true, false, or their CSV forms; false when not given', () => {
  for (const publish of [true, 'true', '1', 'yes']) assert.equal(parse({ publish }).publish, true);
  for (const publish of [undefined, '', false, 'false', '0', 'no'])
    assert.equal(parse({ publish }).publish, false);
  for (const publish of ['TRUE', 'True', 'y', 'n', 'maybe', ' true', 1, 0, null, [], {}])
    refused({ day: '2010-05-06', orgs: ['party'], publish }, 'publish must be true or false');
});

for (const [field, max] of [
  ['name', MAX_NAME],
  ['statement', MAX_STATEMENT],
] as const) {
  test(`${field}: optional text, trimmed, NFC`, () => {
    for (const v of [undefined, null, '', '   ', '\n\t '])
      assert.equal(parse({ [field]: v })[field], undefined);
    assert.equal(parse({ [field]: ' 李 华 ' })[field], '李 华');
    // e + combining acute accent becomes é.
    assert.equal(parse({ [field]: 'Re\u0301ne' })[field], 'R\u00e9ne');
    for (const v of [1, true, false, ['x'], { a: 1 }, 0])
      refused({ day: '2010-05-06', orgs: ['party'], [field]: v }, `${field} must be text`);
  });

  test(`${field}: held to the form's rules for what text may contain`, () => {
    const why = `${field} contains characters that cannot be shown or used (control, invisible or private-use characters)`;
    const record = (v: string) => ({ day: '2010-05-06', orgs: ['party'], [field]: v });
    // A statement keeps its line breaks and tabs; a name is one line, as on the form.
    if (field === 'statement')
      assert.equal(parse(record('a\nb\tc\r\n\nd\t\te'))[field], 'a\nb\tc\r\n\nd\t\te');
    else for (const c of ['\n', '\t', '\r']) refused(record(`a${c}b`), why);
    for (const c of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f'])
      refused(record(`a${c}b`), why);
    // Bidirectional overrides and isolates, zero-width characters, private use, separators.
    for (const c of [
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
      '\u200b',
      '\u200d',
      '\ue000',
      '\u2029',
    ])
      refused(record(`a${c}b`), why);
    // Lone surrogates (invalid UTF-8 in the file) are refused, not stored as replacement marks.
    refused(record('a\ud800b'), why);
    // Ordinary spaces and punctuation are not refused.
    for (const c of ['\u202f', '\u3000', '·', '-'])
      assert.equal(parse(record(`a${c}b`))[field], `a${c}b`);
    // A problem after the first line is found too.
    refused(record('a b c\u0007'), why);
    refused(
      record(`x${'\u0301'.repeat(5)}`),
      `${field} stacks more than 4 accents or marks on one character`,
    );
    if (field === 'name') {
      // A name that shows as nothing, or as punctuation only, is refused as on the form.
      for (const v of ['\u3164', '...', '123'])
        refused(
          record(v),
          v === '\u3164' ? why : 'name must contain at least one letter or character',
        );
    } else assert.equal(parse(record('123!'))[field], '123!');
  });

  test(`${field}: at most ${max} characters (code points), counted after trimming`, () => {
    assert.equal(parse({ [field]: 'x'.repeat(max) })[field], 'x'.repeat(max));
    assert.equal(parse({ [field]: ` ${'x'.repeat(max)} ` })[field], 'x'.repeat(max));
    // Characters outside the BMP count once, not as two UTF-16 units.
    assert.equal(parse({ [field]: '𠀀'.repeat(max) })[field], '𠀀'.repeat(max));
    const why = `${field} is longer than ${max} characters`;
    refused({ day: '2010-05-06', orgs: ['party'], [field]: 'x'.repeat(max + 1) }, why);
    refused({ day: '2010-05-06', orgs: ['party'], [field]: '𠀀'.repeat(max + 1) }, why);
  });
}

test('the first problem found is the one reported', () => {
  refused({ day: 'x', orgs: 'army', region: 'XX', publish: 'maybe' }, 'not a calendar day: x');
  refused({ day: '2010-05-06', orgs: 'army', region: 'XX' }, 'unknown organisation "army"');
  refused({ day: '2010-05-06', orgs: 'party', region: 'XX', nameKind: 'x' }, 'unknown region "XX"');
  refused(
    { day: '2010-05-06', orgs: 'party', nameKind: 'x', publish: 'maybe' },
    'nameKind must be real or alias',
  );
  refused(
    { day: '2010-05-06', orgs: 'party', publish: 'maybe', name: 1 },
    'publish must be true or false',
  );
  refused({ day: '2010-05-06', orgs: 'party', name: 1, statement: 1 }, 'name must be text');
});
