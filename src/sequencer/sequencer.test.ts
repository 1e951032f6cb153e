import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeBase64,
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  hashLeaf,
  openCheckpoint,
  rawPublicKey,
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
import { PoolFullError, Sequencer } from './sequencer.ts';

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
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, k) => seq.submit(family((k % 3) + 1, `p${k}`))),
  );
  const all = results.flat();
  assert.equal(
    all.length,
    results.reduce((n, r) => n + r.length, 0),
  );
  assert.equal(
    new Set(all.map((r) => r.index)).size,
    all.length,
    'every declarant has its own index',
  );
  results.forEach((rs, k) => {
    rs.forEach((r, i) => {
      checkReceipt(r, `p${k}-${i}`);
    });
  });
  assert.ok(commits < 20, `${commits} commits for 200 concurrent submissions`);
  const state = await store.state();
  assert.equal(state.treeSize, all.length);
  assert.equal(headline(state.totals), all.length);
  // A family shares one group id; singles have none.
  const groups = results.map((rs) => rs.map((r) => decodeEntry(b64(r.entry))));
  for (const g of groups) {
    const ids = new Set(
      g.map((e) =>
        e.kind === 'declaration' && e.groupId ? Buffer.from(e.groupId).toString('hex') : 'none',
      ),
    );
    assert.equal(ids.size, 1);
    assert.equal(ids.has('none'), g.length === 1);
  }
  await seq.close();
});

test('a failed commit rejects its requests, acknowledges nothing, and the next commit succeeds', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, { origin: 'example.org/log', signer, delayMs: 0 });
  await seq.submit(family(1, 'a'));
  store.failNextCommit = new Error('disk full');
  await assert.rejects(seq.submit(family(2, 'b')), /disk full/);
  assert.equal((await store.state()).treeSize, 1);
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
