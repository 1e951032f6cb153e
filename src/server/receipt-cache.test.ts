// The receipt pages kept for a form sent again (src/server/pages/receipt-cache.ts): opened only by
// the form's own key, sealed, kept until the hour after an hour, and bounded in bytes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { RECEIPT_CACHE_BYTES, ReceiptPages } from './pages/receipt-cache.ts';

/** A page that gzip cannot shrink much: about `kib` KiB once sealed. */
const page = (kib: number) => `<p>${randomBytes(kib * 1024).toString('base64')}</p>`;
const key = 'k'.repeat(32);

test('kept pages: opened only by the same key and form, sealed, dropped when old or over the bound', () => {
  const hour = 3_600_000;
  let now = 1_800_000_000_000 + 60_000; // a minute past the hour
  const pages = new ReceiptPages(() => now, 64 * 1024);
  pages.put(key, 'en\nform', '<p>receipt</p>');
  assert.equal(pages.get(key, 'en\nform'), '<p>receipt</p>');
  assert.equal(pages.get(key, 'en\nanother form'), undefined);
  assert.equal(pages.get('j'.repeat(32), 'en\nform'), undefined);
  now = 1_800_000_000_000 + 2 * hour - 1;
  assert.ok(pages.get(key, 'en\nform'), 'kept an hour at least, until the hour');
  now += 1;
  assert.equal(pages.get(key, 'en\nform'), undefined, 'then dropped');
  // Past the byte bound the oldest go first; a page larger than a quarter of it is not kept.
  const noise = (n: number) => Array.from({ length: n }, (_, i) => `${i * 7919}`).join(' ');
  for (let i = 0; i < 20; i++) pages.put(`${key}${i}`, 'f', noise(2000));
  assert.equal(pages.get(`${key}0`, 'f'), undefined, 'the oldest dropped');
  assert.ok(pages.get(`${key}19`, 'f'), 'the newest kept');
  pages.put(key, 'big', noise(40_000));
  assert.equal(pages.get(key, 'big'), undefined);
});

test("kept pages: the default bound keeps a family's page of megabytes", () => {
  assert.equal(RECEIPT_CACHE_BYTES, 32 * 1024 * 1024);
  const pages = new ReceiptPages();
  const family = page(2048);
  pages.put(key, 'family', family);
  assert.equal(pages.get(key, 'family'), family, 'two MiB are kept');
});

test('kept pages: one over a quarter of the bound is not kept; the same form sent again counts once', () => {
  const pages = new ReceiptPages(Date.now, 64 * 1024);
  pages.put(key, 'big', page(20));
  assert.equal(pages.get(key, 'big'), undefined, '20 KiB of 64: over a quarter');
  const kept = page(12);
  pages.put(key, 'kept', kept);
  assert.equal(pages.get(key, 'kept'), kept, '12 KiB of 64: kept');
  // Reloaded five times: one page's bytes, not five, so that two more still fit beside it.
  for (let i = 0; i < 5; i++) pages.put(key, 'kept', kept);
  pages.put(key, 'second', page(12));
  pages.put(key, 'third', page(12));
  assert.equal(pages.get(key, 'kept'), kept, 'not pushed out by its own copies');
  assert.ok(pages.get(key, 'second') && pages.get(key, 'third'));
  // Over the bound: the oldest go first, the newest stay.
  for (let i = 0; i < 4; i++) pages.put(key, `more ${i}`, page(12));
  assert.equal(pages.get(key, 'kept'), undefined, 'the oldest dropped');
  assert.ok(pages.get(key, 'more 3'), 'the newest kept');
});

test('kept pages: an expired page is dropped at once, and the bound then counts without it', () => {
  let now = 1_800_000_000_000;
  const pages = new ReceiptPages(() => now, 64 * 1024);
  for (const form of ['a', 'b', 'c', 'd']) pages.put(key, form, page(12));
  now += 3 * 3_600_000;
  assert.equal(pages.get(key, 'a'), undefined, 'expired');
  // Four fresh pages of 12 KiB fit in 64 KiB only if the expired ones no longer count.
  const fresh = ['e', 'f', 'g', 'h'].map((form) => {
    const html = page(12);
    pages.put(key, form, html);
    return [form, html] as const;
  });
  for (const [form, html] of fresh) assert.equal(pages.get(key, form), html, form);
});
