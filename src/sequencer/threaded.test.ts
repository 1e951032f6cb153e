// The sequencer on its own thread: what the HTTP layer sees must be what it sees of the
// in-process Sequencer — receipts that verify against the store, one entry per declarant, the
// same errors (classes and fields), idempotent replays, log lines and metrics on the main thread.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { generateKey, proveInclusion } from '../log/index.ts';
import type { Submission } from '../registry/index.ts';
import { databasePath, openStore } from '../store/index.ts';
import { SequencingError } from './declarations.ts';
import { telemetry } from './telemetry.ts';
import { ThreadedSequencer } from './threaded.ts';
import { VoidError } from './writer.ts';

const ORIGIN = 'example.org/threaded';
const family = (n: number): Submission => ({
  language: 'zh-Hans',
  channel: 'web',
  declarants: Array.from({ length: n }, (_, i) => ({
    name: `张${i}`,
    nameKind: 'alias' as const,
    orgs: ['party' as const],
    region: 'CN-GD',
    publish: false,
  })),
});

async function open() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tuidang-threaded-'));
  const store = openStore({ dataDir });
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { base: { service: 'tuidang' } },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }),
  );
  const commits: number[] = [];
  const t = telemetry({
    logger,
    metrics: { commit: (n) => commits.push(n) },
  });
  const sequencer = await ThreadedSequencer.open(
    store,
    {
      dataDir,
      origin: ORIGIN,
      skey: generateKey(ORIGIN).skey,
      delayMs: 2,
    },
    t,
  );
  return {
    dataDir,
    store,
    sequencer,
    lines,
    commits,
    async close() {
      await sequencer.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

test('concurrent submissions get distinct entries and receipts that prove inclusion in the store', async () => {
  const r = await open();
  try {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => r.sequencer.submit(family(1 + (i % 3)))),
    );
    const receipts = answers.flat();
    assert.equal(
      receipts.length,
      answers.reduce((n, a) => n + a.length, 0),
    );
    const indexes = receipts.map((x) => x.index).sort((a, b) => a - b);
    assert.deepEqual(
      indexes,
      Array.from({ length: receipts.length }, (_, i) => i),
    );
    assert.equal(r.sequencer.poolDepth, 0);
    const state = await r.store.state();
    assert.equal(state.treeSize, receipts.length);
    for (const x of receipts) {
      const proof = await proveInclusion(r.store.readTiles, x.treeSize, x.index);
      assert.deepEqual(
        x.inclusionProof,
        proof.map((h) => Buffer.from(h).toString('base64')),
      );
      assert.ok(x.checkpoint.startsWith(`${ORIGIN}\n${x.treeSize}\n`));
    }
    assert.equal(
      r.commits.reduce((a, b) => a + b, 0),
      receipts.length,
      'commit metrics reach the main thread',
    );
  } finally {
    await r.close();
  }
});

test('a repeated idempotency key is answered with the first receipts, in flight and after', async () => {
  const r = await open();
  try {
    const key = randomUUID();
    const [a, b] = await Promise.all([
      r.sequencer.submit(family(2), { idempotencyKey: key }),
      r.sequencer.submit(family(2), { idempotencyKey: key }),
    ]);
    assert.deepEqual(a, b);
    const later = await r.sequencer.submit(family(2), { idempotencyKey: key });
    assert.deepEqual(
      later.map((x) => [x.index, x.entry, x.salt]),
      a.map((x) => [x.index, x.entry, x.salt]),
    );
    assert.equal((await r.store.state()).treeSize, 2);
    await assert.rejects(r.sequencer.submit(family(3), { idempotencyKey: key }), {
      name: 'IdempotencyConflictError',
    });
  } finally {
    await r.close();
  }
});

test('a refused void crosses the thread as a VoidError with its target and problem; a good one commits', async () => {
  const r = await open();
  try {
    await r.sequencer.submit(family(3));
    const refused = await r.sequencer.void([7], 'flood').catch((e: unknown) => e);
    assert.ok(refused instanceof VoidError, String(refused));
    assert.equal(refused.target, 7);
    assert.equal(refused.problem, 'missing');
    assert.equal(await r.sequencer.void([1], 'flood'), 4);
    const again = await r.sequencer.void([1], 'flood').catch((e: unknown) => e);
    assert.ok(again instanceof VoidError);
    assert.equal(again.problem, 'voided');
  } finally {
    await r.close();
  }
});

test('close answers what was taken before it, then refuses', async () => {
  const r = await open();
  const taken = Array.from({ length: 10 }, () => r.sequencer.submit(family(1)));
  const closing = r.sequencer.close();
  const answers = await Promise.all(taken);
  assert.equal(answers.flat().length, 10);
  await closing;
  await assert.rejects(r.sequencer.submit(family(1)), { code: 'shutting-down' });
  assert.equal((await r.store.state()).treeSize, 10);
  await r.close();
});

test("the thread's log lines go through the main thread's logger", async () => {
  // Another connection holds the database's write lock past the busy timeout: the writer, on its
  // thread, logs that the commit failed.
  const r = await open();
  const blocker = new DatabaseSync(databasePath(r.dataDir));
  try {
    blocker.exec('BEGIN IMMEDIATE');
    const waiting = r.sequencer.submit(family(1)).catch(() => undefined);
    for (let i = 0; i < 500 && !r.lines.some((l) => l.stage === 'commit'); i++)
      await new Promise((done) => setTimeout(done, 20));
    blocker.exec('ROLLBACK');
    await waiting;
    const line = r.lines.find((l) => l.stage === 'commit');
    assert.ok(line, JSON.stringify(r.lines));
    assert.equal(line.service, 'tuidang', "written by the main thread's logger");
    assert.equal(line.level, 50);
  } finally {
    blocker.close();
    await r.close();
  }
});

test('a thread that stops answers every waiting request with an error, and later ones too', async () => {
  const r = await open();
  try {
    const waiting = r.sequencer.submit(family(1));
    await r.sequencer.abort();
    await assert.rejects(waiting, SequencingError);
    await assert.rejects(r.sequencer.submit(family(1)), SequencingError);
    assert.ok(
      r.lines.some((l) => /the sequencer thread stopped/.test(String(l.msg))),
      JSON.stringify(r.lines),
    );
  } finally {
    await r.close();
  }
});
