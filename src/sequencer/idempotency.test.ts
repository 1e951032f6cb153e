import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeBase64, ed25519Signer } from '../log/index.ts';
import { parseSubmission } from '../registry/index.ts';
import { MemoryStore, SqliteStore } from '../store/index.ts';
import { IdempotencyKeyError, unseal } from './idempotency.ts';
import { IdempotencyConflictError, Sequencer } from './sequencer.ts';

const signer = ed25519Signer('example.org/log', new Uint8Array(32).fill(4));
const options = { origin: 'example.org/log', signer, delayMs: 0 };
const family = (tag: string) =>
  parseSubmission({
    language: 'en',
    declarants: [0, 1].map((i) => ({ name: `${tag}${i}`, nameKind: 'alias', orgs: ['party'] })),
  });

test('the same key and request: the same receipts, one set of entries', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, options);
  const first = await seq.submit(family('a'), { idempotencyKey: 'k-1' });
  await seq.submit(family('x'));
  const again = await seq.submit(family('a'), { idempotencyKey: 'k-1' });
  assert.equal(JSON.stringify(again), JSON.stringify(first));
  assert.equal((await store.state()).treeSize, 4);
  await seq.close();
});

test('concurrent retries with one key add the entries once', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, options);
  const all = await Promise.all(
    Array.from({ length: 5 }, () => seq.submit(family('b'), { idempotencyKey: 'same' })),
  );
  assert.ok(all.every((r) => JSON.stringify(r) === JSON.stringify(all[0])));
  assert.equal((await store.state()).treeSize, 2);
  await seq.close();
});

test('the same key with another request is a conflict, in flight and afterwards', async () => {
  const seq = await Sequencer.open(new MemoryStore(), options);
  const pending = seq.submit(family('c'), { idempotencyKey: 'k' });
  await assert.rejects(seq.submit(family('d'), { idempotencyKey: 'k' }), IdempotencyConflictError);
  await pending;
  await assert.rejects(seq.submit(family('d'), { idempotencyKey: 'k' }), IdempotencyConflictError);
  await seq.close();
});

test('keys must be 1 to 255 visible ASCII characters', async () => {
  const seq = await Sequencer.open(new MemoryStore(), options);
  for (const bad of ['', 'has space', 'x'.repeat(256), 'ключ']) {
    assert.throws(() => seq.submit(family('e'), { idempotencyKey: bad }), IdempotencyKeyError);
  }
  await seq.close();
});

test('after a restart the receipts come back; the database holds no salt and no key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-idem-'));
  const key = 'f0e1d2c3-key-only-the-client-knows';
  let store = new SqliteStore(dir);
  let seq = await Sequencer.open(store, options);
  const first = await seq.submit(family('f'), { idempotencyKey: key });
  await seq.close();
  await store.close();

  for (const file of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, file));
    for (const r of first)
      assert.equal(
        bytes.indexOf(Buffer.from(decodeBase64(r.salt) as Uint8Array)),
        -1,
        `salt in ${file}`,
      );
    assert.equal(bytes.indexOf(Buffer.from(key)), -1, `key in ${file}`);
  }

  store = new SqliteStore(dir);
  seq = await Sequencer.open(store, options);
  const again = await seq.submit(family('f'), { idempotencyKey: key });
  assert.equal(JSON.stringify(again), JSON.stringify(first));
  assert.equal((await store.state()).treeSize, 2);
  // The sealed record opens only with the key.
  const { keyIdOf } = await import('./idempotency.ts');
  const record = await store.idempotency(keyIdOf(key));
  assert.ok(record);
  assert.throws(() => unseal('another key', record.sealed));
  await seq.close();
  await store.close();
});
