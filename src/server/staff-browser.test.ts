// The staff pages in a real browser (Debian's Chromium), with JavaScript off and a phone's window:
// bulk approval through checkboxes that belong to a form elsewhere on the page, confirmation
// pages, the message after each action, and no page wider than the window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertFits, browserForTests, signInOnPage } from '../../test/browser.ts';
import { listeningStaffApp } from '../../test/staff.ts';
import { MemoryStore } from '../store/index.ts';
import { catalogs } from '../web/i18n.ts';

const hant = catalogs['zh-Hant'];
const store = new MemoryStore();
let registry: Awaited<ReturnType<typeof listeningStaffApp>>;
let url: string;
const browser = browserForTests(
  async () => {
    registry = await listeningStaffApp(store, ['ad', 'admin']);
    url = registry.url;
    for (let i = 0; i < 25; i++)
      await registry.sequencer.submit({
        channel: 'web',
        language: 'zh-Hant',
        declarants: [
          {
            name: `名${i}`,
            nameKind: 'alias',
            orgs: ['party'],
            publish: true,
            statement: `聲明 ${i}`,
          },
        ],
      });
  },
  async () => registry?.close(),
);
const noWiderThanWindow = (page: Page, what: string) => assertFits(page, 390, what);

test('a moderator on a phone without JavaScript: approve several, erase one after confirming, void as an administrator', async () => {
  const context = await browser().newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'accept-language': 'zh-TW' },
  });
  const page = await context.newPage();
  await signInOnPage(page, url, 'ad');
  await page.waitForURL(`${url}/staff/`);
  await noWiderThanWindow(page, 'the queue');
  assert.equal(await page.locator('article').count(), 20);
  assert.match(
    (await page.locator('article').first().textContent()) ?? '',
    /聲明 0/,
    'the oldest first',
  );

  await page.locator('input[form="bulk"]').nth(0).check();
  await page.locator('input[form="bulk"]').nth(2).check();
  await page.click('button[form="bulk"]');
  await page.waitForURL(/done=approve&n=2/);
  assert.equal(
    ((await page.locator('main p.notice').textContent()) ?? '').trim(),
    hant['staff.done.approve'](2),
  );
  assert.equal((await store.site.publications({ limit: 10 })).length, 2);

  await page.locator('article').first().locator('button[value="erase"]').click();
  assert.equal((await page.locator('h1').textContent()) ?? '', hant['staff.confirm.erase']);
  await noWiderThanWindow(page, 'the confirmation');
  assert.equal((await store.site.moderationQueue(-1, 100)).total, 23, 'asked, not done');
  await page.click('form[action="/staff/moderate"] button[type="submit"]');
  await page.waitForURL(/done=erase&n=1/);
  assert.equal((await store.site.moderationQueue(-1, 100)).total, 22);

  await page.goto(`${url}/staff/void`);
  await noWiderThanWindow(page, 'the void form');
  await page.fill('#indexes', '3');
  await page.selectOption('#reason', 'test');
  await page.click('form[action="/staff/void"] button');
  assert.equal((await page.locator('h1').textContent()) ?? '', hant['void.confirm']);
  await page.click('form[action="/staff/void"] button');
  await page.waitForURL(/\/staff\/void\?done=1/);
  assert.equal(
    ((await page.locator('main p.notice').textContent()) ?? '').trim(),
    hant['void.done'](1, '26'),
  );
  assert.equal(await store.isVoided(3), true);

  await page.goto(`${url}/staff/audit`);
  await noWiderThanWindow(page, 'the audit log');
  assert.match((await page.locator('tbody tr').first().textContent()) ?? '', /3 \(test\)/);
  await context.close();
});
