import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { ed25519Signer } from '../log/index.ts';
import { parseSubmission } from '../registry/index.ts';
import { PostgresStore } from '../store/index.ts';
import { ClusterSequencer } from './cluster.ts';
import { IdempotencyConflictError } from './sequencer.ts';

const signer = ed25519Signer('example.org/log', new Uint8Array(32).fill(6));
const options = { origin: 'example.org/log', signer, delayMs: 0 };
const schema = freshSchema();
const stores = [
  new PostgresStore(postgresUrl, { schema }),
  new PostgresStore(postgresUrl, { schema }),
];
const nodes = await Promise.all(stores.map((s) => ClusterSequencer.open(s, options)));
after(async () => {
  for (const n of nodes) await n.close();
  for (const s of stores) await s.close();
});
const family = (tag: string) =>
  parseSubmission({
    language: 'en',
    declarants: [0, 1, 2].map((i) => ({ name: `${tag}${i}`, nameKind: 'alias', orgs: ['party'] })),
  });

test('exactly one node sequences', () => {
  assert.deepEqual(nodes.map((n) => n.isLeader).sort(), [false, true]);
});

const sharedKey = randomBytes(16).toString('hex');

test('both nodes answer; one key sent to both at once logs its entries once', async () => {
  const [a, b] = nodes as [ClusterSequencer, ClusterSequencer];
  const plain = await Promise.all([a.submit(family('p')), b.submit(family('q'))]);
  assert.equal(plain.flat().length, 6);
  const before = (await stores[0]?.state())?.treeSize ?? 0;
  const [ra, rb] = await Promise.all([
    a.submit(family('k'), { idempotencyKey: sharedKey }),
    b.submit(family('k'), { idempotencyKey: sharedKey }),
  ]);
  assert.equal(JSON.stringify(ra), JSON.stringify(rb));
  assert.equal((await stores[0]?.state())?.treeSize, before + 3);
  const again = await b.submit(family('k'), { idempotencyKey: sharedKey });
  assert.equal(JSON.stringify(again), JSON.stringify(ra));
  await assert.rejects(
    a.submit(family('other'), { idempotencyKey: sharedKey }),
    IdempotencyConflictError,
  );
});
