// The site in a real browser (Debian's Chromium via playwright-core), as visitors use it: with
// JavaScript off (Tor Browser "safest") and on. Screenshots go to screenshots/ (not committed).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../../test/browser.ts';
import { importHistory } from '../../test/history.ts';
import { PUBLIC_PAGES } from '../../test/pages.ts';
import { readConfig } from '../config/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';
import { catalogs, LOCALES, PREFIX } from './i18n.ts';

const hans = catalogs['zh-Hans'];
const hant = catalogs['zh-Hant'];
const en = catalogs.en;

const shots = new URL('../../screenshots/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

let registry: Registry;
let browser: Browser;
before(async () => {
  const env = {
    PORT: '0',
    DATA_DIR: join(tmpdir(), `tuidang-web-${process.pid}-${Date.now()}`, 'data'),
    TUIDANG_ORIGIN: 'web.example/log',
    // Proof of work on, as in production, but light: a cheap challenge and a one-second ticket.
    TUIDANG_POW_COST: '1',
    TUIDANG_POW_WAIT: '1',
    TUIDANG_PUBLISH_INTERVAL: '0',
  };
  // Imported history, as a real registry has: the charts show it beside declarations made here.
  mkdirSync(env.DATA_DIR, { recursive: true });
  await importHistory(env, 1200);
  registry = await startRegistry(readConfig(env));
  // The first requests build the scripts and the verifier: not while a test counts seconds.
  for (const path of [
    '/en/',
    '/en/about',
    '/en/declare',
    '/static/declare.js',
    '/static/verify.js',
  ])
    await (await fetch(`${registry.url}${path}`)).arrayBuffer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await registry?.close();
});

const total = async (page: Page, lang = 'en') => {
  await page.goto(`${registry.url}/${lang}/`);
  return Number(await page.locator('#total').getAttribute('data-total'));
};
const treeSize = async () =>
  ((await (await fetch(`${registry.url}/api/v1/stats`)).json()) as { treeSize: number }).treeSize;

describe('without JavaScript', () => {
  test('a family of three declares; the receipt page lists three entries; the total rose by three', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    const before = await total(page, 'zh-hans');
    await page.goto(`${registry.url}/zh-hans/declare`);
    await page.getByRole('button', { name: hans['declare.add'] }).click();
    await page.getByRole('button', { name: hans['declare.add'] }).click();
    const people = [
      ['王大明', '中国共产党'],
      ['王小红', '共青团'],
      ['王小小', '少先队'],
    ] as const;
    for (const [i, [name, org]] of people.entries()) {
      const person = page.getByRole('group', { name: `第 ${i + 1} 人` });
      await person.getByLabel('姓名', { exact: true }).fill(name);
      await person.getByRole('radio', { name: i === 1 ? '化名' : '真名' }).check();
      await person.getByRole('checkbox', { name: org }).check();
    }
    await page.waitForTimeout(3100); // without JavaScript, the form's ticket needs a second a person
    await page.getByRole('button', { name: hans['declare.submit'], exact: true }).click();
    await page.getByRole('heading', { name: hans['receipt.headMany'](3) }).waitFor();
    assert.equal(await page.locator('section.receipt-card').count(), 3);
    const receipts = await page
      .locator('textarea.receipt-text')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    assert.equal(receipts.length, 3);
    assert.doesNotMatch(receipts.join(), /王/, 'the receipt holds no name');
    assert.equal(await total(page, 'zh-hans'), before + 3);
    await context.close();
  });

  test('bad input: clear messages next to the fields, everything typed kept, nothing stored, markup shown as text', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const size = await treeSize();
    await page.goto(`${registry.url}/en/declare`);
    await page.getByRole('button', { name: 'Add a family member' }).click();
    const first = page.getByRole('group', { name: 'Person 1' });
    const second = page.getByRole('group', { name: 'Person 2' });
    await first.getByLabel('Name', { exact: true }).fill('<img src=x onerror=alert(1)><b>Li</b>');
    await first.getByLabel('Statement (optional)').fill('x'.repeat(10000));
    await second.getByRole('checkbox', { name: 'Young Pioneers' }).check();
    await page.getByRole('button', { name: 'Declare', exact: true }).click();
    await page.locator('p.notice').waitFor();
    assert.match((await page.locator('p.notice').textContent()) ?? '', /Nothing was recorded/);
    // The error summary at the top links to each field with a problem (GOV.UK pattern).
    const summary = page.locator('#error-summary');
    assert.match((await summary.textContent()) ?? '', /There is a problem/);
    assert.deepEqual(
      await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      ['#d0.nameKind-real', '#d0.orgs-party', '#d0.statement', '#d1.name', '#d1.nameKind-real'],
    );
    assert.match(
      await first
        .locator('.error')
        .allInnerTexts()
        .then((t) => t.join(' ')),
      /Choose at least one organisation/,
    );
    assert.match(
      await first
        .locator('.error')
        .allInnerTexts()
        .then((t) => t.join(' ')),
      /at most 2000 characters/,
    );
    assert.match((await second.locator('.error').allInnerTexts()).join(' '), /Please fill this in/);
    assert.equal(
      await first.getByLabel('Name', { exact: true }).inputValue(),
      '<img src=x onerror=alert(1)><b>Li</b>',
      'kept as typed',
    );
    assert.equal(await second.getByRole('checkbox', { name: 'Young Pioneers' }).isChecked(), true);
    assert.equal(await page.locator('main img, main b').count(), 0, 'markup is never rendered');
    assert.equal(await treeSize(), size, 'nothing stored');
    await context.close();
  });
});

describe('proof of work without JavaScript', () => {
  test('a form sent back (a row added, a box left unticked) keeps everything and its ticket; after the wait, it declares', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${registry.url}/en/declare`);
    const ticket = await page.locator('input[name="ticket"]').inputValue();
    await page.getByLabel('Name', { exact: true }).fill('Quick');
    await page.getByRole('radio', { name: 'an alias' }).check();
    await page.getByRole('checkbox', { name: 'Young Pioneers' }).check();
    // Each round trip renders the form with everything kept and the same ticket, so its wait (a
    // second a person) counts from the first form, not again from each error. (When a form is
    // sent too early is timed exactly, with a clock the test moves, in src/server/form-wait.test.ts.)
    await page.getByRole('button', { name: 'Add a family member' }).click();
    assert.equal(await page.locator('input[name="ticket"]').inputValue(), ticket);
    const second = page.getByRole('group', { name: en['declare.person'](2) });
    await second.getByLabel('Name', { exact: true }).fill('Quick Two');
    await second.getByRole('radio', { name: 'an alias' }).check();
    await page.getByRole('button', { name: 'Declare', exact: true }).click();
    await page.getByRole('alert').first().waitFor();
    assert.equal(await page.locator('input[name="ticket"]').inputValue(), ticket);
    assert.equal(await page.getByLabel('Name', { exact: true }).first().inputValue(), 'Quick');
    assert.equal(await second.getByLabel('Name', { exact: true }).inputValue(), 'Quick Two');
    await second.getByRole('checkbox', { name: 'Young Pioneers' }).check();
    await page.waitForTimeout(2100);
    await page.getByRole('button', { name: 'Declare', exact: true }).click();
    await page.getByRole('heading', { name: en['receipt.headMany'](2) }).waitFor();
    await context.close();
  });
});

describe('keyboard only', () => {
  test('skip link, form fields, checkbox and submit, without a mouse', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const focused = () =>
      page.evaluate(() => ({
        id: document.activeElement?.id,
        name: (document.activeElement as HTMLInputElement | null)?.name,
        text: document.activeElement?.textContent,
      }));
    await page.goto(`${registry.url}/en/declare`);
    await page.keyboard.press('Tab');
    assert.equal((await focused()).text, 'Skip to content');
    await page.keyboard.press('Enter');
    // From the main content, Tab reaches the name field, then the name kind, then the organisations.
    for (let i = 0; i < 20 && (await focused()).id !== 'd0.name'; i++)
      await page.keyboard.press('Tab');
    assert.equal((await focused()).id, 'd0.name');
    await page.keyboard.type('Keyboard');
    await page.keyboard.press('Tab');
    assert.equal((await focused()).name, 'd0.nameKind');
    await page.keyboard.press('Space');
    assert.equal(await page.getByRole('radio', { name: 'my real name' }).isChecked(), true);
    for (let i = 0; i < 20 && (await focused()).name !== 'd0.orgs'; i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    assert.equal(
      await page.getByRole('checkbox', { name: 'Chinese Communist Party' }).isChecked(),
      true,
    );
    await page.waitForTimeout(3100); // the ticket of a form without JavaScript: a second a person
    for (let i = 0; i < 30 && (await focused()).text !== 'Declare'; i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your declaration is registered' }).waitFor();
    await context.close();
  });
});

describe('with JavaScript', () => {
  test('the receipt verifies in the browser; a tampered receipt is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${registry.url}/en/declare`);
    await page.getByLabel('Name', { exact: true }).fill('Chen');
    await page.getByRole('radio', { name: 'my real name' }).check();
    await page.getByRole('checkbox', { name: 'Communist Youth League' }).check();
    await page.getByRole('button', { name: 'Declare', exact: true }).click();
    const verify = page.locator('#person-1-check');
    await page.waitForFunction(
      () =>
        document.getElementById('person-1-check')?.dataset.state !== 'checking' &&
        document.getElementById('person-1-check')?.dataset.state,
    );
    assert.equal(
      await verify.getAttribute('data-state'),
      'verified',
      (await verify.textContent()) ?? '',
    );
    assert.match(
      (await verify.textContent()) ?? '',
      /Checked in your browser: entry [\d,]+ is in the public register \([\d,]+ entries\)/,
    );
    const json = JSON.parse(await page.locator('#person-1-text').inputValue()) as {
      index: number;
    };

    await page.goto(`${registry.url}/en/receipt`);
    const out = page.locator('#receipt-input-check');
    await page.locator('#receipt-input').fill(JSON.stringify({ ...json, index: json.index + 1 }));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForFunction(() =>
      ['verified', 'failed'].includes(
        document.getElementById('receipt-input-check')?.dataset.state ?? '',
      ),
    );
    assert.equal(await out.getAttribute('data-state'), 'failed');
    await page.locator('#receipt-input').fill(JSON.stringify(json));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForFunction(
      () => document.getElementById('receipt-input-check')?.dataset.state === 'verified',
    );
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('with JavaScript, the form', () => {
  test('adds family members in place, and the family declares as with the server-side rows', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let posts = 0;
    let body = '';
    page.on('request', (r) => {
      if (r.method() === 'POST') {
        posts++;
        body = r.postData() ?? '';
      }
    });
    await page.goto(`${registry.url}/zh-hant/declare`);
    await page.getByRole('button', { name: hant['declare.add'] }).click();
    await page.getByRole('button', { name: hant['declare.add'] }).click();
    assert.equal(posts, 0, 'rows are added without a round trip');
    for (const i of [1, 2, 3]) {
      const person = page.getByRole('group', { name: `第 ${i} 人` });
      await person.getByLabel('姓名', { exact: true }).fill(`林${i}`);
      await person.getByRole('radio', { name: '化名' }).check();
      await person.getByRole('checkbox', { name: '少先隊' }).check();
    }
    await page.getByRole('button', { name: hant['declare.submit'], exact: true }).click();
    await page.getByRole('heading', { name: hant['receipt.headMany'](3) }).waitFor();
    assert.match(
      new URLSearchParams(body).get('altcha') ?? '',
      /^[A-Za-z0-9+/]+=*$/,
      'the proof of work was solved in the browser',
    );
    assert.equal(await page.locator('section.receipt-card').count(), 3);
    await context.close();
  });

  test('solves the memory-hard puzzle in the page, and the solution alone admits the declaration', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let body = '';
    page.on('request', (r) => {
      if (r.method() === 'POST') body = r.postData() ?? '';
    });
    await page.goto(`${registry.url}/en/declare`);
    // No ticket to fall back on: only the work the page does can let this declaration in.
    await page.locator('input[name="ticket"]').evaluate((el) => {
      (el as HTMLInputElement).value = '';
    });
    const before = await treeSize();
    const person = page.getByRole('group', { name: en['declare.person'](1) });
    await person.getByLabel(en['declare.name'], { exact: true }).fill('Puzzle');
    await person.getByRole('radio', { name: en['declare.alias'] }).check();
    await person.getByRole('checkbox', { name: en['org.league'] }).check();
    await page.getByRole('button', { name: en['declare.submit'], exact: true }).click();
    await page.getByRole('heading', { name: en['receipt.headOne'] }).waitFor();
    const sent = JSON.parse(
      Buffer.from(new URLSearchParams(body).get('altcha') ?? '', 'base64').toString(),
    ) as { challenge: { parameters: Record<string, unknown> }; solution: { counter: number } };
    assert.equal(new URLSearchParams(body).get('ticket'), '');
    assert.equal(sent.challenge.parameters.algorithm, 'SCRYPT');
    assert.equal(sent.challenge.parameters.cost, 4096, 'N = 4,096: 4 MiB a try');
    assert.equal(sent.challenge.parameters.memoryCost, 8);
    assert.ok(Number.isInteger(sent.solution.counter));
    assert.equal(await treeSize(), before + 1);
    await context.close();
  });
});

describe('the claims, as a visitor on a phone sees them', () => {
  for (const locale of LOCALES) {
    test(`${locale}: one headline, its parts adding up to it, commands that wrap only at spaces, the verifier's checksum`, async () => {
      const m = catalogs[locale];
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${registry.url}/${PREFIX[locale]}/`);
      const figure = async (id: string) =>
        Number(((await page.locator(`#${id}`).textContent()) ?? '').replace(/\D/g, ''));
      const total = await figure('total');
      assert.equal(total, await treeSize(), 'the headline is the exact total (no voids here)');
      assert.equal(total, (await figure('total-registered')) + (await figure('total-imported')));
      assert.ok(
        total < 10_000 && (await page.locator('#total-approx').isHidden()),
        'no short form under 10,000',
      );
      assert.match(
        (await page.locator('p.total').textContent()) ?? '',
        new RegExp(m['home.total'](total, '\\S+').replace(/[()]/g, '.')),
      );
      await page.goto(`${registry.url}/${PREFIX[locale]}/about`);
      // Nothing of a command is hidden beyond its box's edge (a long key or address breaks inside
      // the box instead), and every command names the log's key.
      const hidden = await page.evaluate(() =>
        [...document.querySelectorAll('pre.commands')].flatMap((pre) => {
          const box = pre.getBoundingClientRect();
          return [...pre.querySelectorAll('span')]
            .filter((s) => [...s.getClientRects()].some((r) => r.right > box.right + 0.5))
            .map((s) => s.textContent);
        }),
      );
      assert.deepEqual(hidden, []);
      assert.equal(await page.locator('#vkey').textContent(), registry.vkey);
      assert.ok(
        ((await page.locator('pre.commands').first().textContent()) ?? '').includes(
          `--vkey ${registry.vkey}`,
        ),
      );
      assert.ok(
        ((await page.locator('#no-witness').textContent()) ?? '').includes(m['about.noWitness']),
      );
      const href = (await page.locator('a[download]').getAttribute('href')) ?? '';
      const served = await page.request.get(`${registry.url}${href}`);
      assert.equal(served.status(), 200);
      const sha = createHash('sha256')
        .update(await served.body())
        .digest('hex');
      assert.equal(await page.locator('#verifier-sha256').textContent(), sha);
      await context.close();
    });
  }
});

/**
 * Nothing on the page scrolls sideways in a `w` px window, and at 390 px every button, and the
 * label of every radio and checkbox (or the control itself, without one), is a 44 px target.
 */
async function fitsPhone(page: Page, url: string, w: number): Promise<number> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= w, `${url} is ${width} px wide in a ${w} px window`);
  if (w !== 390) return 0;
  const heights = await page.evaluate(() =>
    [
      ...document.querySelectorAll('button, a.button, input[type="submit"]'),
      ...[...document.querySelectorAll('input[type="radio"], input[type="checkbox"]')].map(
        (i) => i.closest('label') ?? i,
      ),
    ]
      .filter((el) => (el as HTMLElement).offsetParent !== null) // shown
      .map((el) => [el.textContent?.trim().slice(0, 30), el.getBoundingClientRect().height]),
  );
  const small = heights.filter(([, height]) => (height as number) < 44);
  assert.deepEqual(small, [], `${url}: targets under 44 px`);
  return heights.length;
}

describe('pages reached by a form, on a phone', () => {
  for (const javaScriptEnabled of [false, true]) {
    test(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}: the receipt page, a receipt checked, the erase confirmation and the staff sign-in page scroll not sideways at 320 and 390 px, with 44 px targets`, async () => {
      const context = await browser.newContext({
        javaScriptEnabled,
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      await page.goto(`${registry.url}/en/declare`);
      await page.getByLabel('Name', { exact: true }).fill('Lin');
      await page.getByRole('radio', { name: 'an alias' }).check();
      await page.getByRole('checkbox', { name: 'Young Pioneers' }).check();
      // A statement to publish: the erase page then asks before removing it (with its buttons).
      await page.getByLabel(en['declare.statement']).fill('I leave the Young Pioneers.');
      await page.getByRole('checkbox', { name: en['form.publishPerson'] }).check();
      if (!javaScriptEnabled) await page.waitForTimeout(1100); // the ticket's second
      await page.getByRole('button', { name: 'Declare', exact: true }).click();
      await page.getByRole('heading', { name: en['receipt.headOne'] }).waitFor();
      const receipt = await page.locator('textarea.receipt-text').inputValue();
      const mode = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;
      const measure = async (what: string) => {
        await page.locator('main').waitFor();
        for (const w of [390, 320, 390]) {
          await page.setViewportSize({ width: w, height: w === 320 ? 640 : 844 });
          const measured = await fitsPhone(page, `${what} (${mode})`, w);
          assert.ok(w !== 390 || measured > 0, `${what}: a button or control measured`);
        }
      };
      await measure('the receipt page');
      // A receipt checked, and the page that asks before removing its name and statement.
      await page.goto(`${registry.url}/en/receipt`);
      await page.locator('#receipt-input').fill(receipt);
      await page.getByRole('button', { name: en['receipt.checkButton'] }).click();
      // Without JavaScript the server answers; with it, the page checks in place.
      await (javaScriptEnabled
        ? page.waitForFunction(
            () => (document.getElementById('receipt-input-check')?.textContent ?? '').trim() !== '',
          )
        : page.locator('#check-answer').waitFor());
      await measure('a receipt checked');
      await page.goto(`${registry.url}/en/erase`);
      await page.locator('#erase-receipt').fill(receipt);
      await page.getByRole('button', { name: en['erase.next'] }).click();
      await page.locator('#erase-receipt').waitFor({ state: 'detached' });
      await measure('the erase confirmation');
      await page.goto(`${registry.url}/staff/`);
      await measure('the staff sign-in page');
      assert.ok(
        (await page.locator('input[type="password"]').count()) > 0,
        'the staff page is the sign-in form',
      );
      await context.close();
    });
  }
});

describe('every page in every language', () => {
  const paths = PUBLIC_PAGES;
  for (const locale of LOCALES) {
    test(`${locale}: 200, no console errors, no axe-core violations, nothing wider than a phone, chart text of 12 px or more, screenshots`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
      });
      for (const path of paths) {
        const url = `${registry.url}/${PREFIX[locale]}${path}`;
        const res = await page.goto(url);
        assert.equal(res?.status(), 200, url);
        assert.equal(await page.locator('html').getAttribute('lang'), locale);
        assert.deepEqual(await axeViolations(page), [], `${url}: axe-core violations`);
        for (const [w, h] of [
          [320, 640],
          [390, 844],
          [1280, 800],
        ] as const) {
          await page.setViewportSize({ width: w, height: h });
          await fitsPhone(page, url, w);
          // Chart text as drawn: the font size times the scale of the SVG on the screen.
          const sizes = await page.evaluate(() =>
            [...document.querySelectorAll('svg.chart text')].map(
              (el) =>
                Number.parseFloat(getComputedStyle(el).fontSize) *
                ((el as SVGGraphicsElement).getScreenCTM()?.a ?? 0),
            ),
          );
          // (At 320 px, the narrowest phones, the chart may scale a little under that.)
          const small = sizes.filter((px) => px < (w === 320 ? 10.5 : 12));
          assert.deepEqual(small, [], `${url} at ${w} px: chart text too small`);
          // And all of it inside its chart: no legend or label cut off at the edge.
          const outside = await page.evaluate(() =>
            [...document.querySelectorAll('svg.chart')].flatMap((svg) => {
              const width = (svg as SVGSVGElement).viewBox.baseVal.width;
              return [...svg.querySelectorAll('text')]
                .filter((el) => {
                  const box = (el as SVGGraphicsElement).getBBox();
                  return box.x < -2 || box.x + box.width > width + 2; // glyphs overhang a little
                })
                .map((el) => el.textContent);
            }),
          );
          assert.deepEqual(outside, [], `${url}: chart text cut off`);
          await page.screenshot({
            path: join(
              shots,
              `${PREFIX[locale]}${path === '/' ? '-home' : path.replaceAll('/', '-')}-${w}.png`,
            ),
            fullPage: true,
          });
        }
      }
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
