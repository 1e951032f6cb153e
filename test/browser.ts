// Debian's Chromium driven by playwright-core: no browser download, flags for this closed network.
// Playwright gives each launch a fresh, empty profile directory of its own. Here too what every
// browser test does the same way: one browser per test file, a page in a context of its own, the
// staff's sign-in form, axe-core, the page's width, and QR codes read back as pixels.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import jsqr from 'jsqr';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { totpCode } from '../src/server/second-factor.ts';
import { totpKeyOf } from './staff.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * One browser for the tests of a file: `start` (the server under test, say) runs first, then the
 * browser is launched; after the tests the browser is closed, then `stop` runs. Returns a getter
 * for the browser, valid inside the tests.
 */
export function browserForTests(
  start: () => Promise<void> = async () => {},
  stop: () => Promise<void> = async () => {},
): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    await start();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await stop();
  });
  return () => {
    assert.ok(browser, 'the browser is launched before the tests');
    return browser;
  };
}

/** A page in a fresh context of its own (cookies, JavaScript, window); close it with its context. */
export async function newPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<Page> {
  return (await browser.newContext(options)).newPage();
}

/** Signs in on the staff's form at `url` (an account of test/staff.ts's addStaff), and waits. */
export async function signInOnPage(page: Page, url: string, username: string): Promise<void> {
  // Each code is good once: a second sign-in within 30 seconds takes the code of the next step.
  for (const offset of [0, 30_000, -30_000]) {
    await page.goto(`${url}/staff/`);
    await page.fill('#username', username);
    await page.fill('#password', `${username} password 12`);
    await page.fill('#code', totpCode(totpKeyOf(username), Date.now() + offset));
    await page.click('form[action="/staff/login"] button');
    await page.waitForLoadState();
    if ((await page.locator('form[action="/staff/login"]').count()) === 0) return;
  }
  throw new TypeError(`the sign-in of ${username} was refused three times`);
}

/** Fails unless the page is no wider than its window of `width` px. */
export async function assertFits(page: Page, width: number, what: string): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `${what} is ${scrollWidth} px wide in a ${width} px window`);
}

const axeSource = readFileSync(
  new URL('../node_modules/axe-core/axe.min.js', import.meta.url),
  'utf8',
);

/** axe-core's violations on the page as it is, as `id (number of nodes)`. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run(): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> };
      }
    ).axe.run();
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}

// jsqr is CommonJS: Node hands over module.exports, whose `default` is the function as well.
const jsQR = jsqr.default;

/**
 * What a QR code in SVG says, read as an app would: drawn to `size` × `size` pixels in a page of
 * its own, then decoded by jsQR. Undefined if it cannot be read.
 */
export async function readQr(
  browser: Browser,
  svg: string,
  size = 600,
): Promise<string | undefined> {
  const canvas = await newPage(browser);
  try {
    await canvas.setContent(`<body style="margin:0">${svg}</body>`);
    // Pixels come back as base64 (a plain array of a million numbers is slow to pass over).
    const image = await canvas.evaluate(
      async ([markup, px]) => {
        const img = new Image();
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = c.height = px;
        const g = c.getContext('2d') as CanvasRenderingContext2D;
        g.imageSmoothingEnabled = false;
        g.drawImage(img, 0, 0, px, px);
        const data = g.getImageData(0, 0, px, px).data;
        let binary = '';
        for (let at = 0; at < data.length; at += 0x8000)
          binary += String.fromCharCode(...data.subarray(at, at + 0x8000));
        return btoa(binary);
      },
      [svg, size] as const,
    );
    return jsQR(new Uint8ClampedArray(Buffer.from(image, 'base64')), size, size)?.data;
  } finally {
    await canvas.context().close();
  }
}
