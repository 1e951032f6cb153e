// Who the client is and who the deployment is: a reverse proxy that TRUST_PROXY does not declare
// opens no door, an https site gets HSTS and Secure cookies whatever its proxy sends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countingSequencer } from '../../test/sequencer.ts';
import type { Declarations } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import { catalogs } from '../web/i18n.ts';
import { type AppOptions, buildApp } from './app.ts';
import { createLogger } from './logger.ts';

const logged: string[] = [];
const logger = createLogger({ write: (line: string) => logged.push(line) });

const counting = countingSequencer;

const app = (sequencer: Declarations, extra: Partial<AppOptions> = {}) =>
  buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'example.org/log+00000000+AQ==',
    logger,
    ...extra,
  });

const one = JSON.stringify({
  language: 'en',
  declarants: [{ name: 'Person A', nameKind: 'alias', orgs: ['party'] }],
});

test('a proxy that TRUST_PROXY does not declare: 200 clients from loopback share one budget, said loudly', async () => {
  logged.length = 0;
  const { sequencer, declared } = counting();
  // One declarant a minute refills nothing meanwhile; a family of 50 may still declare at once.
  const a = await app(sequencer, { rateLimit: 1 });
  const statuses: number[] = [];
  for (const [i, header] of Array.from({ length: 200 }, (_, i) => i).entries()) {
    const forwarding = [
      { 'x-forwarded-for': `198.51.100.${header % 250}` },
      { forwarded: `for=203.0.113.${header % 250}` },
      { 'x-real-ip': `192.0.2.${header % 250}` },
    ][i % 3];
    const res = await a.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: { 'content-type': 'application/json', ...forwarding },
      payload: one,
      remoteAddress: '127.0.0.1',
    });
    statuses.push(res.statusCode);
  }
  assert.equal(statuses.filter((s) => s === 201).length, 50, 'one burst for all of them');
  assert.equal(statuses.filter((s) => s === 429).length, 150);
  assert.equal(declared.length, 50);
  const warnings = logged.filter((l) => l.includes('TRUST_PROXY is not set'));
  assert.equal(warnings.length, 1, 'warned once');
  assert.equal(JSON.parse(warnings[0] as string).level, 40, 'at warn level');
  assert.ok(!logged.some((l) => /198\.51\.100|203\.0\.113|192\.0\.2/.test(l)), 'no address logged');
  // The machine itself (no forwarding header) is still not limited: local tests, benchmarks.
  const local = await a.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers: { 'content-type': 'application/json' },
    payload: one,
    remoteAddress: '127.0.0.1',
  });
  assert.equal(local.statusCode, 201);
  // The about page tells the operator, in every language.
  for (const [prefix, locale] of [
    ['en', 'en'],
    ['zh-hans', 'zh-Hans'],
    ['zh-hant', 'zh-Hant'],
  ] as const) {
    const about = await a.inject({ url: `/${prefix}/about` });
    assert.ok(about.body.includes(catalogs[locale]['about.undeclaredProxy']), locale);
    assert.ok(about.body.includes(catalogs[locale]['about.localOrigin']), locale);
    // The settings are named in <code>: the Chinese notices themselves are all Chinese.
    const section = /<h2 id="deployment">[\s\S]*?(?=<\/main>)/.exec(about.body)?.[0] ?? '';
    assert.match(section, /<code>TRUST_PROXY<\/code>/);
    if (locale !== 'en')
      assert.doesNotMatch(
        section.replace(/<code\b[\s\S]*?<\/code>|<[^>]+>/g, ' '),
        /[A-Za-z]/,
        locale,
      );
  }
});

test('without forwarding headers nothing is said on /about; with TRUST_PROXY each client has its own budget', async () => {
  const quiet = await app(counting().sequencer);
  const about = await quiet.inject({ url: '/en/about' });
  assert.ok(!about.body.includes(catalogs.en['about.undeclaredProxy']));
  const { sequencer, declared } = counting();
  const a = await app(sequencer, { trustProxy: 1, rateLimit: 1 });
  for (let i = 0; i < 200; i++)
    await a.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
      payload: one,
      remoteAddress: '127.0.0.1',
    });
  assert.equal(declared.length, 200, 'the proxy is declared: one client each');
});

test('an https public URL: HSTS on every answer and a Secure staff cookie, with or without X-Forwarded-Proto', async () => {
  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    [res.headers['set-cookie'] ?? []].flat().join('\n');
  const https = await app(counting().sequencer, { publicUrl: 'https://registry.example' });
  for (const url of ['/en/', '/api/v1/stats', '/log/checkpoint', '/nope', '/staff/']) {
    const res = await https.inject({ url });
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000', url);
  }
  const login = await https.inject({ url: '/staff/' });
  assert.match(cookieOf(login), /tuidang_login=[^\n]*; Secure/i);
  // A plain-http site (local use, an onion address) sends neither; a request that a declared
  // proxy says came over https gets both.
  const plain = await app(counting().sequencer, { publicUrl: 'http://abcdef.onion' });
  const res = await plain.inject({ url: '/staff/' });
  assert.equal(res.headers['strict-transport-security'], undefined);
  assert.doesNotMatch(cookieOf(res), /Secure/i);
  const proxied = await app(counting().sequencer, { trustProxy: 1 });
  const viaProxy = await proxied.inject({
    url: '/staff/',
    headers: { 'x-forwarded-proto': 'https' },
    remoteAddress: '127.0.0.1',
  });
  assert.equal(viaProxy.headers['strict-transport-security'], 'max-age=31536000');
  assert.match(cookieOf(viaProxy), /; Secure/i);
  // Without TRUST_PROXY, X-Forwarded-Proto is the client's word: it is not believed.
  const forged = await plain.inject({ url: '/staff/', headers: { 'x-forwarded-proto': 'https' } });
  assert.doesNotMatch(cookieOf(forged), /Secure/i);
});

test('/ with Tor Browser headers offers the languages, Chinese first; a told preference is followed', async () => {
  const a = await app(counting().sequencer);
  const tor = await a.inject({
    url: '/',
    headers: {
      // Tor Browser 14 on any system: the same for everyone, English whatever the reader reads.
      'user-agent': 'Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0',
      'accept-language': 'en-US,en;q=0.5',
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    },
  });
  assert.equal(tor.statusCode, 200);
  assert.equal(tor.headers.location, undefined, 'not sent to English');
  assert.equal(tor.headers.vary, 'Accept-Language');
  const links = [...tor.body.matchAll(/<a href="([^"]+)" hreflang/g)].map((m) => m[1]);
  assert.deepEqual(links, ['/zh-hans/', '/zh-hant/', '/en/']);
  assert.match(tor.body, /<html lang="zh-Hans">/);
  for (const l of ['zh-Hans', 'zh-Hant', 'en'] as const)
    assert.ok(tor.body.includes(catalogs[l]['language.hidden']), l);
  for (const [header, to] of [
    ['en-US,en;q=0.9', '/en/'],
    ['en-GB', '/en/'],
    ['zh-CN,zh;q=0.9', '/zh-hans/'],
    ['zh-TW', '/zh-hant/'],
    [undefined, '/zh-hans/'],
  ] as const) {
    const res = await a.inject({
      url: '/',
      headers: header === undefined ? {} : { 'accept-language': header },
    });
    assert.equal(res.statusCode, 302, String(header));
    assert.equal(res.headers.location, to, String(header));
  }
});
