// A form already declared, sent again (a reload of the receipt page, the back button, a script
// replaying it): the same receipts, from a cache of the page while it is kept, and never more than
// RESENDS_PER_MINUTE a minute per client, so that re-sending costs the server little and is limited
// like everything else.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig } from '../config/index.ts';
import { RESENDS_PER_MINUTE } from './admission.ts';
import { type Registry, startRegistry } from './start.ts';

let registry: Registry;
before(async () => {
  registry = await startRegistry(
    readConfig({
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-resend-')),
      TUIDANG_ORIGIN: 'resend.example/log',
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      // The test speaks for clients behind a proxy: loopback itself is not limited.
      TRUST_PROXY: '1',
    }),
  );
});
after(() => registry?.close());

const treeSize = async () =>
  ((await (await fetch(`${registry.url}/api/v1/stats`)).json()) as { treeSize: number }).treeSize;

async function filledForm(name: string): Promise<string> {
  const html = await (await fetch(`${registry.url}/en/declare`)).text();
  const key = /name="key" value="([^"]*)"/.exec(html)?.[1] ?? '';
  assert.ok(key, 'the form has a submission key');
  return new URLSearchParams({
    rows: '1',
    key,
    'd0.name': name,
    'd0.nameKind': 'alias',
    'd0.orgs': 'party',
    action: 'declare',
  }).toString();
}

const send = (body: string, client: string) =>
  fetch(`${registry.url}/en/declare`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
    body,
  });

test('a form sent again answers the same page without recording anyone, at most RESENDS_PER_MINUTE times a minute', async () => {
  const body = await filledForm('Again');
  const start = await treeSize();
  const first = await send(body, '203.0.113.10');
  assert.equal(first.status, 200);
  const page = await first.text();
  assert.match(page, /class="receipt-code/);
  for (let i = 0; i < RESENDS_PER_MINUTE; i++) {
    const again = await send(body, '203.0.113.10');
    assert.equal(again.status, 200, `re-send ${i + 1}`);
    assert.equal(await again.text(), page, 'the very page first answered');
  }
  const refused = await send(body, '203.0.113.10');
  assert.equal(refused.status, 429, 'one re-send too many');
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
  assert.doesNotMatch(await refused.text(), /class="receipt-code/);
  // Another client is not held back by this one.
  assert.equal((await send(body, '198.51.100.20')).status, 200);
  assert.equal(await treeSize(), start + 1, 'one person recorded, once');
});

test('a re-send the cache cannot answer (the same organisations ticked in another order) reads the stored receipts, and is limited too', async () => {
  const body = `${await filledForm('Elsewhere')}&d0.orgs=league`;
  const start = await treeSize();
  assert.equal((await send(body, '203.0.113.30')).status, 200);
  const codes = new Set<string>();
  // The same declaration in a form that differs: not the page kept.
  const spaced = body
    .replace('d0.orgs=party', 'd0.orgs=pioneers')
    .replace('d0.orgs=league', 'd0.orgs=party')
    .replace('d0.orgs=pioneers', 'd0.orgs=league');
  assert.notEqual(spaced, body);
  for (let i = 0; i < RESENDS_PER_MINUTE; i++) {
    const again = await send(spaced, '203.0.113.30');
    assert.equal(again.status, 200, `re-send ${i + 1}`);
    codes.add(/class="receipt-code[^>]*>([^<]+)</.exec(await again.text())?.[1] ?? '');
  }
  assert.equal(codes.size, 1, 'the same receipt each time');
  assert.equal((await send(spaced, '203.0.113.30')).status, 429);
  assert.equal(await treeSize(), start + 1);
});
