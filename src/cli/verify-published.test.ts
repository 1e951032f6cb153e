// `tuidang verify` against a registry seen through a proxy that changes one published figure:
// the headline total, the tree size, or one figure of a home page. The log itself is untouched,
// so only the comparison of what is published with the recount can catch it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../test/cli.ts';
import { type ServerProcess, startServer } from '../../test/server-process.ts';
import { generateKey } from '../log/index.ts';

const home = mkdtempSync(join(tmpdir(), 'tuidang-published-'));
const env = { XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };
const key = generateKey('published.example/log');
let registry: ServerProcess;
let proxy: Server;
let proxyUrl: string;
/** What the proxy changes in the answers it passes on; nothing by default. */
let lie: (path: string, body: string) => string = (_path, body) => body;

before(async () => {
  registry = await startServer({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-published-data-')),
    TUIDANG_ORIGIN: 'published.example/log',
    TUIDANG_SIGNER_KEY: key.skey,
  });
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${registry.url}/api/v1/declarations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        language: 'en',
        declarants: Array.from({ length: 4 }, (_, j) => ({
          name: `p${i}-${j}`,
          nameKind: 'alias',
          orgs: j % 2 ? ['party'] : ['league'],
          ...(j === 0 ? { region: 'CN-SC' } : {}),
        })),
      }),
    });
    assert.equal(res.status, 201);
  }
  // A real HTTP proxy in front of the registry: it passes every request on, and may rewrite the
  // text of an answer.
  proxy = createServer(async (req, res) => {
    const upstream = await fetch(`${registry.url}${req.url}`);
    const type = upstream.headers.get('content-type') ?? 'application/octet-stream';
    const bytes = Buffer.from(await upstream.arrayBuffer());
    const text = /^text\/|json/.test(type) && !req.url?.startsWith('/log/tile/');
    const body = text ? Buffer.from(lie(req.url ?? '', bytes.toString('utf8'))) : bytes;
    res.writeHead(upstream.status, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
after(async () => {
  proxy?.close();
  await registry?.kill('SIGTERM');
});

const verify = () =>
  runCli(env, 'verify', proxyUrl, '--vkey', key.vkey, '--no-cache', '--no-remember');

test('through an honest proxy every published figure matches the recount', async () => {
  lie = (_path, body) => body;
  const res = await verify();
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /12 entries verified/);
  assert.match(res.stdout, /match the recount exactly/);
});

test('only `total` of /api/v1/stats changed: exit 1, and the figure is named', async () => {
  lie = (path, body) => {
    if (path !== '/api/v1/stats') return body;
    const stats = JSON.parse(body);
    stats.total += 1000;
    return JSON.stringify(stats);
  };
  const res = await verify();
  assert.equal(res.code, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /\/api\/v1\/stats total\s+1012\s+12\n/);
});

test('only `treeSize` of /api/v1/stats changed: exit 1, and the figure is named', async () => {
  lie = (path, body) => {
    if (path !== '/api/v1/stats') return body;
    const stats = JSON.parse(body);
    stats.treeSize += 1;
    return JSON.stringify(stats);
  };
  const res = await verify();
  assert.equal(res.code, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /\/api\/v1\/stats treeSize\s+13\s+12\n/);
});

test('one figure of one home page changed: exit 1, and the page and figure are named', async () => {
  lie = (path, body) =>
    path === '/zh-hant/' ? body.replace(/(data-figure="orgs\.party">)6</, '$17<') : body;
  const res = await verify();
  assert.equal(res.code, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /\/zh-hant\/ orgs\.party\s+7\s+6\n/);
  assert.doesNotMatch(res.stdout, /\/en\//);
});

test('a figure dropped from a statistics page, or a row of stats.csv changed: exit 1', async () => {
  lie = (path, body) => {
    if (path === '/en/stats') return body.replace('data-figure="imported.channels.web"', '');
    if (path === '/zh-hans/stats.csv')
      return body.replace('region,CN-SC,3,0,3', 'region,CN-SC,4,0,4');
    return body;
  };
  const res = await verify();
  assert.equal(res.code, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /\/en\/stats imported\.channels\.web\s+\(missing\)\s+0\n/);
  assert.match(res.stdout, /\/zh-hans\/stats\.csv region,CN-SC\s+4,0,4\s+3,0,3\n/);
});
