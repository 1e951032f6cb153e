import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import {
  decodeBase64,
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  hashLeaf,
  openCheckpoint,
  proveConsistency,
  proveInclusion,
  rawPublicKey,
  verifyConsistency,
  verifyInclusion,
} from '../log/index.ts';
import {
  commitment,
  decodeEntry,
  headline,
  parseSubmission,
  type Receipt,
} from '../registry/index.ts';
import { MemoryStore } from '../store/index.ts';
import { PoolFullError, SequencingError } from './declarations.ts';
import { Sequencer } from './sequencer.ts';
import type { Stage } from './telemetry.ts';

const seed = new Uint8Array(32).fill(3);
const signer = ed25519Signer('example.org/log', seed);
const verifier = ed25519Verifier('example.org/log', rawPublicKey(ed25519PrivateKey(seed)));
const b64 = (s: string) => decodeBase64(s) as Uint8Array;

const family = (n: number, tag: string) =>
  parseSubmission({
    language: 'en',
    declarants: Array.from({ length: n }, (_, i) => ({
      name: `${tag}-${i}`,
      nameKind: 'alias',
      orgs: ['party'],
    })),
  });

function checkReceipt(r: Receipt, name: string): void {
  const cp = openCheckpoint(r.checkpoint, [verifier], 'example.org/log');
  assert.equal(cp.treeSize, r.treeSize);
  verifyInclusion(r.index, r.treeSize, hashLeaf(b64(r.entry)), r.inclusionProof.map(b64), cp.root);
  const entry = decodeEntry(b64(r.entry));
  assert.equal(entry.kind, 'declaration');
  if (entry.kind === 'declaration')
    assert.deepEqual(
      Buffer.from(entry.commitment),
      Buffer.from(commitment(b64(r.salt), name, 'alias', undefined)),
    );
}

test('concurrent submissions are grouped into few commits, and every receipt verifies', async () => {
  const store = new MemoryStore();
  let commits = 0;
  const commit = store.commit.bind(store);
  store.commit = async (c) => {
    commits++;
    return commit(c);
  };
  const seq = await Sequencer.open(store, { origin: 'example.org/log', signer, delayMs: 1 });
  const sizes = Array.from({ length: 200 }, (_, k) => (k % 3) + 1);
  const results = await Promise.all(sizes.map((n, k) => seq.submit(family(n, `p${k}`))));
  results.forEach((rs, k) => {
    assert.equal(rs.length, sizes[k], `request ${k} has one receipt per declarant`);
  });
  const all = results.flat();
  const declarants = sizes.reduce((a, b) => a + b, 0);
  assert.deepEqual(
    all.map((r) => r.index).sort((a, b) => a - b),
    Array.from({ length: declarants }, (_, i) => i),
    'every declarant has its own index, and no index is skipped',
  );
  results.forEach((rs, k) => {
    rs.forEach((r, i) => {
      checkReceipt(r, `p${k}-${i}`);
    });
  });
  assert.ok(commits < 20, `${commits} commits for 200 concurrent submissions`);
  const state = await store.state();
  assert.equal(state.treeSize, declarants);
  assert.equal(headline(state.totals), declarants);
  // Every receipt holds in the committed tree: its entry is at its index in the final tree, and its
  // checkpoint is an earlier state of that tree.
  const final = openCheckpoint(state.checkpoint as string, [verifier], 'example.org/log');
  for (const r of all) {
    const proof = await proveInclusion(store.readTiles, final.treeSize, r.index);
    verifyInclusion(r.index, final.treeSize, hashLeaf(b64(r.entry)), proof, final.root);
    const cp = openCheckpoint(r.checkpoint, [verifier], 'example.org/log');
    verifyConsistency(
      cp.treeSize,
      final.treeSize,
      cp.root,
      final.root,
      await proveConsistency(store.readTiles, cp.treeSize, final.treeSize),
    );
  }
  // No entry carries a group id: nothing public ties a family's entries together.
  for (const r of all) {
    const e = decodeEntry(b64(r.entry));
    assert.ok(e.kind === 'declaration' && e.groupId === undefined);
    assert.equal(b64(r.entry).length, 40);
  }
  await seq.close();
});

test('a failed commit rejects its requests, is logged once and counted, acknowledges nothing, and the next commit succeeds', async () => {
  const store = new MemoryStore();
  const lines: string[] = [];
  const failures: Stage[] = [];
  const seq = await Sequencer.open(store, {
    origin: 'example.org/log',
    signer,
    delayMs: 0,
    logger: pino({ base: null }, { write: (l: string) => lines.push(l) }),
    metrics: { failure: (stage) => failures.push(stage) },
  });
  await seq.submit(family(1, 'a'));
  store.failNextCommit = new Error('disk full');
  await assert.rejects(
    seq.submit(family(2, 'b')),
    (e) =>
      e instanceof SequencingError && !e.recorded && (e.cause as Error).message === 'disk full',
  );
  assert.equal((await store.state()).treeSize, 1);
  assert.deepEqual(failures, ['commit']);
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0] as string);
  assert.equal(line.level, 50);
  assert.equal(line.stage, 'commit');
  assert.equal(
    line.msg,
    'commit of 2 entries at tree size 1 failed: disk full; nothing of it was logged; its 1 request was answered with an error',
  );
  assert.doesNotMatch(lines[0] as string, /b-0|b-1/, 'no name in the log line');
  const [r] = await seq.submit(family(1, 'c'));
  assert.ok(r);
  assert.equal(r.index, 1);
  checkReceipt(r, 'c-0');
  await seq.close();
});

test('a full pool refuses at once instead of growing', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, {
    origin: 'example.org/log',
    signer,
    delayMs: 50,
    maxPool: 5,
  });
  const first = seq.submit(family(4, 'x'));
  await assert.rejects(seq.submit(family(2, 'y')), PoolFullError);
  assert.equal((await first).length, 4);
  await seq.close();
});
