import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeBase64, ed25519Signer } from '../log/index.ts';
import { parseSubmission } from '../registry/index.ts';
import { MemoryStore, SqliteStore } from '../store/index.ts';
import { IdempotencyConflictError } from './declarations.ts';
import {
  IdempotencyKeyError,
  idempotencyExpiry,
  keyIdOf,
  requestHashOf,
  unseal,
} from './idempotency.ts';
import { Sequencer } from './sequencer.ts';

const signer = ed25519Signer('example.org/log', new Uint8Array(32).fill(4));
const options = { origin: 'example.org/log', signer, delayMs: 0 };
const family = (tag: string) =>
  parseSubmission({
    language: 'en',
    declarants: [0, 1].map((i) => ({ name: `${tag}${i}`, nameKind: 'alias', orgs: ['party'] })),
  });
const newKey = () => randomBytes(16).toString('hex');

test('the same key and request: the same receipts, one set of entries', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, options);
  const key = newKey();
  const first = await seq.submit(family('a'), { idempotencyKey: key });
  assert.equal(
    JSON.stringify(await seq.submit(family('a'), { idempotencyKey: key })),
    JSON.stringify(first),
  );
  await seq.submit(family('x'));
  // The commit's own checkpoint is gone once another commit replaced it (the store keeps no
  // commit between publications): the same entries and salts, proved in the first checkpoint kept.
  const again = await seq.submit(family('a'), { idempotencyKey: key });
  const core = (rs: typeof first) => rs.map((r) => [r.index, r.entry, r.salt]);
  assert.deepEqual(core(again), core(first));
  assert.deepEqual(
    again.map((r) => r.treeSize),
    [4, 4],
  );
  assert.equal((await store.state()).treeSize, 4);
  await seq.close();
});

test('concurrent retries with one key add the entries once', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, options);
  const key = newKey();
  const all = await Promise.all(
    Array.from({ length: 5 }, () => seq.submit(family('b'), { idempotencyKey: key })),
  );
  assert.ok(all.every((r) => JSON.stringify(r) === JSON.stringify(all[0])));
  assert.equal((await store.state()).treeSize, 2);
  await seq.close();
});

test('the same key with another request is a conflict, in flight and afterwards', async () => {
  const seq = await Sequencer.open(new MemoryStore(), options);
  const key = newKey();
  const pending = seq.submit(family('c'), { idempotencyKey: key });
  await assert.rejects(seq.submit(family('d'), { idempotencyKey: key }), IdempotencyConflictError);
  await pending;
  await assert.rejects(seq.submit(family('d'), { idempotencyKey: key }), IdempotencyConflictError);
  await seq.close();
});

test('keys must be visible ASCII and unguessable: at least 128 bits', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, options);
  const guessable = [
    '1',
    'k-1',
    'same',
    '12345678901234567890123456789012345678', // 38 digits: 126 bits at most
    'a'.repeat(64),
    'abababababababababababababababab',
    'b6f7c1d2-retry',
    '0123456789abcdef0123456789abcde', // 31 hex digits
    randomBytes(16).toString('base64url').slice(0, 21), // 126 bits
  ];
  for (const bad of ['', 'has space', 'x'.repeat(256), 'ключ', ...guessable]) {
    assert.throws(
      () => seq.submit(family('e'), { idempotencyKey: bad }),
      (e: unknown) => e instanceof IdempotencyKeyError && /128 bits|ASCII/.test(e.message),
      bad,
    );
  }
  assert.equal((await store.state()).treeSize, 0, 'nothing logged');
  for (const good of [
    randomUUID(),
    randomBytes(16).toString('hex'),
    randomBytes(16).toString('base64url'),
    randomBytes(16).toString('base64'),
    randomBytes(17).toString('base64url').replace(/[-_]/g, '!'),
  ])
    await seq.submit(family(`g${good.length}`), { idempotencyKey: good });
  await seq.close();
});

test('a stored record confirms no guessed request: its digest is keyed with the key', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, options);
  const key = newKey();
  const request = family('guess');
  await seq.submit(request, { idempotencyKey: key });
  const record = await store.idempotency(keyIdOf(key));
  assert.ok(record);
  // Someone with the database and a guessed name and statement, but not the key:
  const plain = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  assert.notEqual(record.requestHash, plain);
  assert.notEqual(record.requestHash, requestHashOf(newKey(), request), 'another key');
  assert.equal(record.requestHash, requestHashOf(key, request), 'with the key, it matches');
  await seq.close();
});

test('after a restart the receipts come back; the database holds no salt and no key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-idem-'));
  const key = `f0e1d2c3-${newKey()}`;
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
  const record = await store.idempotency(keyIdOf(key));
  assert.ok(record);
  assert.throws(() => unseal('another key', record.sealed));
  await seq.close();
  await store.close();
});

test('a record expires a day or up to an hour more after it was made, on the hour', () => {
  for (const now of [1_764_000_000, 1_764_000_001, 1_764_003_599, 1_764_003_600]) {
    const expires = idempotencyExpiry(now);
    assert.equal(expires % 3600, 0, 'on the hour: the second of the declaration is not kept');
    assert.ok(expires >= now + 24 * 3600 && expires < now + 25 * 3600);
  }
  assert.equal(idempotencyExpiry(1_764_000_001), idempotencyExpiry(1_764_003_599));
});
