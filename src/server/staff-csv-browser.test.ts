// A volunteer's CSV upload in a real browser (Debian's Chromium) with JavaScript off: the answer
// keeps only the row to correct, reloading it (the browser sends the form again) records nobody
// twice, the corrected row is recorded once, and the receipts print 50 to a page; an administrator
// sees the batch. Screenshots of each page at a phone's and a desktop's width go to screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserForTests, signInOnPage } from '../../test/browser.ts';
import { listeningStaffApp } from '../../test/staff.ts';
import { MemoryStore } from '../store/index.ts';

const SHOTS = process.env.SCREENSHOTS ?? 'screenshots';
const store = new MemoryStore();
let registry: Awaited<ReturnType<typeof listeningStaffApp>>;
let url: string;
const browser = browserForTests(
  async () => {
    registry = await listeningStaffApp(store, ['vo', 'volunteer'], ['ad', 'admin']);
    url = registry.url;
    mkdirSync(SHOTS, { recursive: true });
  },
  async () => registry?.close(),
);

const shoot = async (page: Page, name: string) => {
  for (const [w, h] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `${SHOTS}/staff-${name}-${w}.png`, fullPage: true });
  }
};

const signIn = (page: Page, who: string) => signInOnPage(page, url, who);

test('a volunteer reloads the answer to a CSV upload: nobody is recorded twice', async () => {
  const context = await browser().newContext({
    javaScriptEnabled: false,
    viewport: { width: 1280, height: 800 },
    extraHTTPHeaders: { 'accept-language': 'en' },
  });
  const page = await context.newPage();
  await signIn(page, 'vo');
  await page.goto(`${url}/staff/declare`);
  const people = Array.from({ length: 60 }, (_, i) => `P${i},party\n`).join('');
  await page.fill('#csv', `name,orgs\n${people}Wrong,nothing\n`);
  // The channel is not assumed: the browser itself asks for it before anything is sent.
  await page.click('form[action="/staff/declare-csv"] button[type="submit"]');
  assert.equal(await page.locator('#csv-channel:invalid').count(), 1);
  assert.equal((await store.state()).treeSize, 0);
  await page.selectOption('#csv-channel', 'centre');
  await page.click('form[action="/staff/declare-csv"] button[type="submit"]');
  await page.waitForLoadState();
  assert.match((await page.textContent('main')) ?? '', /Recorded now: 60 \(lines 2–61\)\./);
  assert.equal(await page.inputValue('#csv'), 'name,orgs\nWrong,nothing\n');
  assert.equal((await store.state()).treeSize, 60);
  await shoot(page, 'csv-answer');

  // The browser's reload sends the same form again.
  await page.reload();
  await page.waitForLoadState();
  assert.match(
    (await page.textContent('main')) ?? '',
    /Already recorded with this form, so not recorded again: 60/,
  );
  assert.equal((await store.state()).treeSize, 60, 'the reload recorded nobody');

  await page.fill('#csv', 'name,orgs\nRight,party\n');
  await page.click('form[action="/staff/declare-csv"] button[type="submit"]');
  await page.waitForLoadState();
  assert.match((await page.textContent('main')) ?? '', /This form has recorded 61 people in all\./);
  assert.equal((await store.state()).treeSize, 61);
  await page.reload();
  await page.waitForLoadState();
  assert.equal((await store.state()).treeSize, 61, 'nor this one');

  await page.click('form.print-batch button[value="2"]');
  await page.waitForLoadState();
  assert.equal(await page.locator('.receipt-card').count(), 11, 'receipts 51 to 61');
  assert.match((await page.textContent('main')) ?? '', /Receipts 51 to 61 of the 61 people/);
  await shoot(page, 'csv-print');
  await context.close();

  const admin = await browser().newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'accept-language': 'zh-CN' },
  });
  const adminPage = await admin.newPage();
  await signIn(adminPage, 'ad');
  await adminPage.goto(`${url}/staff/volunteers`);
  assert.ok(
    (await adminPage.evaluate(() => document.documentElement.scrollWidth)) <= 390,
    'no wider than a phone',
  );
  assert.match((await adminPage.textContent('main')) ?? '', /作废这批的 61 个条目/);
  await shoot(adminPage, 'volunteers');
  await admin.close();
});

test('the CSV form in Chinese: its help panel lists the columns and values, and a Chinese file is recorded', async () => {
  const context = await browser().newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'accept-language': 'zh-CN' },
  });
  const page = await context.newPage();
  await signIn(page, 'vo');
  await page.goto(`${url}/staff/declare#batch`);
  const help = page.locator('details.csv-help');
  assert.equal(await help.getAttribute('open'), '', 'open on a fresh form');
  const text = (await help.textContent()) ?? '';
  for (const words of ['真名/化名', '退出组织', '党、团、队', '广东', '是', '否'])
    assert.ok(text.includes(words), words);
  assert.ok(
    (await page.evaluate(() => document.documentElement.scrollWidth)) <= 390,
    'no wider than a phone',
  );
  await page.locator('#batch').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('batch')?.scrollIntoView());
  await page.screenshot({ path: `${SHOTS}/staff-csv-help-zh-Hans-390.png` });
  const before = (await store.state()).treeSize;
  await page.selectOption('#csv-channel', 'phone');
  await page.fill(
    '#csv',
    '姓名,真名/化名,退出组织,地区,公开\n王小明,化名,党、团,广东省,否\n李华,真名,队,北京,是\n',
  );
  await page.click('form[action="/staff/declare-csv"] button[type="submit"]');
  await page.waitForLoadState();
  assert.match((await page.textContent('main')) ?? '', /本次上传的人已全部记录。/);
  assert.equal((await store.state()).treeSize, before + 2);
  await context.close();
});
