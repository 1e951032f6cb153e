// A receipt that is safe to keep and checks that stay in the browser, in a real browser against a
// real server publishing every few seconds: a typed code checked with no request carrying its
// salt; the receipt page saying "public" after the next publication without a reload; the paper
// without a name unless asked for; leaving quickly; leaving with unsaved receipts.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { launchBrowser } from '../../test/browser.ts';
import { readConfig } from '../config/index.ts';
import { decodeBase64 } from '../log/index.ts';
import { formatReceiptCode, type Receipt } from '../registry/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';
import { EXIT_URL } from './exit.ts';
import { catalogs } from './i18n.ts';

const INTERVAL = 6;
const en = catalogs.en;
let registry: Registry;
let browser: Browser;
before(async () => {
  registry = await startRegistry(
    readConfig({
      PORT: '0',
      DATA_DIR: join(mkdtempSync(join(tmpdir(), 'tuidang-safety-')), 'data'),
      TUIDANG_ORIGIN: 'safety.example/log',
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: String(INTERVAL),
    }),
  );
  for (const path of ['/en/declare', '/static/declare.js', '/static/verify.js'])
    await (await fetch(`${registry.url}${path}`)).arrayBuffer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await registry?.close();
});

const publicSize = async () =>
  ((await (await fetch(`${registry.url}/api/v1/stats`)).json()) as { treeSize: number }).treeSize;

/** Waits until the public log holds entry `index`. */
async function published(index: number): Promise<void> {
  for (let i = 0; i < 40 && (await publicSize()) <= index; i++)
    await new Promise((r) => setTimeout(r, 500));
  assert.ok((await publicSize()) > index, `entry ${index} was published`);
}

/**
 * Declares one person on the English form (the page's own script, if on) and waits for it;
 * `beforeSending` runs once the form is filled.
 */
async function declareOnForm(page: Page, name: string, beforeSending?: () => Promise<void>) {
  await page.goto(`${registry.url}/en/declare`);
  await page.locator('[id="d0.name"]').fill(name);
  await page.locator('[id="d0.nameKind-alias"]').check();
  await page.locator('[id="d0.orgs-pioneers"]').check();
  await beforeSending?.();
  await page.locator('button[value="declare"]').click();
  await page.locator('.receipt-page').waitFor();
}

/** Every way a salt could travel: base64, base64url, hex, and the code's own letters. */
function saltForms(r: Receipt): string[] {
  const salt = decodeBase64(r.salt) ?? new Uint8Array();
  const b64 = Buffer.from(salt).toString('base64');
  const code = formatReceiptCode(r.index, salt);
  return [
    b64,
    encodeURIComponent(b64),
    Buffer.from(salt).toString('base64url'),
    Buffer.from(salt).toString('hex'),
    code.split('-').slice(1, 4).join(''),
    code.split('-').slice(1, 3).join('-'),
  ];
}

test('with JavaScript, a typed code and a pasted receipt are checked in the browser: no request carries the salt', async () => {
  const res = await fetch(`${registry.url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'en',
      declarants: [{ name: 'Salt', nameKind: 'alias', orgs: ['league'] }],
    }),
  });
  const [receipt] = ((await res.json()) as { receipts: Receipt[] }).receipts;
  assert.ok(receipt);
  await published(receipt.index);
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (r) => {
    requests.push(r);
  });
  await page.goto(`${registry.url}/en/receipt`);
  assert.ok(
    await page.getByText(en['check.localNote']).isVisible(),
    'the page says where it checks',
  );
  const out = page.locator('#receipt-input-check');
  const code = formatReceiptCode(receipt.index, decodeBase64(receipt.salt) ?? new Uint8Array());
  for (const input of [code.toLowerCase(), JSON.stringify(receipt)]) {
    await page.locator('#receipt-input').fill(input);
    await page.locator('#check-form button[type="submit"]').click();
    await page.locator('#receipt-input-check[data-state="verified"]').waitFor();
    const said = (await out.textContent()) ?? '';
    assert.ok(
      said.startsWith(en['check.ok'](String(receipt.index + 1), String(await publicSize()))),
    );
    if (input === code.toLowerCase()) assert.ok(said.includes(en['check.fromCode']), said);
  }
  assert.equal(page.url(), `${registry.url}/en/receipt`, 'the form was not sent');
  assert.ok(
    requests.some((r) => r.url().includes('/log/tile/entries/')),
    'tiles were read',
  );
  for (const r of requests) {
    assert.equal(r.method(), 'GET', `${r.method()} ${r.url()}`);
    for (const secret of saltForms(receipt))
      assert.ok(
        !`${r.url()} ${r.postData() ?? ''}`.includes(secret),
        `${r.url()} carries the salt`,
      );
  }
  await context.close();
});

test('without JavaScript, the check page says the server checked, and why', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${registry.url}/zh-hans/receipt`);
  const hans = catalogs['zh-Hans'];
  assert.ok(
    (await page.locator('main noscript').textContent())?.includes(hans['check.serverNote']),
  );
  assert.ok(await page.locator('.local-note').isHidden(), 'not the note for scripts on');
  await page.locator('#receipt-input').fill('1-AAAA');
  await page.locator('#check-form button[type="submit"]').click();
  assert.ok((await page.locator('#check-answer').textContent())?.includes(hans['check.byServer']));
  await context.close();
});

test('the receipt page says the entry is public after the next publication, without a reload', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Sent just after a publication, so that the first check finds the entry not yet public.
  await declareOnForm(page, 'Follower', async () => {
    const toNext = INTERVAL * 1000 - (Date.now() % (INTERVAL * 1000));
    await new Promise((r) => setTimeout(r, toNext + 300));
  });
  let navigations = 0;
  page.on('framenavigated', () => navigations++);
  const check = page.locator('#person-1-check');
  await page.locator('#person-1-check[data-state="pending"]').waitFor();
  const receipt = JSON.parse(await page.locator('#person-1-text').inputValue()) as Receipt;
  assert.equal(await check.textContent(), en['check.pending'](String(receipt.index + 1)));
  await page.locator('#person-1-check[data-state="verified"]').waitFor({ timeout: 30_000 });
  assert.equal(
    await check.textContent(),
    en['check.published'](String(receipt.index + 1), String(await publicSize())),
  );
  assert.equal(navigations, 0, 'no reload');
  await context.close();
});

test('the paper holds no name unless the person asks; the page says the receipts are shown once', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await declareOnForm(page, 'Zed Quillfeather');
  assert.equal(await page.title(), en['title.receipt'], 'a title that says nothing');
  assert.ok(await page.getByText(en['receipt.onceOne']).isVisible());
  for (const key of ['traceHistory', 'traceDownloads', 'tracePhotos', 'traceScan'] as const)
    assert.ok(await page.getByText(en[`receipt.${key}`]).isVisible(), key);
  const code = ((await page.locator('.receipt-code').textContent()) ?? '').replace(/\s+/g, '');
  const paper = async () => {
    const pdf = await page.pdf({ format: 'A4' });
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), {
      mergePages: true,
    });
    return text;
  };
  const plain = await paper();
  assert.doesNotMatch(plain, /Zed|Quillfeather/, 'no name by default');
  assert.doesNotMatch(plain, /Young Pioneers|\d{4}-\d{2}-\d{2}|Tuidang Registry/);
  assert.ok(plain.replace(/\s+/g, '').includes(code), 'the code');
  assert.ok(plain.includes(registry.url.replace(/^https?:\/\//, '')), "the site's address");
  await page.getByLabel(en['receipt.printNameOne']).check();
  assert.match(await paper(), /Zed Quillfeather/, 'the name when the person asks for it');
  // On screen the name stays, beside its receipt.
  assert.ok(await page.getByRole('heading', { name: 'Zed Quillfeather' }).isVisible());
  await context.close();
});

test('exit this page: replaces the page and its history entry; without JavaScript a plain link', async () => {
  const neutral = EXIT_URL.en;
  const context = await browser.newContext();
  // The everyday site, served here: the test machine has no internet.
  await context.route(`${neutral}**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>Weather</title><p>Sunny</p>' }),
  );
  const page = await context.newPage();
  await page.goto(`${registry.url}/en/`);
  await page.goto(`${registry.url}/en/declare`);
  assert.equal(await page.title(), en['title.form']);
  await page.getByRole('link', { name: en['exit.label'] }).click();
  await page.waitForURL(`${neutral}**`);
  await page.goBack();
  assert.equal(page.url(), `${registry.url}/en/`, 'the form is gone from the history');
  await context.close();

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${registry.url}/zh-hant/declare`);
  const link = plain.getByRole('link', { name: catalogs['zh-Hant']['exit.label'] });
  assert.equal(await link.getAttribute('href'), EXIT_URL['zh-Hant']);
  assert.match((await link.getAttribute('rel')) ?? '', /noreferrer/);
  await noScript.close();
});

test('leaving a page of unsaved receipts asks first; once downloaded, or by the exit, it does not', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.route(`${EXIT_URL.en}**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }),
  );
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    void d.dismiss();
  });
  await declareOnForm(page, 'Leaver');
  await page.locator('.languages a[lang="zh-Hans"]').click();
  await page.waitForTimeout(500);
  assert.deepEqual(dialogs, ['beforeunload'], 'asked before leaving');
  assert.ok(page.url().endsWith('/en/declare'), 'stayed: the receipts are still there');
  // The exit control leaves without asking.
  await page.getByRole('link', { name: en['exit.label'] }).click();
  await page.waitForURL(`${EXIT_URL.en}**`);
  assert.deepEqual(dialogs, ['beforeunload']);

  await declareOnForm(page, 'Keeper');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: en['receipt.downloadOne'] }).click();
  assert.match((await download).suggestedFilename(), /^receipt-\d+\.json$/);
  await page.locator('.languages a[lang="zh-Hans"]').click();
  await page.waitForURL(/\/zh-hans\/receipt$/);
  assert.deepEqual(dialogs, ['beforeunload'], 'not asked once downloaded');
  await context.close();
});
