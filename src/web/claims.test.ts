// What the pages claim, checked against the deployment that serves them: the total and what it
// counts, the witnesses and what a seized server holds (from the configuration), the commands to
// check the count (with the configured address, never a package nobody published), the verifier's
// checksum (reproducible from the source), and Chinese pages in Chinese.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import escapeHtml from 'escape-html';
import { importHistory } from '../../test/history.ts';
import { PUBLIC_PAGES } from '../../test/pages.ts';
import { readConfig } from '../config/index.ts';
import { COSIGNATURE_V1, generateKey, signerFromKey, verifierFromKey } from '../log/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';
import { buildWitnessApp, WitnessState } from '../witness/index.ts';
import { bundleVerifier, VERIFIER_PATH } from './bundle.ts';
import { floodCost } from './flood-cost.ts';
import { catalogs, i18n, LOCALES, PREFIX } from './i18n.ts';

const get = async (url: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return res.text();
};
/**
 * The text a reader of the page sees, without code (commands, keys, addresses) and without the
 * language switcher's link to English, which names English in English (lang="en").
 */
const visibleText = (page: string) =>
  (/<body>([\s\S]*)<\/body>/.exec(page)?.[1] ?? '')
    .replace(/<a [^>]*lang="en"[^>]*>[^<]*<\/a>/g, ' ')
    .replace(/<(pre|code|script|style)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');

const declare = (url: string, n: number) =>
  fetch(`${url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'zh-Hans',
      declarants: Array.from({ length: n }, (_, i) => ({
        name: `张${i}`,
        nameKind: 'alias',
        orgs: ['league'],
      })),
    }),
  });

describe('a registry with imported history and declarations made here', () => {
  let registry: Registry;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuidang-claims-'));
    const env = {
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      TUIDANG_ORIGIN: 'claims.example/log',
      TUIDANG_PUBLIC_URL: 'https://claims.example',
      TUIDANG_STATEMENT_CROWD: '1', // the crowd rule has a test of its own
    };
    await importHistory(env, 1000);
    registry = await startRegistry(readConfig(env));
    assert.equal((await declare(registry.url, 5)).status, 201);
  });
  after(() => registry?.close());

  test('one headline: the exact total, what it counts, imported history and declarations here apart', async () => {
    for (const locale of LOCALES) {
      const t = i18n(locale);
      for (const path of ['/', '/stats']) {
        const page = await get(`${registry.url}/${PREFIX[locale]}${path}`);
        const headline = /<p class="total">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '';
        assert.equal(
          headline.replace(/<[^>]+>/g, ''),
          t.m['home.total'](1005, t.number(1005)),
          `${locale} ${path}: the sentence carries the exact total`,
        );
        assert.match(page, /id="total-approx"[^>]* hidden><\/p>/, 'no short form under 10,000');
        assert.match(page, /id="total-registered"[^>]*>5</);
        assert.match(page, new RegExp(`id="total-imported"[^>]*>${t.number(1000)}<`));
        assert.ok(page.includes(t.m['stats.imported']) && page.includes(t.m['stats.registered']));
      }
      const figures = await get(`${registry.url}/${PREFIX[locale]}/figures`);
      assert.ok(
        figures.includes(
          `${t.m['stats.registered']} 5 · ${t.m['stats.imported']} ${t.number(1000)}`,
        ),
      );
      assert.doesNotMatch(figures, /见参考文章|見參考文章|原退党|原退黨/);
    }
    const en = await get(`${registry.url}/en/`);
    assert.match(
      en,
      /<strong id="total" data-total="1005" data-figure="total" data-tree-size="1005">1,005<\/strong> people have declared/,
    );
  });

  test('latest statements: newest month first, whatever the approval order; the feed is dated by approval', async () => {
    const res = await fetch(`${registry.url}/api/v1/declarations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        language: 'zh-Hans',
        declarants: [
          {
            name: '新来的',
            nameKind: 'alias',
            orgs: ['party'],
            statement: '今天声明三退。',
            publish: true,
          },
        ],
      }),
    });
    assert.equal(res.status, 201);
    const pending = await registry.store.site.publications({ status: 'pending', limit: 10 });
    const byName = (name: string) => pending.find((p) => p.name === name)?.index ?? -1;
    // Imported history (declared in 2005 and 2013) and today's declaration, approved in an order
    // of their own: the lists go by the month of declaration (an approval order could follow the
    // entries' order), and the feed's dates are the approvals'.
    assert.ok(
      await registry.store.site.moderate(byName('历史0'), { status: 'approved' }, 1_000_000_000),
    );
    assert.ok(
      await registry.store.site.moderate(byName('新来的'), { status: 'approved' }, 1_700_000_000),
    );
    assert.ok(
      await registry.store.site.moderate(byName('历史500'), { status: 'approved' }, 1_800_000_000),
    );
    for (const locale of LOCALES) {
      const home = await get(`${registry.url}/${PREFIX[locale]}/`);
      const latest = [...home.matchAll(/<footer>([^<·]*)/g)].map((m) => m[1]?.trim());
      const alias = catalogs[locale]['statements.byAlias'];
      assert.deepEqual(
        latest.slice(0, 3),
        [alias('新来的'), alias('历史500'), alias('历史0')],
        locale,
      );
      const feed = await get(`${registry.url}/${PREFIX[locale]}/statements/feed.xml`);
      assert.match(feed, /<feed[^>]*>\s*<id>https:\/\/claims\.example\//);
      assert.equal(/<updated>([^<]*)<\/updated>/.exec(feed)?.[1], '2027-01-15T00:00:00Z');
      const entries = [...feed.matchAll(/<title>([^<]*)<\/title>\s*<updated>([^<]*)</g)].map(
        (m) => [m[1], m[2]],
      );
      assert.deepEqual(entries.slice(1), [
        ['新来的', '2023-11-14T00:00:00Z'],
        ['历史500', '2027-01-15T00:00:00Z'],
        ['历史0', '2001-09-09T00:00:00Z'],
      ]);
    }
  });

  test('the charts cover imported history and declarations made here, told apart', async () => {
    for (const locale of LOCALES) {
      const m = catalogs[locale];
      const page = await get(`${registry.url}/${PREFIX[locale]}/`);
      const svg = /<svg class="chart"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
      assert.match(svg, /class="bar history"/);
      assert.match(svg, /class="bar here"/);
      assert.ok(svg.includes(`>${m['stats.imported']}</text>`), 'the legend names both');
      assert.ok(svg.includes(`>${m['stats.registered']}</text>`));
    }
  });

  test('the commands shown use the configured address and the verifier this registry serves', async () => {
    for (const locale of LOCALES) {
      for (const path of ['/', '/about']) {
        const page = await get(`${registry.url}/${PREFIX[locale]}${path}`);
        const code = (/<pre class="commands"><code>([\s\S]*?)<\/code>/.exec(page)?.[1] ?? '')
          .replace(/<[^>]+>/g, '')
          .split('\n');
        assert.deepEqual(code.slice(0, 2), [
          'curl -fO https://claims.example/log/tuidang-verify.mjs',
          `node tuidang-verify.mjs --vkey ${registry.vkey} https://claims.example`,
        ]);
        assert.doesNotMatch(page, /npx tuidang|localhost/);
      }
      // No page points to a package of that name: it is not published, anyone could take it.
      for (const path of PUBLIC_PAGES)
        assert.doesNotMatch(await get(`${registry.url}/${PREFIX[locale]}${path}`), /npx /);
    }
  });

  test('/about prints the SHA-256 of the verifier it serves, and the source gives the same bytes twice', async () => {
    const served = Buffer.from(
      await (await fetch(`${registry.url}${VERIFIER_PATH}`)).arrayBuffer(),
    );
    const sha = createHash('sha256').update(served).digest('hex');
    for (const locale of LOCALES) {
      const about = await get(`${registry.url}/${PREFIX[locale]}/about`);
      assert.match(about, new RegExp(`<code class="key" id="verifier-sha256">${sha}</code>`));
    }
    const [a, b] = [await bundleVerifier(), await bundleVerifier()];
    assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes), 'built twice, the same bytes');
    assert.equal(a.sha256, sha);
    const text = served.toString('utf8');
    assert.match(text, /^#!\/usr\/bin\/env node\n/);
    assert.doesNotMatch(text, /\bfrom ["'](?!node:|crypto["'])/, 'imports Node built-ins only');
    assert.doesNotMatch(text, /\/work\/|\/home\/|\/tmp\//, 'no path of the machine that built it');
  });

  test('the Chinese pages are in Chinese: no Latin-script word outside a short list', async () => {
    // Names of things (software, formats, protocols), said as they are in Chinese too.
    const allowed = new Set(['Node', 'js', 'JavaScript', 'Cookie', 'IP', 'CSV', 'Atom', 'SHA']);
    for (const locale of ['zh-Hans', 'zh-Hant'] as const) {
      for (const path of PUBLIC_PAGES) {
        const page = await get(`${registry.url}/${PREFIX[locale]}${path}`);
        const words = [...visibleText(page).matchAll(/[A-Za-z]+/g)]
          .map((w) => w[0])
          // The verifier's file name on its download button.
          .filter((w) => !['tuidang', 'verify', 'mjs'].includes(w));
        const foreign = [...new Set(words.filter((w) => !allowed.has(w)))];
        assert.deepEqual(foreign, [], `${locale}${path}`);
      }
    }
  });
});

describe('/about from the live configuration', () => {
  const running: Array<{ close(): Promise<void> }> = [];
  after(() => Promise.all(running.map((r) => r.close())));

  async function start(extra: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'tuidang-about-'));
    const registry = await startRegistry(
      readConfig({
        TUIDANG_POW: 'off',
        TUIDANG_PUBLISH_INTERVAL: '0',
        PORT: '0',
        DATA_DIR: dir,
        TUIDANG_ORIGIN: 'about.example/log',
        ...extra,
      }),
    );
    running.push(registry);
    return registry;
  }

  test('no witness configured: it says so; no newsletter: no addresses among what the server holds', async () => {
    const registry = await start({});
    for (const locale of LOCALES) {
      const m = catalogs[locale];
      const about = await get(`${registry.url}/${PREFIX[locale]}/about`);
      assert.ok(about.includes(m['about.noWitness']), locale);
      const holds = /<h2 id="seized">[\s\S]*?<\/ul>/.exec(about)?.[0] ?? '';
      assert.ok(!holds.includes(m['about.holds.newsletter']), `${locale}: no newsletter`);
      assert.ok(
        holds.includes(m['about.holds.publications']),
        `${locale}: names of consenting people`,
      );
      // Only the server's own address can be printed when no public address is configured.
      assert.ok(
        about.includes(
          `tuidang-verify.mjs</span> <span>--vkey</span> <span>${registry.vkey}</span> <span>${registry.url}</span>`,
        ),
        'the command names the key and the address',
      );
    }
  });

  test('what a flood costs: the figures follow the proof of work and rate limit configured, and none is claimed when the work is off', async () => {
    const off = await start({});
    const on = await start({
      TUIDANG_POW: 'on',
      TUIDANG_POW_COST: '8',
      TUIDANG_POW_WAIT: '4',
      RATE_LIMIT: '12',
    });
    const f = floodCost(8, 4, 12);
    assert.deepEqual(f.evaluations, [6, 7]);
    for (const locale of LOCALES) {
      const m = catalogs[locale];
      const flood = (page: string) => /<h2 id="flood">[\s\S]*?(?=<\/main>)/.exec(page)?.[0] ?? '';
      const offText = flood(await get(`${off.url}/${PREFIX[locale]}/about`));
      assert.ok(offText.includes(m['about.floodOff']), locale);
      assert.ok(!offText.includes('scrypt'), `${locale}: no work claimed when there is none`);
      const onText = flood(await get(`${on.url}/${PREFIX[locale]}/about`));
      const [fewest, most] = f.evaluations;
      const work = m['about.floodWork'](fewest, most, f.phoneSeconds, ...f.nativePer1000);
      assert.ok(onText.includes(escapeHtml(work)), `${locale}: ${work}`);
      assert.ok(onText.includes(escapeHtml(m['about.floodWait'](4))), locale);
      assert.ok(onText.includes(escapeHtml(m['about.floodLimit'](12))), locale);
    }
  });

  test('witnesses configured: each listed with its key and whether it cosigned the latest checkpoint; a newsletter: its addresses are held', async () => {
    const log = generateKey('about.example/log');
    const witnessKey = generateKey('w.example/witness', COSIGNATURE_V1);
    const witness = await buildWitnessApp({
      signer: signerFromKey(witnessKey.skey),
      logs: new Map([['about.example/log', [verifierFromKey(log.vkey)]]]),
      state: new WitnessState(':memory:'),
    });
    const witnessUrl = await witness.listen({ port: 0, host: '127.0.0.1' });
    running.push(witness);
    // A second witness that never answers: configured, so listed, but it cosigns nothing.
    const silent = generateKey('silent.example/witness', COSIGNATURE_V1);
    const registry = await start({
      TUIDANG_SIGNER_KEY: log.skey,
      TUIDANG_WITNESSES: `${witnessUrl} ${witnessKey.vkey}; http://127.0.0.1:9 ${silent.vkey}`,
      TUIDANG_WITNESS_QUORUM: '1',
      TUIDANG_WITNESS_TIMEOUT: '2000',
      SMTP_URL: 'smtp://127.0.0.1:9',
      TUIDANG_PUBLIC_URL: 'https://about.example', // the newsletter needs it for its links
    });
    assert.equal((await declare(registry.url, 1)).status, 201);
    for (const locale of LOCALES) {
      const m = catalogs[locale];
      const about = await get(`${registry.url}/${PREFIX[locale]}/about`);
      assert.ok(!about.includes(m['about.noWitness']), locale);
      const items = [...about.matchAll(/<ul class="witnesses">([\s\S]*?)<\/ul>/g)][0]?.[1] ?? '';
      assert.ok(items.includes(witnessKey.vkey) && items.includes(silent.vkey));
      const [first, second] = items.split('</li>');
      assert.ok(first?.includes(m['about.witnessCosigned']), `${locale}: the witness cosigned`);
      assert.ok(second?.includes(m['about.witnessMissing']), `${locale}: the silent one did not`);
      const holds = /<h2 id="seized">[\s\S]*?<\/ul>/.exec(about)?.[0] ?? '';
      assert.ok(holds.includes(m['about.holds.newsletter']), `${locale}: subscribers' addresses`);
    }
  });
});
