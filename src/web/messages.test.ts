import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as OpenCC from 'opencc-js';
import { catalogs, i18n, LOCALES, negotiate } from './i18n.ts';
import { REGION_NAMES } from './regions-names.ts';

test('every message key exists in every language, with the same kind (text or function)', () => {
  const keys = new Set(LOCALES.flatMap((l) => Object.keys(catalogs[l])));
  for (const l of LOCALES) {
    const catalog = catalogs[l] as Record<string, unknown>;
    for (const k of keys) {
      assert.ok(k in catalog, `${l} lacks ${k}`);
      assert.equal(
        typeof catalog[k],
        typeof (catalogs.en as Record<string, unknown>)[k],
        `${l}: ${k}`,
      );
      if (typeof catalog[k] === 'string') assert.notEqual(catalog[k], '', `${l}: ${k} is empty`);
    }
  }
});

test('the Chinese catalogs are translated, not copies of English', () => {
  for (const l of ['zh-Hans', 'zh-Hant'] as const) {
    const same = Object.entries(catalogs[l]).filter(
      ([k, v]) => typeof v === 'string' && v === (catalogs.en as Record<string, unknown>)[k],
    );
    assert.deepEqual(same, [], `${l} copies English`);
  }
});

// Common characters whose Simplified and Traditional forms differ, pair by pair.
const SIMPLIFIED =
  '与这们个为会时说数对发过动开关门问间还进选计认证记让请号码页书总统设组织团队员经产业务从来国图实样点应该当万亿两网态备况头无于后里么没种写声条录决绝护报导称长党';
const TRADITIONAL =
  '與這們個為會時說數對發過動開關門問間還進選計認證記讓請號碼頁書總統設組織團隊員經產業務從來國圖實樣點應該當萬億兩網態備況頭無於後裡麼沒種寫聲條錄決絕護報導稱長黨';

for (const [locale, foreign] of [
  ['zh-Hant', SIMPLIFIED],
  ['zh-Hans', TRADITIONAL],
] as const) {
  test(`${locale} uses none of the other script's characters (messages and reference figures)`, () => {
    assert.equal([...SIMPLIFIED].length, [...TRADITIONAL].length);
    const source = readFileSync(new URL(`./messages/${locale}.ts`, import.meta.url), 'utf8');
    const figures = JSON.parse(readFileSync(new URL('./figures.json', import.meta.url), 'utf8'));
    const texts = [
      ...source.split('\n').map((line, i) => [`${locale}.ts:${i + 1}`, line] as const),
      ...JSON.stringify(figures, (k, v) =>
        k === '' || typeof v !== 'string' || k === locale ? v : undefined,
      )
        .split(`"${locale}":`)
        .slice(1)
        .map(
          (t, i) =>
            [`figures.json ${locale} #${i + 1}`, t.slice(0, t.indexOf('"', 1) + 1)] as const,
        ),
    ];
    assert.ok(texts.length > 100, 'read the catalog and the figures');
    const bad = texts
      .filter(([, t]) => [...t].some((c) => foreign.includes(c)))
      .map(([where, t]) => `${where}: ${t.trim()}`);
    assert.deepEqual(bad, []);
  });
}

/**
 * Words OpenCC's Taiwan-phrase conversion changes that Taiwan and Hong Kong readers write as they
 * are here, each with the reason. Keep this list short: anything else it changes is a mistake.
 */
const OPENCC_KEEP: ReadonlyArray<readonly [word: string, why: string]> = [
  ['聲明', 'a public statement (OpenCC gives 宣告, the programming sense of "declare")'],
  ['鏡像站', "a mirror site, as Taiwan's own mirrors call themselves (OpenCC gives 映象站)"],
  ['項目', 'an item of a table, as in 收費項目 (OpenCC gives 專案, a project)'],
];

test('zh-Hant reads as Taiwan and Hong Kong write: OpenCC (Simplified → Traditional, Taiwan phrases) changes nothing outside a reviewed list', () => {
  const toTaiwan = OpenCC.Converter({ from: 'cn', to: 'twp' });
  // Kept words become private-use characters, which OpenCC passes through, then come back.
  const keep = (s: string) =>
    OPENCC_KEEP.reduce((t, [w], i) => t.replaceAll(w, String.fromCharCode(0xe000 + i)), s);
  const figures = JSON.parse(readFileSync(new URL('./figures.json', import.meta.url), 'utf8')) as {
    figures: Array<Record<string, Record<string, string> | unknown>>;
  };
  const texts: Array<[string, string]> = [
    ...Object.entries(catalogs['zh-Hant']).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : String((v as (...a: unknown[]) => unknown)('3', '3', '3')),
    ]),
    ...Object.entries(REGION_NAMES).map(([k, v]): [string, string] => [k, v[2]]),
    ...figures.figures.flatMap((f, i) =>
      Object.entries(f)
        .filter((e): e is [string, Record<string, string>] => typeof e[1] === 'object')
        .map(([k, t]): [string, string] => [`figures #${i + 1} ${k}`, t['zh-Hant'] ?? '']),
    ),
  ];
  assert.ok(texts.length > 200, 'read the catalog, the province names and the figures');
  const changed = texts
    .map(([where, s]) => [where, keep(s), toTaiwan(keep(s))] as const)
    .filter(([, s, t]) => s !== t)
    .map(([where, s, t]) => `${where}: ${s} → ${t}`);
  assert.deepEqual(changed, []);
});

test('numbers: the exact figure, and a short form only from 10,000 up, marked as approximate', () => {
  assert.equal(i18n('en').number(398434766), '398,434,766');
  assert.equal(i18n('zh-Hans').approx(398434766), '约3.98亿');
  assert.equal(i18n('zh-Hant').approx(398434766), '約3.98億');
  assert.equal(i18n('zh-Hans').approx(12345), '约1.23万');
  assert.equal(i18n('en').approx(12345), 'about 12.3K');
  // Never rounded up: a short form must not claim more than was counted.
  assert.equal(i18n('zh-Hans').approx(19999), '约1.99万');
  for (const l of LOCALES) {
    assert.equal(i18n(l).approx(9999), undefined, `${l}: below 10,000 the exact figure is enough`);
    assert.equal(i18n(l).approx(1005), undefined);
  }
  assert.equal(i18n('en').m['home.total'](1, '1'), '1 person has declared their withdrawal');
  assert.equal(i18n('en').m['home.total'](2, '2'), '2 people have declared their withdrawal');
  assert.equal(i18n('zh-Hans').m['home.total'](1005, '1,005'), '已有 1,005 人声明三退');
});

test('Accept-Language picks the first default, by preference', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'zh-Hans'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-TW,zh;q=0.9,en;q=0.8', 'zh-Hant'],
    ['zh-HK', 'zh-Hant'],
    ['zh-CN', 'zh-Hans'],
    ['fr-FR, en;q=0.5, zh;q=0.7', 'zh-Hans'],
    ['de', 'zh-Hans'],
  ];
  for (const [header, locale] of cases) assert.equal(negotiate(header), locale, String(header));
});

test('English counts agree with their number: one second, one person, one bar', () => {
  const en = catalogs.en;
  const one = [
    en['home.total'](1, '1'),
    en['home.chartDesc'](1),
    en['home.chartYearsDesc'](1),
    en['about.floodWait'](1),
    en['about.floodLimit'](1),
    en['volunteer.printHelp'](1, '1', '25'),
    en['volunteer.receiptsHead'](1, '1'),
    en['volunteer.recorded']('1', '1'),
    en['volunteer.formTotal']('1'),
    en['volunteer.printing']('1', '1', '1'),
    en['volunteer.printExpired']('1'),
    en['volunteer.overBudget']('1', '1', '1'),
    en['volunteers.intro']('1', '1'),
  ];
  for (const s of one)
    assert.doesNotMatch(s, /\b1 (seconds|people|months|years)\b|each of the 1\b/, s);
  assert.match(en['about.floodWait'](1), /open 1 second for/);
  assert.match(en['about.floodWait'](5), /open 5 seconds for/);
  assert.match(en['about.floodLimit'](1), /at most 1 person a minute/);
  assert.match(en['about.floodLimit'](30), /at most 30 people a minute/);
  assert.match(en['volunteer.printHelp'](1, '1', '25'), /^The receipt of 1 person, 25 to a page/);
  assert.match(en['volunteer.printHelp'](60, '60', '25'), /^Receipts of 60 people, 25 to a page/);
  assert.equal(en['volunteer.printRange']('1', '1'), 'Receipt 1');
  assert.equal(en['volunteer.printRange']('1', '25'), 'Receipts 1 to 25');
  assert.equal(en['volunteer.recorded']('1', '1'), 'The one person in this upload is recorded.');
  assert.equal(
    en['volunteer.recorded']('0', '1'),
    'The one person in this upload is not recorded.',
  );
  assert.equal(
    en['volunteer.recorded']('999', '1,000'),
    '999 of 1,000 people in this upload are recorded.',
  );
  assert.match(en['volunteer.printExpired']('1'), /^One receipt cannot be shown any more: its /);
  assert.match(en['volunteer.printExpired']('3'), /^3 receipts cannot be shown any more: their /);
});
