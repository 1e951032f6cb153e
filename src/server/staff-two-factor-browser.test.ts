// The second factor in a real browser: a new moderator on a phone without JavaScript sets up an
// authenticator app from the QR code (read back by jsQR, as an app would), gets the recovery
// codes, and signs in again with password and code; every page passes axe-core and fits a phone.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertFits, axeViolations, browserForTests, readQr } from '../../test/browser.ts';
import { addStaffWithoutSecondFactor, staffAppOptions } from '../../test/staff.ts';
import { MemoryStore } from '../store/index.ts';
import { buildApp } from './app.ts';
import { totpCode } from './second-factor.ts';

const SHOTS = process.env.SCREENSHOTS_DIR;

const store = new MemoryStore();
let app: Awaited<ReturnType<typeof buildApp>>;
let url: string;

const browser = browserForTests(
  async () => {
    await addStaffWithoutSecondFactor(store, ['newmo', 'moderator'], ['axemo', 'moderator']);
    app = await buildApp(staffAppOptions(store, { publicUrl: 'https://registry.example' }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  },
  async () => app?.close(),
);

const fits = (page: Page, what: string) => assertFits(page, 390, what);

test('a new moderator without JavaScript sets up the app from the QR code, then signs in with the code', async () => {
  const context = await browser().newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'accept-language': 'zh-CN' },
  });
  const page = await context.newPage();
  await page.goto(`${url}/staff/`);
  await page.fill('#username', 'newmo');
  await page.fill('#password', 'newmo password 12');
  await page.click('form[action="/staff/login"] button');
  await page.waitForSelector('svg.qr');
  assert.equal(
    (await context.cookies()).some((c) => c.name === 'tuidang_staff'),
    false,
    'no session before the second factor is set up',
  );
  await fits(page, 'the setup page');
  const uri = await readQr(
    browser(),
    await page.locator('svg.qr').evaluate((e) => e.outerHTML),
    400,
  );
  assert.ok(uri?.startsWith('otpauth://totp/registry.example:newmo?'), `the QR code holds ${uri}`);
  const key = new URL(uri ?? '').searchParams.get('secret') ?? '';
  const text = ((await page.locator('p.mono').textContent()) ?? '').replaceAll(' ', '');
  assert.equal(text, key, 'the key as text is the one in the QR code');
  await page.fill('#code', totpCode(key, Date.now()));
  await page.click('form[action="/staff/two-factor"] button');
  await page.waitForSelector('ol.mono li');
  assert.equal(await page.locator('ol.mono li').count(), 10, 'ten recovery codes');
  await fits(page, 'the recovery codes');
  assert.ok((await context.cookies()).some((c) => c.name === 'tuidang_staff'));

  // Sign out, and in again: the password, then the code on a page of its own.
  await page.click('a[href="/staff/"]');
  await page.click('form[action="/staff/logout"] button');
  await page.fill('#username', 'newmo');
  await page.fill('#password', 'newmo password 12');
  await page.click('form[action="/staff/login"] button');
  await page.waitForSelector('form[action="/staff/login/code"]');
  await page.fill('#code', totpCode(key, Date.now() + 30_000));
  await page.click('form[action="/staff/login/code"] button');
  await page.waitForURL(`${url}/staff/`);
  assert.match((await page.locator('nav.staff p').textContent()) ?? '', /newmo/);
  await context.close();
});

test('the sign-in, code, setup and recovery pages: no axe-core violations; screenshots', async () => {
  const context = await browser().newContext({ extraHTTPHeaders: { 'accept-language': 'en' } });
  const page = await context.newPage();
  const check = async (name: string) => {
    assert.deepEqual(await axeViolations(page), [], `${name}: axe-core violations`);
    for (const [w, h] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${w}.png`, fullPage: true });
    }
  };
  await page.goto(`${url}/staff/`);
  await check('sign-in');
  await page.fill('#username', 'axemo');
  await page.fill('#password', 'axemo password 12');
  await page.click('form[action="/staff/login"] button');
  await page.waitForSelector('svg.qr');
  await check('setup');
  const key = ((await page.locator('p.mono').textContent()) ?? '').replaceAll(' ', '');
  await page.fill('#code', totpCode(key, Date.now()));
  await page.click('form[action="/staff/two-factor"] button');
  await page.waitForSelector('ol.mono li');
  await check('recovery-codes');
  await page.goto(`${url}/staff/two-factor`);
  await check('two-factor-signed-in');
  await page.click('form[action="/staff/logout"] button');
  await page.fill('#username', 'axemo');
  await page.fill('#password', 'axemo password 12');
  await page.click('form[action="/staff/login"] button');
  await page.waitForSelector('form[action="/staff/login/code"]');
  await check('code');
  await context.close();
});
