// The pages over HTTP without a browser: headers, weight, and what a visitor without cookies gets.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readConfig } from '../config/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';

let registry: Registry;
before(async () => {
  registry = await startRegistry(
    readConfig({
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-pages-')),
      TUIDANG_ORIGIN: 'pages.example/log',
    }),
  );
});
after(() => registry.close());

test('/ sends a first-time visitor to their language', async () => {
  const res = await fetch(`${registry.url}/`, {
    redirect: 'manual',
    headers: { 'accept-language': 'zh-TW' },
  });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/zh-hant/');
  assert.equal(res.headers.get('vary'), 'Accept-Language');
});

test('pages: strict CSP, no referrer, no cookies, nothing from elsewhere', async () => {
  for (const path of ['/en/', '/zh-hans/declare', '/zh-hant/stats', '/en/statements']) {
    const res = await fetch(`${registry.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(
      res.headers.get('content-security-policy') ?? '',
      /^default-src 'self';.*frame-ancestors 'none'/,
    );
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('set-cookie'), null);
    const body = await res.text();
    // The one link to elsewhere is "exit this page" (a navigation, loading nothing).
    const loads = body.replace(/<a class="exit-page-link" href="https:[^"]*"/g, '');
    assert.doesNotMatch(
      loads,
      /(src|href)="(https?:)?\/\//,
      `${path} loads nothing from elsewhere`,
    );
    assert.doesNotMatch(body, /<script>|style="/, `${path} has no inline script or style`);
  }
});

test('the home page weighs under 50 KB with its stylesheet and script', async () => {
  let bytes = 0;
  for (const path of ['/en/', '/static/site.css', '/static/live.js']) {
    const body = Buffer.from(await (await fetch(`${registry.url}${path}`)).arrayBuffer());
    bytes += gzipSync(body).length;
  }
  assert.ok(bytes < 50 * 1024, `${bytes} bytes compressed`);
});

test("unknown pages are an HTML 404 in the visitor's language; the API keeps problem documents", async () => {
  const page = await fetch(`${registry.url}/zh-hans/nope`);
  assert.equal(page.status, 404);
  assert.match(await page.text(), /找不到页面/);
  const api = await fetch(`${registry.url}/api/v1/nope`);
  assert.equal(api.headers.get('content-type'), 'application/problem+json; charset=utf-8');
});

test('the receipt download returns the posted receipt as a file and keeps nothing', async () => {
  const res = await fetch(`${registry.url}/en/declare`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'rows=1&d0.name=Zhao&d0.nameKind=alias&d0.orgs=league&action=declare',
  });
  assert.equal(res.status, 200);
  const json =
    /<textarea id="person-1-text"[^>]*>([^<]*)<\/textarea>/
      .exec(await res.text())?.[1]
      ?.replaceAll('&quot;', '"') ?? '';
  const download = await fetch(`${registry.url}/en/receipt/download`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ receipt: json }).toString(),
  });
  assert.equal(download.status, 200);
  assert.match(
    download.headers.get('content-disposition') ?? '',
    /attachment; filename="receipt-1\.json"/,
  );
  assert.deepEqual(await download.json(), JSON.parse(json));
  const bad = await fetch(`${registry.url}/en/receipt/download`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'receipt=nonsense',
  });
  assert.equal(bad.status, 400);
});
