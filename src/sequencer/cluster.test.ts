import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pino from 'pino';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { within } from '../../test/wait.ts';
import { ClosedError } from '../errors/index.ts';
import { ed25519Signer } from '../log/index.ts';
import { parseSubmission } from '../registry/index.ts';
import { PostgresStore } from '../store/index.ts';
import { ClusterSequencer } from './cluster.ts';
import { IdempotencyConflictError } from './declarations.ts';
import { prepare } from './prepare.ts';

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

/** A node with its own log lines and leader changes, for the tests below. */
async function observedNode(schema: string, opts: { now?: () => Date; reclaimMs?: number } = {}) {
  const store = new PostgresStore(postgresUrl, { schema });
  const lines: string[] = [];
  const changes: boolean[] = [];
  const reclaimed: number[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const node = await ClusterSequencer.open(
    store,
    {
      ...options,
      ...(opts.now ? { now: opts.now } : {}),
      logger: pino({ base: null }, { write: (l: string) => lines.push(l) }),
      metrics: {
        leader: (leading) => {
          changes.push(leading);
          wake();
        },
        reclaimed: (n) => {
          reclaimed.push(n);
          wake();
        },
      },
    },
    opts.reclaimMs === undefined ? {} : { reclaimMs: opts.reclaimMs },
  );
  /** Resolves once `ready()` holds, checked at every leader change and reclaim; fails after 60 s. */
  const until = (ready: () => boolean) =>
    within(
      (async () => {
        while (!ready()) await new Promise<void>((r) => waiters.push(r));
      })(),
      60_000,
      'a leader change or a reclaim',
    );
  return { store, node, lines, changes, reclaimed, until };
}

test('a change of leader is a gauge and a log line on both nodes; the other node takes over', async () => {
  const schema = freshSchema();
  const a = await observedNode(schema);
  const b = await observedNode(schema);
  assert.deepEqual(a.changes, [false, true], 'the first node leads from its start');
  assert.deepEqual(b.changes, [false]);
  assert.match(a.lines.join(''), /this node now sequences the log, from tree size 0/);
  await a.node.close();
  assert.deepEqual(a.changes, [false, true, false]);
  assert.match(a.lines.join(''), /this node stops sequencing the log/);
  await b.until(() => b.changes.at(-1) === true);
  assert.match(b.lines.join(''), /this node now sequences the log/);
  assert.equal((await b.node.submit(family('after'))).length, 3);
  await b.node.close();
  await a.store.close();
  await b.store.close();
});

test('the sequenced rows of a node that stopped are removed, counted and logged', async () => {
  const schema = freshSchema();
  // The leader's clock is two minutes ahead: a node without a heartbeat since is taken for dead.
  const leader = await observedNode(schema, {
    now: () => new Date(Date.now() + 120_000),
    reclaimMs: 20,
  });
  const dead = new PostgresStore(postgresUrl, { schema });
  const [id] = await dead.cluster.addPending([
    { entries: prepare(family('gone'), new Date()).entries },
  ]);
  assert.ok(id !== undefined);
  await leader.until(() => leader.reclaimed.length > 0);
  assert.deepEqual(leader.reclaimed, [1]);
  assert.match(
    leader.lines.join(''),
    /removed 1 sequenced submission of nodes that stopped before answering/,
  );
  assert.deepEqual(await dead.cluster.sequenced([id]), [], 'the row and its sealed data are gone');
  assert.equal((await leader.store.state()).treeSize, 3, 'its entries are logged');
  await leader.node.close();
  await leader.store.close();
  await dead.close();
});

test('a node that shuts down answers what it accepted, also a request still being queued, and refuses new ones with ClosedError', async () => {
  const a = await observedNode(freshSchema());
  // Both are still in the INSERT into the pending queue when the shutdown starts.
  const accepted = [a.node.submit(family('s')), a.node.submit(family('t'))];
  const closing = a.node.close();
  const answers = await Promise.allSettled(accepted);
  for (const r of answers) {
    if (r.status === 'fulfilled') assert.equal(r.value.length, 3);
    else assert.ok(r.reason instanceof ClosedError, String(r.reason));
  }
  await closing;
  assert.equal(a.node.poolDepth, 0, 'nothing left waiting');
  await assert.rejects(a.node.submit(family('late')), ClosedError);
  await a.store.close();
});
