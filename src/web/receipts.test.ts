// The declarant's receipt as people use it, in a real browser against a real server: a family of
// three with JavaScript off and on, reloading, going back and sending the form again; printing to
// PDF and reading the QR codes back with an independent decoder (jsQR); erasing one person's
// publication; checking a receipt with and without JavaScript in every language. Screenshots of
// the receipt and print views go to screenshots/ (not committed).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { launchBrowser, readQr } from '../../test/browser.ts';
import { runCli } from '../../test/cli.ts';
import { readConfig } from '../config/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';
import { catalogs, LOCALES, PREFIX } from './i18n.ts';

const hans = catalogs['zh-Hans'];
const shots = new URL('../../screenshots/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
const home = join(tmpdir(), `tuidang-receipts-${process.pid}-${Date.now()}`);

let registry: Registry;
let browser: Browser;
before(async () => {
  registry = await startRegistry(
    readConfig({
      PORT: '0',
      DATA_DIR: join(home, 'data'),
      TUIDANG_ORIGIN: 'receipts.example/log',
      TUIDANG_POW_COST: '1',
      TUIDANG_POW_WAIT: '1',
      TUIDANG_PUBLISH_INTERVAL: '0', // publish every commit; the cadence has a test of its own
      TUIDANG_STATEMENT_CROWD: '1', // statements listed at once; the crowd rule has its own test
    }),
  );
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await registry?.close();
});

const treeSize = async () =>
  ((await (await fetch(`${registry.url}/api/v1/stats`)).json()) as { treeSize: number }).treeSize;

/** Each person's receipt on the page, in the order shown: name, code and the receipt's text. */
const receiptsOn = (page: Page) =>
  page.locator('section.receipt-card').evaluateAll((cards) =>
    cards.map((c) => ({
      who: c.querySelector('h2')?.textContent ?? '',
      code: c.querySelector('.receipt-code')?.textContent ?? '',
      text: (c.querySelector('textarea.receipt-text') as HTMLTextAreaElement | null)?.value ?? '',
    })),
  );

interface Person {
  readonly name: string;
  readonly kind: 'real' | 'alias';
  readonly org: 'party' | 'league' | 'pioneers';
  /** A statement to publish, with consent. */
  readonly statement?: string;
}

const FAMILY: readonly Person[] = [
  { name: '王大明', kind: 'real', org: 'party' },
  { name: '王小红', kind: 'alias', org: 'league' },
  { name: '王小小', kind: 'real', org: 'pioneers' },
];

/** Fills the form's rows (already there) for these people, by field ids. */
async function fillPeople(page: Page, people: readonly Person[] = FAMILY): Promise<void> {
  for (const [i, p] of people.entries()) {
    await page.locator(`[id="d${i}.name"]`).fill(p.name);
    await page.locator(`[id="d${i}.nameKind-${p.kind}"]`).check();
    await page.locator(`[id="d${i}.orgs-${p.org}"]`).check();
    if (p.statement !== undefined) {
      await page.locator(`[id="d${i}.statement"]`).fill(p.statement);
      await page.locator(`[id="d${i}.publish"]`).check();
    }
  }
}

/** Declares these people on the English form without JavaScript; the page shows the receipts. */
async function declareWithoutScript(page: Page, people: readonly Person[]): Promise<void> {
  await page.goto(`${registry.url}/en/declare`);
  for (let i = 1; i < people.length; i++) await page.locator('button[value="add"]').click();
  await fillPeople(page, people);
  await page.waitForTimeout(3100); // the form's ticket, without JavaScript: a second a person
  await page.locator('button[value="declare"]').click();
  await page.locator('.receipt-page').waitFor();
}

/** Every id on the page is unique. */
async function uniqueIds(page: Page): Promise<void> {
  const ids = await page.locator('[id]').evaluateAll((els) => els.map((e) => e.id));
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    `${page.url()}: ids used twice`,
  );
}

describe('a family of three: nothing lost or doubled by a reload, the same form or the back button', () => {
  test('without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const start = await treeSize();
    await page.goto(`${registry.url}/zh-hans/declare`);
    await page.getByRole('button', { name: hans['declare.add'] }).click();
    // The form comes back scrolled to the person added.
    assert.match(page.url(), /#person-2$/);
    await page.getByRole('button', { name: hans['declare.add'] }).click();
    assert.match(page.url(), /#person-3$/);
    assert.equal(await page.locator('#person-3').isVisible(), true);
    await uniqueIds(page);
    await fillPeople(page);
    let sent = '';
    page.on('request', (r) => {
      if (r.method() === 'POST') sent = r.postData() ?? '';
    });
    await page.waitForTimeout(3100); // the form's ticket, without JavaScript: a second a person
    await page.getByRole('button', { name: hans['declare.submit'], exact: true }).click();
    await page.getByRole('heading', { name: hans['receipt.headMany'](3) }).waitFor();
    const first = await receiptsOn(page);
    assert.deepEqual(
      first.map((r) => r.who),
      FAMILY.map((p, i) => `第 ${i + 1} 人 · ${p.name}`),
      'one receipt per person, in the order entered, with the name typed',
    );
    assert.equal(await treeSize(), start + 3);
    await uniqueIds(page);

    // A reload sends the form again: the very same receipts, nothing added.
    await page.reload();
    await page.getByRole('heading', { name: hans['receipt.headMany'](3) }).waitFor();
    assert.deepEqual(await receiptsOn(page), first);
    // The same form sent again (the back button and "resend", or a double click): the same.
    const again = await context.request.post(`${registry.url}/zh-hans/declare`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: sent,
    });
    assert.equal(again.status(), 200);
    for (const r of first) assert.ok((await again.text()).includes(r.code), r.code);
    assert.equal(await treeSize(), start + 3, 'the log grew by exactly three');
    await context.close();
  });

  test('with JavaScript', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const start = await treeSize();
    await page.goto(`${registry.url}/zh-hans/declare`);
    await page.getByRole('button', { name: hans['declare.add'] }).click();
    await page.getByRole('button', { name: hans['declare.add'] }).click();
    await page.getByRole('button', { name: hans['declare.add'] }).click();
    // Remove the person added last, in place.
    await page.getByRole('button', { name: hans['form.remove'](4) }).click();
    assert.equal(await page.locator('fieldset.person').count(), 3);
    await uniqueIds(page);
    await fillPeople(page);
    await page.getByRole('button', { name: hans['declare.submit'], exact: true }).click();
    await page.getByRole('heading', { name: hans['receipt.headMany'](3) }).waitFor();
    const first = await receiptsOn(page);
    assert.equal(first.length, 3);
    assert.equal(await treeSize(), start + 3);

    await page.reload();
    await page.getByRole('heading', { name: hans['receipt.headMany'](3) }).waitFor();
    assert.deepEqual(await receiptsOn(page), first);

    // Back to the form, the same declaration sent again: the same receipts.
    await page.goBack();
    await page.locator('[id="d0.name"]').waitFor();
    if ((await page.locator('fieldset.person').count()) < 3) {
      await page.getByRole('button', { name: hans['declare.add'] }).click();
      await page.getByRole('button', { name: hans['declare.add'] }).click();
    }
    await fillPeople(page);
    await page.getByRole('button', { name: hans['declare.submit'], exact: true }).click();
    await page.getByRole('heading', { name: hans['receipt.headMany'](3) }).waitFor();
    assert.deepEqual(await receiptsOn(page), first);
    assert.equal(await treeSize(), start + 3, 'the log grew by exactly three');

    // Every receipt checks in the browser right after declaring.
    for (const i of [1, 2, 3])
      await page.waitForFunction(
        (id) => ['verified', 'pending'].includes(document.getElementById(id)?.dataset.state ?? ''),
        `person-${i}-check`,
      );
    await context.close();
  });
});

describe('a double click without JavaScript: two sends of one form at once', () => {
  const freshForm = async () => {
    const html = await (await fetch(`${registry.url}/en/declare`)).text();
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
    return new URLSearchParams({
      rows: '1',
      key: field('key'),
      ticket: field('ticket'),
      altcha: '',
      'd0.name': 'Double',
      'd0.nameKind': 'alias',
      'd0.orgs': 'party',
      action: 'declare',
    }).toString();
  };
  const sendTwice = (body: string) =>
    Promise.all(
      [0, 1].map(async () => {
        const res = await fetch(`${registry.url}/en/declare`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        return {
          status: res.status,
          code: /class="receipt-code[^>]*>([^<]+)</.exec(await res.text())?.[1],
        };
      }),
    );

  test('declare once and answer both with the same receipt', async () => {
    const body = await freshForm();
    await new Promise((r) => setTimeout(r, 1100)); // the form's ticket matures
    const start = await treeSize();
    const [a, b] = await sendTwice(body);
    assert.deepEqual([a?.status, b?.status], [200, 200]);
    assert.ok(a?.code);
    assert.equal(a?.code, b?.code);
    assert.equal(await treeSize(), start + 1);
  });

  test('a form the anti-flood check refuses is refused twice: the second send is no way around it', async () => {
    const body = await freshForm(); // sent at once: its ticket is not mature yet
    const start = await treeSize();
    const [a, b] = await sendTwice(body);
    assert.deepEqual([a?.status, b?.status], [400, 400]);
    assert.equal(await treeSize(), start);
  });
});

describe('the print view', () => {
  test('printed to PDF: each entry number and receipt code; each QR code holds that receipt, which the verifier accepts', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await declareWithoutScript(page, [
      { name: 'Lin Ming', kind: 'alias', org: 'league' },
      { name: 'Lin Hua', kind: 'alias', org: 'league' },
    ]);
    await page.getByRole('heading', { name: '2 declarations are registered' }).waitFor();
    const people = await receiptsOn(page);
    for (const [w, h] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ media: 'screen' });
      await page.screenshot({ path: join(shots, `receipt-view-${w}.png`), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(shots, `receipt-print-${w}.png`), fullPage: true });
    }

    const pdf = await page.pdf({ format: 'A4' });
    writeFileSync(join(shots, 'receipts.pdf'), pdf);
    const { totalPages, text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), {
      mergePages: true,
    });
    assert.equal(totalPages, 2, 'one page per person');
    const flat = text.replace(/\s+/g, '');
    for (const p of people) {
      const receipt = JSON.parse(p.text) as { index: number };
      assert.ok(flat.includes(p.code.replace(/\s+/g, '')), `the PDF holds ${p.code}`);
      assert.match(text, new RegExp(`Entry\\s+${receipt.index + 1}\\b`), 'the record number');
    }
    assert.doesNotMatch(text, /Download|The receipt as text/, 'no screen-only controls on paper');

    // Each QR code, drawn to pixels in a page of its own, read by jsQR.
    const svgs = await page.locator('svg.qr').evaluateAll((els) => els.map((e) => e.outerHTML));
    for (const [i, svg] of svgs.entries()) {
      const code = await readQr(browser, svg);
      assert.ok(code, `QR code ${i + 1} is readable`);
      const person = people[i] as (typeof people)[number];
      assert.deepEqual(JSON.parse(code), JSON.parse(person.text), 'the QR code holds the receipt');
      const file = join(home, `qr-receipt-${i}.json`);
      writeFileSync(file, code);
      const verified = await runCli(
        { HOME: home },
        'verify',
        '--receipt',
        file,
        '--log',
        registry.url,
        '--name',
        ['Lin Ming', 'Lin Hua'][i] as string,
        '--alias',
      );
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stdout, /commits to the name \(and to no statement\) given/);
    }
    // The code printed beside the QR code, typed back in, stands for the whole receipt.
    const [first] = people;
    assert.ok(first);
    const typed = await runCli(
      { HOME: home },
      'verify',
      '--receipt',
      first.code.toLowerCase(),
      '--log',
      registry.url,
      '--name',
      'Lin Ming',
      '--alias',
    );
    assert.equal(typed.code, 0, typed.stderr);
    assert.match(typed.stdout, /commits to the name \(and to no statement\) given/);
    await context.close();
  });
});

describe('erasing', () => {
  test("each person's receipt erases only that person's publication, after a confirmation page", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${registry.url}/en/declare`);
    assert.match(
      (await page.locator('label[for="d0.publish"]').textContent()) ?? '',
      /Publish this person's name and statement/,
    );
    await declareWithoutScript(page, [
      { name: 'Ma Li', kind: 'real', org: 'party', statement: 'I leave the Party. — Ma Li' },
      { name: 'Ma Jun', kind: 'real', org: 'party', statement: 'I leave the League. — Ma Jun' },
    ]);
    const [one, two] = await receiptsOn(page);
    assert.ok(one && two);
    for (const r of [one, two])
      assert.ok(
        await registry.store.site.moderate(JSON.parse(r.text).index, { status: 'approved' }),
      );
    const published = async () =>
      (await (await fetch(`${registry.url}/en/statements`)).text()).match(/I leave the \w+/g) ?? [];
    assert.deepEqual((await published()).sort(), ['I leave the League', 'I leave the Party']);

    // The code on the paper, typed in: a confirmation page shows what goes, and nothing goes yet.
    await page.goto(`${registry.url}/en/erase`);
    await page.getByLabel('Receipt text or receipt code').fill(one.code.toLowerCase());
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Remove this name and statement?' }).waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /I leave the Party/);
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /I leave the League/);
    assert.equal((await published()).length, 2, 'nothing removed before confirming');
    await page.getByRole('button', { name: 'Yes, remove it' }).click();
    await page.getByText(/were removed/).waitFor();
    assert.deepEqual(await published(), ['I leave the League'], "only that person's");
    await context.close();
  });
});

describe('checking a receipt', () => {
  test('without JavaScript: a POST, the receipt in no address, the answer names the signed state', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await declareWithoutScript(page, [{ name: 'Zhou', kind: 'alias', org: 'pioneers' }]);
    const [mine] = await receiptsOn(page);
    assert.ok(mine);
    const urls: string[] = [];
    page.on('request', (r) => {
      urls.push(r.url());
    });
    for (const input of [mine.text, mine.code]) {
      await page.goto(`${registry.url}/en/receipt`);
      await page.getByLabel('Receipt text or receipt code').fill(input);
      await page.getByRole('button', { name: 'Check' }).click();
      const answer = (await page.locator('#check-answer').textContent()) ?? '';
      assert.match(
        answer,
        /Entry \d+ is in the register as signed at [\d,]+ entries \(receipts\.example\/log\), and that signed state is consistent with the latest one/,
      );
      assert.match(
        (await page.locator('main').textContent()) ?? '',
        /An independent check need not trust it/,
      );
    }
    const salt = (JSON.parse(mine.text) as { salt: string }).salt;
    for (const url of urls) {
      assert.ok(!url.includes(encodeURIComponent(salt)) && !url.includes(salt), url);
      assert.ok(!url.includes('?'), `no query string: ${url}`);
    }
    await context.close();
  });

  for (const locale of LOCALES) {
    test(`with JavaScript (${locale}): a fresh receipt passes at once, a tampered one fails in the page's language`, async () => {
      const m = catalogs[locale];
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      await page.goto(`${registry.url}/${PREFIX[locale]}/declare`);
      await page.locator('[id="d0.name"]').fill(`Check ${locale}`);
      await page.locator('[id="d0.nameKind-alias"]').check();
      await page.locator('[id="d0.orgs-party"]').check();
      await page.locator('button[value="declare"]').click();
      // Checked against the latest published checkpoint, or, when the receipt is newer than the
      // last publication, against its own (the entry appears at the next publication).
      const check = page.locator('#person-1-check');
      await page
        .locator('#person-1-check:is([data-state="verified"], [data-state="pending"])')
        .waitFor();
      const text = await page.locator('#person-1-text').inputValue();
      const receipt = JSON.parse(text) as { index: number; inclusionProof: string[] };
      const number = new Intl.NumberFormat(locale).format;
      assert.equal(
        await check.textContent(),
        (await check.getAttribute('data-state')) === 'verified'
          ? m['check.ok'](number(receipt.index + 1), number(await treeSize()))
          : m['check.pending'](number(receipt.index + 1)),
      );
      await page.goto(`${registry.url}/${PREFIX[locale]}/receipt`);
      const out = page.locator('#receipt-input-check');
      for (const [tampered, message] of [
        [{ ...receipt, index: receipt.index + 1 }, m['check.notIncluded']],
        [{ ...receipt, entry: 'not base64!' }, m['check.malformed']],
      ] as const) {
        await page.locator('#receipt-input').fill(JSON.stringify(tampered));
        await page.locator('#check-form button[type="submit"]').click();
        await page.locator('#receipt-input-check[data-state="failed"]').waitFor();
        assert.equal(await out.textContent(), message);
      }
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

describe('a receipt newer than the last publication', () => {
  test('is checked against its own checkpoint, and says its entry appears at the next publication', async () => {
    const hourly = await startRegistry(
      readConfig({
        PORT: '0',
        DATA_DIR: join(home, 'hourly'),
        TUIDANG_ORIGIN: 'hourly.example/log',
        TUIDANG_POW: 'off',
        TUIDANG_PUBLISH_INTERVAL: '3600',
      }),
    );
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${hourly.url}/zh-hant/declare`);
      await fillPeople(page, [{ name: '林小明', kind: 'alias', org: 'league' }]);
      await page.locator('button[value="declare"]').click();
      const check = page.locator('#person-1-check');
      await page.locator('#person-1-check[data-state="pending"]').waitFor();
      const receipt = JSON.parse(await page.locator('#person-1-text').inputValue()) as {
        index: number;
        treeSize: number;
      };
      const hant = catalogs['zh-Hant'];
      assert.equal(await check.textContent(), hant['check.pending'](String(receipt.index + 1)));
      // Without JavaScript, the registry's own answer says the same.
      const answer = await (
        await fetch(`${hourly.url}/zh-hant/receipt`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            receipt: await page.locator('#person-1-text').inputValue(),
          }).toString(),
        })
      ).text();
      assert.ok(
        answer.includes(
          hant['check.resultPending'](String(receipt.index + 1), String(receipt.treeSize)),
        ),
      );
      // Its code alone holds no signed checkpoint: the entry is expected, not yet checkable.
      const code = (await page.locator('#person-1 .receipt-code').textContent()) ?? '';
      const byCode = await (
        await fetch(`${hourly.url}/zh-hant/receipt`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ receipt: code }).toString(),
        })
      ).text();
      assert.ok(byCode.includes(hant['check.notYet'](String(receipt.index + 1))));
      await context.close();
    } finally {
      await hourly.close();
    }
  });
});

describe('the form', () => {
  test('without JavaScript: remove a person, empty rows ignored, regions by name, no name kind chosen for you', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${registry.url}/en/declare`);
    assert.equal(await page.locator('input[type="radio"]:checked').count(), 0);
    const regions = await page
      .locator('[id="d0.region"] option')
      .evaluateAll((os) => os.map((o) => o.textContent ?? ''));
    assert.equal(regions[0], 'Not given');
    assert.equal(regions.at(-1), 'Overseas / other');
    // The mainland in alphabetical order, then Taiwan, Hong Kong and Macau in a group of their own.
    const groups = await page
      .locator('[id="d0.region"] optgroup')
      .evaluateAll((gs) =>
        gs.map((g) => [...g.querySelectorAll('option')].map((o) => o.textContent ?? '')),
      );
    const [mainland = [], apart = []] = groups;
    assert.ok(mainland.length >= 31, 'the mainland provinces');
    assert.deepEqual(
      mainland,
      [...mainland].sort((a, b) => a.localeCompare(b, 'en')),
    );
    assert.deepEqual(apart, ['Taiwan', 'Hong Kong', 'Macau']);
    assert.equal(await page.getByLabel('Region (optional)').count(), 1);

    await page.getByRole('button', { name: 'Add a family member' }).click();
    await page.getByRole('button', { name: 'Add a family member' }).click();
    await page.locator('[id="d0.name"]').fill('First');
    await page.locator('[id="d1.name"]').fill('Second');
    await page.getByRole('button', { name: 'Remove person 1' }).click();
    assert.equal(await page.locator('fieldset.person').count(), 2);
    assert.equal(await page.locator('[id="d0.name"]').inputValue(), 'Second');
    await page.locator('[id="d0.nameKind-alias"]').check();
    await page.locator('[id="d0.orgs-league"]').check();
    await page.waitForTimeout(3100); // a second a person
    // Person 2 stays empty: ignored, not an error.
    await page.getByRole('button', { name: 'Declare', exact: true }).click();
    await page.getByRole('heading', { name: 'Your declaration is registered' }).waitFor();
    assert.equal(await page.locator('section.receipt-card').count(), 1);
    await context.close();
  });
});
