import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { ed25519Signer } from '../log/index.ts';
import { encodeEntry, parseSubmission, type Receipt } from '../registry/index.ts';
import { MemoryStore } from '../store/index.ts';
import { answer, buildReceipts, commitBatch, declarationsOf, fitting } from './core.ts';
import { SequencingError, type Waiting } from './declarations.ts';
import { prepare, receiptCores } from './prepare.ts';
import { telemetry } from './telemetry.ts';
import { LogWriter } from './writer.ts';

const sized = (...lengths: number[]) => lengths.map((n) => ({ entries: new Array(n).fill(0) }));

test('fitting: as many requests as fit, and the first alone whatever its size', () => {
  const cases: Array<[number[], number, boolean, number]> = [
    [[], 10, false, 0],
    [[3, 3, 3], 10, false, 3],
    [[3, 3, 5], 10, false, 2],
    [[12, 1], 10, false, 1], // larger than a batch: logged alone
    [[12], 10, true, 0], // the batch holds rows already: it waits for the next
    [[4, 4], 4, true, 1],
    [[1, 9, 1], 10, false, 2], // order is kept: nothing jumps the queue
  ];
  for (const [lengths, room, started, take] of cases)
    assert.equal(fitting(sized(...lengths), room, started), take, `${lengths} in ${room}`);
});

test('declarationsOf refuses a queued row that holds a void entry', () => {
  const void0 = encodeEntry({ kind: 'void', day: '2026-01-01', target: 0, reason: 'error' });
  assert.throws(() => declarationsOf([void0]), { code: 'corrupt' });
});

test('one commit for a batch; each request gets the receipts of its own entries, or an error of its own', async () => {
  const store = new MemoryStore();
  const writer = new LogWriter(
    store,
    'example.org/log',
    ed25519Signer('example.org/log', new Uint8Array(32).fill(9)),
  );
  await writer.start();
  const submission = (tag: string, n: number) =>
    parseSubmission({
      language: 'en',
      declarants: Array.from({ length: n }, (_, i) => ({
        name: `${tag}${i}`,
        nameKind: 'alias',
        orgs: ['party'],
      })),
    });
  const batch = [prepare(submission('a', 2), new Date()), prepare(submission('b', 1), new Date())];
  const { appended, mine } = await commitBatch(writer, batch, () => ({}));
  assert.equal(appended.treeSize, 3);
  assert.deepEqual(mine.flat().sort(), [0, 1, 2]);
  const requests = batch.map((p, i) => ({
    cores: receiptCores(p.entries, p.salts, mine[i] as number[]),
    treeSize: appended.treeSize,
  }));
  let asked = 0;
  const built = await buildReceipts(requests, appended.readTiles, async (treeSize) =>
    // The second request's checkpoint is missing: only its answer fails.
    asked++ === 0 ? { treeSize, note: appended.checkpoint } : undefined,
  );
  const answers: Array<Receipt[] | unknown> = [];
  const waiting = batch.map(
    (p): Waiting => ({
      ...p,
      idempotency: undefined,
      resolve: (r) => answers.push(r),
      reject: (e) => answers.push(e),
    }),
  );
  const lines: string[] = [];
  const logger = pino({ base: null }, { write: (l: string) => lines.push(l) });
  answer(telemetry({ logger }), waiting, built);
  const [first, second] = answers as [Receipt[], SequencingError];
  assert.deepEqual(
    first.map((r) => r.index),
    mine[0],
  );
  assert.ok(second instanceof SequencingError);
  assert.equal(second.recorded, true);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /building the receipts of 1 request failed/);
});
