import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  encodeBase64,
  proveConsistency,
  rawPublicKey,
} from '../log/index.ts';
import {
  encodeEntry,
  formatReceiptCode,
  parseSubmission,
  type Receipt,
} from '../registry/index.ts';
import { Sequencer } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import {
  commitsTo,
  parseReceipts,
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

/** The error a promise or call fails with: its problem, where, and message. */
async function failure(p: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(e instanceof ReceiptError, String(e));
    return { problem: e.problem, where: e.where, message: e.message };
  }
  assert.fail('no failure');
}

test("parseReceipts: one receipt or a family's file; anything else is named as not a receipt", async () => {
  const { seq, declare } = await registry();
  const r = await declare('a');
  const s = await declare('b');
  assert.deepEqual(parseReceipts(JSON.stringify(r)), [r]);
  assert.deepEqual(parseReceipts(JSON.stringify({ receipts: [r, s] })), [r, s]);
  const refused = async (text: string, message: string) => {
    const f = await failure(() => parseReceipts(text));
    assert.equal(f.problem, 'malformed', text);
    assert.equal(f.where, 'receipt');
    assert.ok(f.message.endsWith(message), `${text}: ${f.message}`);
  };
  await refused('{"index": 0', 'the file is not JSON');
  await refused('{"receipts": []}', 'no receipt in the file');
  await refused('{"receipts": {"index": 0}}', 'no receipt in the file');
  const fields = 'a receipt needs index, entry, salt, treeSize, inclusionProof and checkpoint';
  await refused('null', fields);
  await refused('7', fields);
  await refused(JSON.stringify({ receipts: [r, null] }), fields);
  for (const [field, value] of [
    ['index', '0'],
    ['index', 1.5],
    ['index', undefined],
    ['treeSize', '2'],
    ['treeSize', 2 ** 53],
    ['entry', 7],
    ['salt', undefined],
    ['checkpoint', ['x']],
    ['inclusionProof', 'x'],
  ] as const)
    await refused(JSON.stringify({ receipts: [s, { ...r, [field]: value }] }), fields);
  await seq.close();
});

test('what is wrong is said where: the receipt, its proof, its entry, the log', async () => {
  const { seq, declare } = await registry();
  const r = await declare('a');
  await declare('b');
  assert.deepEqual(await failure(verifyReceipt({ ...r, treeSize: r.treeSize + 1 }, [key])), {
    problem: 'not-included',
    where: 'receipt',
    message: `receipt: treeSize ${r.treeSize + 1} is not the checkpoint's (${r.treeSize})`,
  });
  const f = await failure(verifyReceipt({ ...r, inclusionProof: ['%%'] }, [key]));
  assert.deepEqual([f.problem, f.message], ['malformed', 'receipt: a proof hash is not base64']);
  const entry = await failure(verifyReceipt({ ...r, entry: '%%' }, [key]));
  assert.equal(entry.message, 'receipt: entry is not base64');
  const moved = await failure(verifyReceipt({ ...r, index: r.index + 1 }, [key]));
  assert.match(
    moved.message,
    new RegExp(`^receipt: entry ${r.index + 1} is not in the checkpoint: `),
  );
  // An entry the log should never have signed: here, a few bytes that are no entry at all.
  const junk = { ...r, entry: encodeBase64(new Uint8Array([9, 9, 9])), inclusionProof: [] };
  const odd = await failure(verifyReceipt({ ...junk, treeSize: 1, index: 0 }, [key]));
  assert.notEqual(odd.problem, undefined);
  await seq.close();
});

test('a receipt of one log checked against another the verifier also trusts: another register', async () => {
  const { seq, declare } = await registry();
  const r = await declare('a');
  const otherOrigin = 'other.example/log';
  const otherSeed = new Uint8Array(32).fill(5);
  const store = new MemoryStore();
  const seq2 = await Sequencer.open(store, {
    origin: otherOrigin,
    signer: ed25519Signer(otherOrigin, otherSeed),
    delayMs: 0,
  });
  await seq2.submit(
    parseSubmission({
      language: 'en',
      declarants: [{ name: 'x', nameKind: 'alias', orgs: ['party'] }],
    }),
  );
  const otherKey = ed25519Verifier(otherOrigin, rawPublicKey(ed25519PrivateKey(otherSeed)));
  const otherLog: ReceiptLog = {
    checkpoint: async () => (await store.state()).checkpoint as string,
    consistency: (from, to) => proveConsistency(store.readTiles, from, to),
  };
  assert.deepEqual(await failure(verifyReceipt(r, [key, otherKey], otherLog)), {
    problem: 'other-log',
    where: 'log',
    message: `log: the log is ${otherOrigin}, the receipt is for ${origin}`,
  });
  // Without the other log's key its checkpoint is not signed by any key given.
  const unsigned = await failure(verifyReceipt(r, [key], otherLog));
  assert.deepEqual([unsigned.problem, unsigned.where], ['not-signed', 'log']);
  await seq.close();
  await seq2.close();
});

test('a receipt code: the entry of its own tile, beyond the first; none at or past the tree size', async () => {
  const { seq, declare, store } = await registry();
  const receipts: Receipt[] = [];
  for (let i = 0; i < 260; i++) receipts.push(await declare(`p${i}`));
  const { treeSize, checkpoint } = await store.state();
  for (const r of [receipts[0], receipts[255], receipts[256], receipts[259]] as Receipt[]) {
    const code = { index: r.index, salt: new Uint8Array(Buffer.from(r.salt, 'base64')) };
    const rebuilt = await receiptFromCode(code, store.readTiles, treeSize, checkpoint as string);
    assert.equal(rebuilt?.entry, r.entry, `entry ${r.index}`);
    assert.equal((await verifyReceipt(rebuilt as Receipt, [key])).index, r.index);
  }
  const salt = new Uint8Array(32);
  for (const index of [260, 261, 600])
    assert.equal(
      await receiptFromCode({ index, salt }, store.readTiles, treeSize, checkpoint as string),
      undefined,
    );
  await seq.close();
});

test('commitsTo: the receipt proves this name and statement, and no other', async () => {
  const { seq, store } = await registry();
  const [r] = await seq.submit(
    parseSubmission({
      language: 'en',
      declarants: [
        { name: '李华', nameKind: 'real', orgs: ['party'], statement: '三退', publish: true },
      ],
    }),
  );
  const receipt = r as Receipt;
  assert.equal(commitsTo(receipt, { name: '李华', nameKind: 'real', statement: '三退' }), true);
  assert.equal(
    commitsTo(receipt, { name: '李华', nameKind: 'real' }),
    false,
    'the statement is part of it',
  );
  assert.equal(commitsTo(receipt, { name: '李华', nameKind: 'alias', statement: '三退' }), false);
  assert.equal(commitsTo(receipt, { name: '李', nameKind: 'real', statement: '三退' }), false);
  const voided = encodeEntry({ kind: 'void', day: '2026-12-02', target: 0, reason: 'test' });
  assert.equal(
    commitsTo({ ...receipt, entry: encodeBase64(voided) }, { name: '李华', nameKind: 'real' }),
    false,
  );
  assert.equal((await store.state()).treeSize, 1);
  await seq.close();
});
