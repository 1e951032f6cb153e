// An origin per deployment: named after the public address, shown on /about, in every checkpoint
// and receipt, and never changed under an existing log.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkLogOrigin, originOfUrl, readConfig } from '../config/index.ts';
import { generateKey } from '../log/index.ts';
import { startRegistry } from './start.ts';

test('the origin: TUIDANG_ORIGIN, else the public address without its scheme, else the local one', () => {
  const table: Array<[string, string]> = [
    ['https://registry.example', 'registry.example'],
    ['https://Registry.Example/', 'registry.example'],
    ['https://example.org/tuidang/', 'example.org/tuidang'],
    ['https://example.org:443/a/b', 'example.org/a/b'],
    ['http://localhost:8080', 'localhost:8080'],
    [
      'http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion',
      'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion',
    ],
  ];
  for (const [url, origin] of table) {
    assert.equal(originOfUrl(url), origin, url);
    const config = readConfig({ TUIDANG_PUBLIC_URL: url });
    assert.equal(config.origin, origin, url);
    assert.equal(config.originSource, 'TUIDANG_PUBLIC_URL');
  }
  const explicit = readConfig({
    TUIDANG_PUBLIC_URL: 'https://registry.example',
    TUIDANG_ORIGIN: 'registry.example/log',
  });
  assert.equal(explicit.origin, 'registry.example/log');
  assert.equal(explicit.originSource, 'TUIDANG_ORIGIN');
  assert.equal(readConfig({}).origin, 'localhost/tuidang', 'npm start with no settings');
  assert.equal(readConfig({}).originSource, 'default');
});

test('a stored log under another origin is refused, with the setting that keeps it', () => {
  const checkpoint = 'localhost/tuidang\n0\nAAAA\n\n— localhost/tuidang abcd\n';
  checkLogOrigin(undefined, 'registry.example', 'TUIDANG_PUBLIC_URL');
  checkLogOrigin(checkpoint, 'localhost/tuidang', 'default');
  assert.throws(
    () => checkLogOrigin(checkpoint, 'registry.example', 'TUIDANG_PUBLIC_URL'),
    /this log's origin is "localhost\/tuidang".*TUIDANG_PUBLIC_URL makes it "registry\.example".*Set TUIDANG_ORIGIN=localhost\/tuidang/,
  );
});

const base = (dir: string) => ({
  TUIDANG_POW: 'off',
  TUIDANG_PUBLISH_INTERVAL: '0',
  PORT: '0',
  DATA_DIR: dir,
});

async function declare(url: string): Promise<{ receipts: Array<{ checkpoint: string }> }> {
  const res = await fetch(`${url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'en',
      declarants: [{ name: 'Person A', nameKind: 'alias', orgs: ['party'] }],
    }),
  });
  assert.equal(res.status, 201);
  return (await res.json()) as { receipts: Array<{ checkpoint: string }> };
}

test('a deployment with TUIDANG_PUBLIC_URL: its host names the checkpoints, receipts and /about', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-origin-'));
  const registry = await startRegistry(
    readConfig({ ...base(dir), TUIDANG_PUBLIC_URL: 'https://registry.example' }),
  );
  try {
    assert.match(registry.vkey, /^registry\.example\+/);
    const { receipts } = await declare(registry.url);
    assert.match(receipts[0]?.checkpoint ?? '', /^registry\.example\n/);
    const checkpoint = await (await fetch(`${registry.url}/log/checkpoint`)).text();
    assert.match(checkpoint, /^registry\.example\n1\n/);
    const about = await (await fetch(`${registry.url}/en/about`)).text();
    assert.match(about, /<code id="origin">registry\.example<\/code>/);
    assert.ok(!about.includes('id="local-origin"'));
  } finally {
    await registry.close();
  }
});

test('an existing local log keeps its origin: a new public URL is refused until TUIDANG_ORIGIN says which', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-origin-'));
  const local = await startRegistry(readConfig(base(dir)));
  await declare(local.url);
  const about = await (await fetch(`${local.url}/en/about`)).text();
  assert.match(about, /id="local-origin"/, 'the local origin is said on /about');
  await local.close();
  const publicUrl = { ...base(dir), TUIDANG_PUBLIC_URL: 'https://registry.example' };
  // The key in the data directory names the old origin: refused with the setting to use.
  await assert.rejects(
    startRegistry(readConfig(publicUrl)),
    /signing key is for origin "localhost\/tuidang", but TUIDANG_PUBLIC_URL makes it "registry\.example".*Set TUIDANG_ORIGIN=localhost\/tuidang/,
  );
  // A key given for the new origin does not rename the log either: the store's checkpoints say.
  await assert.rejects(
    startRegistry(
      readConfig({ ...publicUrl, TUIDANG_SIGNER_KEY: generateKey('registry.example').skey }),
    ),
    /this log's origin is "localhost\/tuidang".*Set TUIDANG_ORIGIN=localhost\/tuidang/,
  );
  const kept = await startRegistry(
    readConfig({ ...publicUrl, TUIDANG_ORIGIN: 'localhost/tuidang' }),
  );
  try {
    const checkpoint = await (await fetch(`${kept.url}/log/checkpoint`)).text();
    assert.match(checkpoint, /^localhost\/tuidang\n1\n/, 'the same log, under its own origin');
  } finally {
    await kept.close();
  }
});
