// Timing privacy: the public checkpoint, tiles, proofs and totals move only at publications, on a
// fixed cadence, while receipts are answered at once; a receipt newer than the publication checks
// out against its own checkpoint and is said to await the next publication. An empty log has a
// signed checkpoint of size 0 from the start. The clock is a test clock: nothing sleeps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { ManualClock } from '../../test/clock.ts';
import {
  decodeBase64,
  ED25519,
  ed25519PrivateKey,
  ed25519Signer,
  formatVerifierKey,
  openCheckpoint,
  rawPublicKey,
  verifierFromKey,
} from '../log/index.ts';
import type { Receipt } from '../registry/index.ts';
import { PublishedLogView, Publisher, Sequencer } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import { type ReceiptLog, verifyReceipt } from '../verify/index.ts';
import { buildApp } from './app.ts';

const origin = 'publish.example/log';
const seed = new Uint8Array(32).fill(12);
const vkey = formatVerifierKey(origin, ED25519, rawPublicKey(ed25519PrivateKey(seed)));
const logKeys = [verifierFromKey(vkey)];

async function registry(intervalMs: number) {
  const store = new MemoryStore();
  const logger = pino({ level: 'silent' });
  const sequencer = await Sequencer.open(store, {
    origin,
    signer: ed25519Signer(origin, seed),
    delayMs: 0,
    logger,
  });
  const clock = new ManualClock(60_000 * 16_667 + 30_000); // 30 s past a minute
  const publisher = await Publisher.start(store, { intervalMs, clock });
  const app = await buildApp({
    store,
    published: new PublishedLogView(store, publisher),
    sequencer,
    vkey,
    logger,
    statementCrowd: 1,
  });
  const get = async (url: string) => app.inject({ method: 'GET', url });
  const declare = async (name: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      payload: { language: 'en', declarants: [{ name, nameKind: 'alias', orgs: ['party'] }] },
    });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { receipts: Receipt[] }).receipts;
  };
  /** The log as the receipt page reads it: the published checkpoint and the API's proofs. */
  const log: ReceiptLog = {
    checkpoint: async () => (await get('/log/checkpoint')).body,
    async consistency(from, to) {
      const res = await get(`/api/v1/proof/consistency?from=${from}&to=${to}`);
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { consistencyProof: string[] }).consistencyProof.map(
        (h) => decodeBase64(h) as Uint8Array,
      );
    },
  };
  const publicSize = async () =>
    openCheckpoint((await get('/log/checkpoint')).body, logKeys).treeSize;
  return { app, store, clock, get, declare, log, publicSize, sequencer, publisher };
}

test('an empty log has a signed checkpoint of size 0 from the first start', async () => {
  const r = await registry(60_000);
  const res = await r.get('/log/checkpoint');
  assert.equal(res.statusCode, 200);
  assert.equal(openCheckpoint(res.body, logKeys, origin).treeSize, 0);
  const stats = (await r.get('/api/v1/stats')).json() as { treeSize: number; total: number };
  assert.deepEqual([stats.treeSize, stats.total], [0, 0]);
  r.publisher.close();
  await r.sequencer.close();
});

test('the public log moves only at publications; receipts come at once', async () => {
  const r = await registry(60_000);
  const [receipt] = await r.declare('first');
  assert.ok(receipt);
  assert.equal(receipt.treeSize, 1, 'the receipt has its own checkpoint, signed at commit');

  // Before the publication: nothing of the new entry is public.
  assert.equal(await r.publicSize(), 0);
  const stats = (await r.get('/api/v1/stats')).json() as { treeSize: number; total: number };
  assert.deepEqual([stats.treeSize, stats.total], [0, 0], 'the live total waits too');
  assert.equal((await r.get('/log/tile/entries/000.p/1')).statusCode, 404);
  assert.equal((await r.get('/log/tile/0/000.p/1')).statusCode, 404);
  assert.equal((await r.get('/api/v1/proof/consistency?from=0&to=1')).statusCode, 400);
  assert.equal((await r.get('/api/v1/proof/inclusion?index=0&treeSize=1')).statusCode, 400);

  // The receipt checks out against its own checkpoint, and awaits the next publication.
  const early = await verifyReceipt(receipt, logKeys, r.log);
  assert.equal(early.checkpoint.treeSize, 1);
  assert.equal(early.awaitingPublication?.treeSize, 0);
  assert.equal(early.current, undefined);

  // Publications fall on multiples of the interval: 30 s from now, not 60 s after the entry.
  await r.clock.advance(29_999);
  assert.equal(await r.publicSize(), 0);
  await r.clock.advance(1);
  assert.equal(await r.publicSize(), 1);
  assert.equal((await r.get('/log/tile/entries/000.p/1')).statusCode, 200);
  const later = await verifyReceipt(receipt, logKeys, r.log);
  assert.equal(later.current?.treeSize, 1);
  assert.equal(later.awaitingPublication, undefined);

  // Two entries in one interval are published together, a whole interval later.
  await r.declare('second');
  await r.declare('third');
  await r.clock.advance(59_999);
  assert.equal(await r.publicSize(), 1);
  await r.clock.advance(1);
  assert.equal(await r.publicSize(), 3);
  const total = (await r.get('/api/v1/stats')).json() as { total: number };
  assert.equal(total.total, 3);
  r.publisher.close();
  await r.sequencer.close();
});

test('an interval of 0 publishes every commit at once', async () => {
  const r = await registry(0);
  await r.declare('now');
  assert.equal(await r.publicSize(), 1);
  r.publisher.close();
  await r.sequencer.close();
});

test('published statements do not carry their entry number: feed ids and page links', async () => {
  const { app, store, sequencer, publisher } = await registry(0);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    payload: {
      language: 'en',
      declarants: Array.from({ length: 21 }, (_, i) => ({
        name: `Person ${i}`,
        nameKind: 'alias',
        orgs: ['party'],
        statement: `statement ${i}`,
        publish: true,
      })),
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  for (const r of (res.json() as { receipts: Receipt[] }).receipts)
    assert.ok(await store.site.moderate(r.index, { status: 'approved' }));
  const first = (await app.inject({ method: 'GET', url: '/en/statements' })).body;
  assert.match(first, /href="\/en\/statements\?page=2"/, 'the next page goes by position');
  assert.doesNotMatch(first, /before=|at=/);
  const second = (await app.inject({ method: 'GET', url: '/en/statements?page=2' })).body;
  assert.equal(second.match(/<blockquote/g)?.length, 1, 'the 21st statement is on page 2');
  const feed = (await app.inject({ method: 'GET', url: '/en/statements/feed.xml' })).body;
  assert.equal(feed.match(/<entry>/g)?.length, 21);
  assert.doesNotMatch(feed, /\/log#|before=/);
  const ids = [...feed.matchAll(/<id>([^<]*statements#[0-9a-f]{32})<\/id>/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, 21, 'every statement has its own stable id');
  publisher.close();
  await sequencer.close();
});
