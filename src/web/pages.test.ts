// The pages over HTTP without a browser: headers, weight, and what a visitor without cookies gets.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readConfig } from '../config/index.ts';
import { MAX_NAME } from '../registry/index.ts';
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

test("an address that is not valid %-encoding: the error page in the address's language; the API keeps problem documents", async () => {
  const page = await fetch(`${registry.url}/zh-hant/declare/%E0%A4%A`);
  assert.equal(page.status, 400);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(page.headers.get('content-security-policy') ?? '', /^default-src 'self'/);
  assert.match(await page.text(), /<html lang="zh-Hant">[\s\S]*出錯了/);
  const api = await fetch(`${registry.url}/api/v1/%E0%A4%A`);
  assert.equal(api.status, 400);
  assert.equal(api.headers.get('content-type'), 'application/problem+json; charset=utf-8');
});

test("the name field takes no more than the server's limit", async () => {
  const body = await (await fetch(`${registry.url}/zh-hans/declare`)).text();
  const field = /<input type="text" id="d0\.name"[^>]*>/.exec(body)?.[0] ?? '';
  assert.match(field, new RegExp(` maxlength="${MAX_NAME}"`));
  const long = new URLSearchParams({
    rows: '1',
    action: 'declare',
    'd0.name': '名'.repeat(MAX_NAME + 1),
    'd0.nameKind': 'alias',
    'd0.orgs': 'party',
  });
  const refused = await fetch(`${registry.url}/zh-hans/declare`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: long.toString(),
  });
  assert.equal(refused.status, 400, 'one character more than the field takes is refused');
});

test("the check page's command names the log's key, as /about's do", async () => {
  const body = await (await fetch(`${registry.url}/en/receipt`)).text();
  const command = /<pre class="commands">([\s\S]*?)<\/pre>/
    .exec(body)?.[1]
    ?.replace(/<[^>]+>/g, '');
  assert.match(
    command ?? '',
    new RegExp(`--vkey ${registry.vkey.replace(/[+/]/g, '\\$&')} --receipt`),
  );
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

// What a reader sees of regions, in the order of their language: the mainland by pinyin
// (Simplified), by stroke count (Traditional, as lists in Taiwan go) or by the alphabet (English);
// Taiwan, Hong Kong and Macau in a group of their own; overseas last.
const MAINLAND = {
  'zh-hans':
    '安徽 北京 重庆 福建 甘肃 广东 广西 贵州 海南 河北 河南 黑龙江 湖北 湖南 吉林 江苏 江西 辽宁 内蒙古 宁夏 青海 山东 山西 陕西 上海 四川 天津 西藏 新疆 云南 浙江',
  'zh-hant':
    '上海 山西 山東 內蒙古 天津 北京 四川 甘肅 吉林 安徽 江西 江蘇 西藏 河北 河南 青海 重慶 浙江 海南 陝西 湖北 湖南 貴州 雲南 黑龍江 新疆 寧夏 福建 廣西 廣東 遼寧',
  en: 'Anhui Beijing Chongqing Fujian Gansu Guangdong Guangxi Guizhou Hainan Hebei Heilongjiang Henan Hubei Hunan Inner_Mongolia Jiangsu Jiangxi Jilin Liaoning Ningxia Qinghai Shaanxi Shandong Shanghai Shanxi Sichuan Tianjin Tibet Xinjiang Yunnan Zhejiang',
} as const;
const APART = {
  'zh-hans': ['台湾', '香港', '澳门'],
  'zh-hant': ['臺灣', '香港', '澳門'],
  en: ['Taiwan', 'Hong Kong', 'Macau'],
} as const;
const OVERSEAS = {
  'zh-hans': '海外／其他',
  'zh-hant': '海外／其他',
  en: 'Overseas / other',
} as const;
const mainland = (lang: keyof typeof MAINLAND) =>
  MAINLAND[lang].split(' ').map((n) => n.replace('_', ' '));
const texts = (markup: string, re: RegExp) => [...markup.matchAll(re)].map((m) => m[1] ?? '');

test('the region list: the mainland in the order of each language, Taiwan, Hong Kong and Macau apart, overseas last', async () => {
  assert.deepEqual(
    mainland('en'),
    [...mainland('en')].sort((a, b) => (a < b ? -1 : 1)),
    'English: the alphabet',
  );
  for (const lang of ['zh-hans', 'zh-hant', 'en'] as const) {
    const body = await (await fetch(`${registry.url}/${lang}/declare`)).text();
    const select = /<select id="d0\.region"[^>]*>([\s\S]*?)<\/select>/.exec(body)?.[1] ?? '';
    const groups = texts(select, /<optgroup label="[^"]*">([\s\S]*?)<\/optgroup>/g);
    const names = (s: string) => texts(s, /<option value="[^"]*">([^<]*)<\/option>/g);
    assert.equal(groups.length, 2, lang);
    assert.deepEqual(names(groups[0] ?? ''), mainland(lang), `${lang}: the mainland`);
    assert.deepEqual(names(groups[1] ?? ''), APART[lang], `${lang}: Taiwan, Hong Kong, Macau`);
    assert.equal(names(select).at(-1), OVERSEAS[lang], `${lang}: overseas last`);
    assert.doesNotMatch(select, />CN-/, 'no code is shown');
  }
});

test('the statistics list regions in the same order as the form', async () => {
  const people = ['CN-TW', 'CN-ZJ', 'ZZ', 'CN-AH', 'CN-SH', 'CN-HK'];
  const form = new URLSearchParams({ rows: String(people.length), action: 'declare' });
  people.forEach((region, i) => {
    form.set(`d${i}.name`, `Region ${i}`);
    form.set(`d${i}.nameKind`, 'alias');
    form.set(`d${i}.orgs`, 'party');
    form.set(`d${i}.region`, region);
  });
  const res = await fetch(`${registry.url}/en/declare`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  assert.equal(res.status, 200);
  const expected = {
    'zh-hans': ['安徽', '上海', '浙江', '台湾', '香港', '海外／其他'],
    'zh-hant': ['上海', '安徽', '浙江', '臺灣', '香港', '海外／其他'],
    en: ['Anhui', 'Shanghai', 'Zhejiang', 'Taiwan', 'Hong Kong', 'Overseas / other'],
  };
  for (const lang of ['zh-hans', 'zh-hant', 'en'] as const) {
    const body = await (await fetch(`${registry.url}/${lang}/stats`)).text();
    const regions = texts(
      body,
      /<th scope="row">([^<]*)<\/th><td class="num" data-figure="registered\.regions\./g,
    );
    // The region table's rows, without the "not given" of the earlier declarations.
    assert.deepEqual(regions.slice(0, expected[lang].length), expected[lang], lang);
  }
});

test('the statements page says none are published yet, and "none match" only when filtered', async () => {
  const all = await (await fetch(`${registry.url}/en/statements`)).text();
  assert.match(all, /No statements have been published yet\./);
  const some = await (await fetch(`${registry.url}/en/statements?q=nothing`)).text();
  assert.match(some, /No statements match\./);
});
