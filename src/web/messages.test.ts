import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogs, i18n, LOCALES, negotiate } from './i18n.ts';

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

test('numbers: exact figures and the natural Chinese form', () => {
  assert.equal(i18n('en').number(398434766), '398,434,766');
  assert.equal(i18n('zh-Hans').compact(398434766), '3.98亿');
  assert.equal(i18n('zh-Hant').compact(398434766), '3.98億');
  assert.equal(i18n('en').m['home.total'](1), 'person has declared their withdrawal');
  assert.equal(i18n('en').m['home.total'](2), 'people have declared their withdrawal');
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
