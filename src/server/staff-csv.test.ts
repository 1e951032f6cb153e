// The volunteers' CSV upload: a stated maximum checked before anything is written, and an answer
// that says exactly what was recorded, with its receipts and an audit row, even when some rows fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addStaff, receiptsIn, signIn } from '../../test/staff.ts';
import { ed25519Signer } from '../log/index.ts';
import { type Declarations, PoolFullError, Sequencer } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';

async function setUp(wrap: (real: Sequencer) => Declarations = (s) => s) {
  const store = new MemoryStore();
  await addStaff(store, ['vo', 'volunteer']);
  const real = await Sequencer.open(store, {
    origin: 'v.example/log',
    signer: ed25519Signer('v.example/log', new Uint8Array(32).fill(8)),
    delayMs: 0,
  });
  const app = await buildApp({
    store,
    sequencer: wrap(real),
    vkey: 'v.example/log+00000000+AQ==',
    logger: createLogger({ write: () => {} }),
  });
  return { store, real, vo: await signIn(app, 'vo', 'vo password 12') };
}

test('an 80,000-row CSV is refused before anything is written, with the stated maximum', async () => {
  const { store, real, vo } = await setUp();
  const csv = `name,orgs\n${'A,party\n'.repeat(80_000)}`;
  const res = await vo.post('/staff/declare-csv', { channel: 'centre', csv });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /This CSV is larger than 256 KB, so nothing was recorded\./);
  const rows = `name,orgs\n${'A,party\n'.repeat(1001)}`;
  const many = await vo.post('/staff/declare-csv', { channel: 'centre', csv: rows });
  assert.equal(many.statusCode, 400);
  assert.match(many.body, /This CSV has more than 1,000 people, so nothing was recorded\./);
  assert.equal((await store.state()).treeSize, 0, 'the log did not grow');
  assert.deepEqual(
    (await store.auditLog(10)).map((a) => a.action),
    ['login'],
  );
  const form = await vo.get('/staff/declare');
  assert.match(
    form.body,
    /At most 1,000 people and 256 KB in one upload\./,
    'the maximum is stated',
  );
  await real.close();
});

test('when some rows cannot be recorded, the answer names them and holds the receipts of the others', async () => {
  let calls = 0;
  const { store, real, vo } = await setUp((s) => ({
    submit: (sub, o) =>
      ++calls % 3 === 0 ? Promise.reject(new PoolFullError('busy')) : s.submit(sub, o),
    void: (t, r) => s.void(t, r),
    close: () => s.close(),
    poolDepth: 0,
  }));
  const csv = `name,orgs\n${Array.from({ length: 6 }, (_, i) => `P${i},party\n`).join('')}x,nothing\n`;
  const res = await vo.post('/staff/declare-csv', { channel: 'phone', csv });
  assert.equal(res.statusCode, 207);
  assert.match(res.body, /4 of 7 people were recorded\./);
  assert.match(res.body, /Line 4 was not recorded/);
  assert.match(res.body, /Line 7 was not recorded/);
  assert.match(res.body, /Line 8 was not declared/);
  const receipts = receiptsIn(res.body);
  assert.equal(receipts.length, 4);
  assert.equal((await store.state()).treeSize, 4, 'what the answer says is what the log holds');
  const declared = (await store.auditLog(10)).filter((a) => a.action === 'declare');
  assert.equal(declared.length, 1);
  assert.deepEqual(
    declared[0]?.target.split(',').map(Number).sort(),
    receipts.map((r) => r.index).sort(),
  );
  assert.equal((declared[0]?.at ?? 1) % 3600, 0, 'dated on the hour, not to the second');

  calls = 2; // every third call fails: the next one
  const none = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: 'name,orgs\nQ,party\n',
  });
  assert.equal(none.statusCode, 503);
  assert.match(none.body, /0 of 1 people were recorded\./);
  assert.equal((await store.state()).treeSize, 4);
  await real.close();
});
