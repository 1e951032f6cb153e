import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  proveConsistency,
  rawPublicKey,
} from '../log/index.ts';
import { formatReceiptCode, parseSubmission, type Receipt } from '../registry/index.ts';
import { Sequencer } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import {
  ReceiptError,
  type ReceiptLog,
  type ReceiptProblem,
  receiptFromCode,
  verifyReceipt,
} from './receipt.ts';

const origin = 'receipt.example/log';
const seed = new Uint8Array(32).fill(3);
const key = ed25519Verifier(origin, rawPublicKey(ed25519PrivateKey(seed)));
const other = ed25519Verifier(origin, rawPublicKey(ed25519PrivateKey(new Uint8Array(32).fill(4))));

async function registry() {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, {
    origin,
    signer: ed25519Signer(origin, seed),
    delayMs: 0,
  });
  const declare = async (name: string) =>
    (
      await seq.submit(
        parseSubmission({
          language: 'en',
          declarants: [{ name, nameKind: 'alias', orgs: ['party'] }],
        }),
      )
    )[0] as Receipt;
  /** The log as it is now, or as it was published at `checkpoint`. */
  const log = (checkpoint?: string): ReceiptLog => ({
    checkpoint: async () => checkpoint ?? ((await store.state()).checkpoint as string),
    consistency: (from, to) => proveConsistency(store.readTiles, from, to),
  });
  return { store, seq, declare, log };
}

const problemOf = async (p: Promise<unknown>): Promise<ReceiptProblem | undefined> => {
  try {
    await p;
    return undefined;
  } catch (e) {
    assert.ok(e instanceof ReceiptError, String(e));
    return e.problem;
  }
};

test('a receipt checks against the latest checkpoint; one newer than the last publication against its own', async () => {
  const { seq, declare, log, store } = await registry();
  await declare('a');
  const published = (await store.state()).checkpoint as string;
  const fresh = await declare('b');
  await declare('c');
  const now = await verifyReceipt(fresh, [key], log());
  assert.equal(now.current?.treeSize, 3);
  assert.equal(now.awaitingPublication, undefined);
  // The log's published checkpoint is older than the receipt's: not a failure, not yet public.
  const early = await verifyReceipt(fresh, [key], log(published));
  assert.equal(early.awaitingPublication?.treeSize, 1);
  assert.equal(early.current, undefined);
  assert.equal(early.checkpoint.treeSize, 2);
  await seq.close();
});

test('each kind of failure is named for the reader', async () => {
  const { seq, declare, log } = await registry();
  const r = await declare('a');
  await declare('b');
  const { store: elsewhere, declare: declareElsewhere, seq: seq2 } = await registry();
  await declareElsewhere('x');
  await declareElsewhere('y');
  await declareElsewhere('z');
  const cases: Array<[string, Promise<unknown>, ReceiptProblem]> = [
    ['entry not base64', verifyReceipt({ ...r, entry: '%%%' }, [key]), 'malformed'],
    ['another key', verifyReceipt(r, [other]), 'not-signed'],
    ['index changed', verifyReceipt({ ...r, index: r.index + 1 }, [key]), 'not-included'],
    ['tree size changed', verifyReceipt({ ...r, treeSize: r.treeSize + 1 }, [key]), 'not-included'],
    [
      'a log with another history',
      verifyReceipt(r, [key], {
        checkpoint: async () => (await elsewhere.state()).checkpoint as string,
        consistency: (from, to) => proveConsistency(elsewhere.readTiles, from, to),
      }),
      'inconsistent',
    ],
  ];
  for (const [what, p, problem] of cases) assert.equal(await problemOf(p), problem, what);
  assert.equal(await problemOf(verifyReceipt(r, [key], log())), undefined);
  await seq.close();
  await seq2.close();
});

test('a receipt code and the log rebuild the whole receipt', async () => {
  const { seq, declare, store } = await registry();
  const r = await declare('a');
  await declare('b');
  const { treeSize, checkpoint } = await store.state();
  const salt = Buffer.from(r.salt, 'base64');
  const code = { index: r.index, salt: new Uint8Array(salt) };
  assert.match(formatReceiptCode(code.index, code.salt), /^\d+-/);
  const rebuilt = await receiptFromCode(code, store.readTiles, treeSize, checkpoint as string);
  assert.ok(rebuilt);
  assert.equal(rebuilt.entry, r.entry);
  assert.equal(rebuilt.salt, r.salt);
  assert.equal((await verifyReceipt(rebuilt, [key])).checkpoint.treeSize, 2);
  assert.equal(
    await receiptFromCode({ ...code, index: 2 }, store.readTiles, treeSize, checkpoint as string),
    undefined,
    'no entry with that number',
  );
  await seq.close();
});
