// The staff pages in a real browser (Debian's Chromium), with JavaScript off and a phone's window:
// bulk approval through checkboxes that belong to a form elsewhere on the page, confirmation
// pages, the message after each action, and no page wider than the window.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../test/browser.ts';
import { addStaff, totpKeyOf } from '../../test/staff.ts';
import { ed25519Signer } from '../log/index.ts';
import { Sequencer } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import { catalogs } from '../web/i18n.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { totpCode } from './second-factor.ts';

const hant = catalogs['zh-Hant'];
const store = new MemoryStore();
let sequencer: Sequencer;
let app: Awaited<ReturnType<typeof buildApp>>;
let url: string;
let browser: Browser;

before(async () => {
  await addStaff(store, ['ad', 'admin']);
  sequencer = await Sequencer.open(store, {
    origin: 'v.example/log',
    signer: ed25519Signer('v.example/log', new Uint8Array(32).fill(8)),
    delayMs: 0,
  });
  for (let i = 0; i < 25; i++)
    await sequencer.submit({
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
  app = await buildApp({
    store,
    sequencer,
    vkey: 'v.example/log+00000000+AQ==',
    logger: createLogger({ write: () => {} }),
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await sequencer?.close();
});

const noWiderThanWindow = async (page: Page, what: string) =>
  assert.ok(
    (await page.evaluate(() => document.documentElement.scrollWidth)) <= 390,
    `${what} is wider than a 390 px window`,
  );

test('a moderator on a phone without JavaScript: approve several, erase one after confirming, void as an administrator', async () => {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'accept-language': 'zh-TW' },
  });
  const page = await context.newPage();
  await page.goto(`${url}/staff/`);
  await page.fill('#username', 'ad');
  await page.fill('#password', 'ad password 12');
  await page.fill('#code', totpCode(totpKeyOf('ad'), Date.now()));
  await page.click('form[action="/staff/login"] button');
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
