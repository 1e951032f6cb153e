// One verifier everywhere: every vector of testdata/verifier-vectors.json (Ed25519 signatures and
// signed checkpoints at the edges of docs/log-format.md §Signatures) gets its expected verdict from
// the verifier's code under Node (node:crypto, as `tuidang verify` runs it) and from the same code
// bundled for the browser as the site bundles it, in Chromium (@noble/curves behind
// client/crypto-shim.ts); and the two give the same answers, error messages included.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../test/browser.ts';
import { readSharedJson } from '../../test/shared.ts';
import { runVectors, type Verdicts, type VerifierVectors } from '../../test/verifier-vectors.ts';
import { browserBundle } from './bundle.ts';

const root = new URL('../../', import.meta.url);
const file = new URL('testdata/verifier-vectors.json', root);
const vectors = JSON.parse(readFileSync(file, 'utf8')) as VerifierVectors;
// A checkpoint signed by an independent implementation (Go's sumdb/note), read where it lives.
const go = readSharedJson<{ signed_note: { checkpoint: string; verifier_key: string } }>(
  'tlog-vectors.json',
).signed_note;
const notes = [{ name: 'go-signed', note: go.checkpoint, vkey: go.verifier_key }];

function assertExpected(got: Verdicts, where: string) {
  for (const s of vectors.signatures.vectors)
    assert.equal(got.signatures[s.name], s.verdict, `${where}: signature ${s.name}`);
  for (const c of vectors.checkpoints.vectors)
    assert.equal(
      got.checkpoints[c.name]?.startsWith('valid'),
      c.valid,
      `${where}: checkpoint ${c.name}: ${got.checkpoints[c.name]}`,
    );
  assert.equal(got.notes['go-signed'], 'valid', `${where}: the Go-signed checkpoint`);
}

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the vector file is what scripts/verifier-vectors.ts writes, checked against OpenSSL', () => {
  const written = execFileSync(process.execPath, ['scripts/verifier-vectors.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(written, readFileSync(file, 'utf8'));
});

test('the vectors cover the edges of the rule', () => {
  const names = vectors.signatures.vectors.map((s) => s.name);
  for (const n of ['s-plus-l', 'r-identity-non-canonical-y', 'r-order-8', 'r-mixed-order'])
    assert.ok(names.includes(n), n);
  for (const n of ['a-identity', 'a-order-8', 'a-non-canonical-y', 'a-mixed-order-k1'])
    assert.ok(names.includes(n), n);
  const verdicts = new Set(vectors.signatures.vectors.map((s) => s.verdict));
  assert.deepEqual([...verdicts].sort(), ['invalid', 'key-refused', 'valid']);
});

test('Node (the CLI) and Chromium (the site) give every vector its verdict, and the same answers', async () => {
  const cli = runVectors(vectors, notes);
  assertExpected(cli, 'node');
  const script = await browserBundle(new URL('test/verifier-vectors-browser.ts', root).pathname);
  const page = await browser.newPage();
  try {
    await page.setContent('<!doctype html><title>vectors</title>');
    await page.addScriptTag({ content: script });
    const site = await page.evaluate(
      ([v, n]) => (globalThis as unknown as { runVectors: typeof runVectors }).runVectors(v, n),
      [vectors, notes] as const,
    );
    assertExpected(site, 'chromium');
    assert.deepEqual(site, cli);
  } finally {
    await page.close();
  }
});
