// Witnesses cosign publications, not commits: real witness servers, over HTTP, asked by the
// publisher at publication instants only, so that no cosignature dates a commit. A required quorum
// withholds a publication without it; a best-effort one publishes with what arrived. In a cluster
// (PostgreSQL) the node that publishes records the publication and another serves the same one.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pino from 'pino';
import { ManualClock } from '../../test/clock.ts';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import {
  COSIGNATURE_V1,
  cosignatureTime,
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  formatVerifierKey,
  generateKey,
  openCheckpoint,
  openNote,
  parseSignerKey,
  rawPublicKey,
  signerFromKey,
  verifierFromKey,
} from '../log/index.ts';
import { parseSubmission } from '../registry/index.ts';
import { MemoryStore, PostgresStore, type Store } from '../store/index.ts';
import { buildWitnessApp, WitnessState } from '../witness/index.ts';
import { Publisher } from './publisher.ts';
import { Sequencer } from './sequencer.ts';
import { telemetry } from './telemetry.ts';
import { parseWitnesses, type WitnessesOptions } from './witnesses.ts';

const origin = 'example.org/log';
const logSeed = new Uint8Array(32).fill(8);
const signer = ed25519Signer(origin, logSeed);
const logVerifier = ed25519Verifier(origin, rawPublicKey(ed25519PrivateKey(logSeed)));
const submission = parseSubmission({
  language: 'en',
  declarants: [{ name: 'w', nameKind: 'alias', orgs: ['party'] }],
});
const silent = pino({ level: 'silent' });

/**
 * Fresh witness servers: each remembers what it cosigned, so each test has its own. `now` is the
 * witnesses' clock (POSIX seconds); `requests` counts the checkpoints each was asked to cosign.
 */
const running: Array<{ close(): Promise<void> }> = [];
async function startWitnesses(n: number, now?: () => number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const key = generateKey(`w${i}.example/witness`, COSIGNATURE_V1);
      const app = await buildWitnessApp({
        signer: signerFromKey(key.skey, now),
        logs: new Map([[origin, [logVerifier]]]),
        state: new WitnessState(':memory:'),
      });
      const witness = { url: '', vkey: key.vkey, verifier: verifierFromKey(key.vkey), requests: 0 };
      app.addHook('onRequest', async () => {
        witness.requests++;
      });
      witness.url = await app.listen({ port: 0, host: '127.0.0.1' });
      running.push(app);
      return witness;
    }),
  );
}
after(() => Promise.all(running.map((a) => a.close())));

const down = {
  url: 'http://127.0.0.1:9',
  vkey: formatVerifierKey(
    'down.example/w',
    COSIGNATURE_V1,
    rawPublicKey(ed25519PrivateKey(new Uint8Array(32).fill(1))),
  ),
};

function options(
  witnesses: ReadonlyArray<{ url: string; vkey: string }>,
  more: Partial<WitnessesOptions> = {},
): WitnessesOptions {
  return {
    witnesses: witnesses.map((w) => ({ url: w.url, vkey: w.vkey })),
    quorum: witnesses.length,
    timeoutMs: 2000,
    ...more,
  };
}

/** The cosignature timestamps of a checkpoint, of the witnesses given. */
function cosignatureTimes(
  checkpoint: string | undefined,
  witnesses: ReadonlyArray<{ verifier: ReturnType<typeof verifierFromKey> }>,
): number[] {
  const opened = openNote(
    checkpoint ?? '',
    witnesses.map((w) => w.verifier),
  );
  return opened.verified.map((s) => cosignatureTime(s));
}

test('witnesses cosign publications only: every cosignature is dated at a publication instant, whatever the second of the declaration', async () => {
  const intervalMs = 10_000;
  const t0 = 1_800_000_000_000; // a multiple of the interval
  const clock = new ManualClock(t0);
  const witnesses = await startWitnesses(2, () => Math.floor(clock.now() / 1000));
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, { origin, signer, delayMs: 0, logger: silent });
  const publisher = await Publisher.start(store, {
    intervalMs,
    clock,
    witnesses: options(witnesses),
    telemetry: telemetry({ logger: silent }),
  });
  const asked = () => witnesses.map((w) => w.requests);
  assert.deepEqual(asked(), [0, 0], 'the first start publishes the empty log at once, uncosigned');
  const times = new Set<number>();
  const published: number[] = [];
  // Declarations at 3, 4.5, 6, 7.5 and 9 s into successive intervals, two in the last one.
  for (const [k, offsets] of [[3000], [4500], [6000, 7500], [9000]].entries()) {
    const instant = t0 + k * intervalMs;
    for (const offset of offsets) {
      await clock.advance(instant + offset - clock.now());
      const [receipt] = await seq.submit(submission);
      assert.ok(receipt);
      const own = openCheckpoint(receipt.checkpoint, [logVerifier], origin);
      assert.equal(own.note.signatures.length, 1, 'a receipt waits for no witness: no cosignature');
    }
    const before = asked();
    await clock.advance(instant + intervalMs - clock.now()); // the next instant: publication
    await publisher.publish(); // waits for the scheduled one (same size again: nothing to cosign)
    assert.deepEqual(
      asked(),
      before.map((n) => n + 1),
      'each witness asked once per publication, never per commit',
    );
    const state = await publisher.published();
    published.push(state.treeSize);
    const stamps = cosignatureTimes(state.checkpoint, witnesses);
    assert.equal(stamps.length, 2, 'the published checkpoint carries both cosignatures');
    for (const s of stamps) {
      assert.equal(s * 1000, instant + intervalMs, 'dated at the publication instant');
      times.add(s);
    }
    assert.equal(
      (await store.state()).checkpoint,
      state.checkpoint,
      'the store keeps the cosigned one',
    );
  }
  assert.deepEqual(published, [1, 2, 4, 5]);
  for (const s of times) assert.equal((s * 1000) % intervalMs, 0, `${s} is a publication instant`);
  assert.deepEqual(
    store.checkpointSizes(),
    [0, 1, 2, 4, 5],
    'no commit between publications is kept',
  );
  publisher.close();
  await seq.close();
});

test('a timer that fires a millisecond early by the wall clock still publishes at its instant', async () => {
  const intervalMs = 10_000;
  const t0 = 1_800_000_000_000; // a multiple of the interval
  const clock = new ManualClock(t0 + 2000);
  const early = { now: clock.now, after: (ms: number, f: () => void) => clock.after(ms - 1, f) };
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, { origin, signer, delayMs: 0, logger: silent });
  const publisher = await Publisher.start(store, {
    intervalMs,
    clock: early,
    telemetry: telemetry({ logger: silent }),
  });
  assert.equal(publisher.status().at, t0 / 1000, 'the first start: the instant it falls in');
  await seq.submit(submission);
  await clock.advance(t0 + intervalMs - clock.now());
  assert.equal((await publisher.published()).treeSize, 1);
  assert.equal(publisher.status().at, (t0 + intervalMs) / 1000, 'the instant scheduled');
  publisher.close();
  await seq.close();
});

test('a required quorum: no publication without it, said in the log, a metric and the status', async () => {
  const [live] = await startWitnesses(1);
  assert.ok(live);
  const clock = new ManualClock(1_800_000_000_000);
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, { origin, signer, delayMs: 0, logger: silent });
  const lines: Array<Record<string, unknown>> = [];
  const outcomes: string[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  const publisher = await Publisher.start(store, {
    intervalMs: 60_000,
    clock,
    witnesses: options([down, live], { quorum: 2, required: 2, timeoutMs: 500 }),
    telemetry: telemetry({ logger, metrics: { publication: (o) => outcomes.push(o) } }),
  });
  assert.equal((await publisher.published()).treeSize, 0, 'a first start publishes at once');
  assert.equal(publisher.status().current, true);
  await seq.submit(submission);
  await clock.advance(60_000);
  await publisher.publish();
  assert.equal((await publisher.published()).treeSize, 0, 'withheld: the public log stays');
  assert.equal((await store.publication())?.treeSize, 0);
  assert.equal(publisher.status().withheld, true);
  assert.equal(publisher.status().current, false, 'a readiness probe sees it');
  assert.deepEqual(outcomes, ['published', 'withheld', 'withheld']);
  const line = lines.find((l) => l.stage === 'quorum');
  assert.ok(line, JSON.stringify(lines));
  assert.match(String(line.msg), /1 of the 2 required witness cosignatures arrived/);
  publisher.close();

  // Best effort (required 1 of 2): published with the one cosignature that came.
  const lenient = await Publisher.start(store, {
    intervalMs: 60_000,
    clock,
    witnesses: options([down, live], { quorum: 2, required: 1, timeoutMs: 500 }),
    telemetry: telemetry({ logger: silent }),
  });
  assert.equal((await lenient.published()).treeSize, 0, 'a restart serves the last publication');
  await clock.advance(60_000);
  await lenient.publish();
  const state = await lenient.published();
  assert.equal(state.treeSize, 1);
  assert.equal(cosignatureTimes(state.checkpoint, [live]).length, 1);
  assert.deepEqual(lenient.status(), {
    treeSize: 1,
    at: Math.floor(clock.now() / 1000),
    withheld: false,
    current: true,
  });
  lenient.close();
  await seq.close();
});

// The quorum timeout is 30 s and the test may take 10 s: if declarations or a best-effort
// publication waited for the dead witness, the test would time out.
test('a witness that is down never stops declarations nor a best-effort publication', {
  timeout: 10_000,
}, async () => {
  const [live] = await startWitnesses(1);
  assert.ok(live);
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, { origin, signer, delayMs: 0, logger: silent });
  const clock = new ManualClock(1_800_000_000_000);
  const publisher = await Publisher.start(store, {
    intervalMs: 60_000,
    clock,
    witnesses: options([down, live], { quorum: 2, timeoutMs: 30_000 }),
    telemetry: telemetry({ logger: silent }),
  });
  for (let i = 0; i < 5; i++) assert.ok((await seq.submit(submission))[0]);
  await clock.advance(60_000);
  await publisher.publish();
  const state = await publisher.published();
  assert.equal(state.treeSize, 5);
  const cp = openCheckpoint(state.checkpoint ?? '', [logVerifier, live.verifier], origin);
  assert.equal(cp.note.verified.length, 2, 'the log signature and the live witness');
  publisher.close();
  await seq.close();
});

test('in a cluster, the node that does not sequence serves the checkpoint the other published, from the same instant', async () => {
  const [w] = await startWitnesses(1);
  assert.ok(w);
  const schema = freshSchema();
  const stores: Store[] = [
    new PostgresStore(postgresUrl, { schema }),
    new PostgresStore(postgresUrl, { schema }),
  ];
  const [leaderStore, otherStore] = stores as [Store, Store];
  const seq = await Sequencer.open(leaderStore, { origin, signer, delayMs: 0, logger: silent });
  const intervalMs = 1000;
  const start = (store: Store, leads: boolean) =>
    Publisher.start(store, {
      intervalMs,
      witnesses: options([w]),
      leads: () => leads,
      telemetry: telemetry({ logger: silent }),
    });
  const leader = await start(leaderStore, true);
  const other = await start(otherStore, false);
  assert.equal((await other.published()).checkpoint, (await leader.published()).checkpoint);
  for (let i = 0; i < 3; i++) await seq.submit(submission);
  // Wait for a publication that holds them, then for the other node to adopt it.
  for (let i = 0; i < 100 && (await leader.published()).treeSize < 3; i++)
    await new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < 100 && other.status().at !== leader.status().at; i++)
    await new Promise((r) => setTimeout(r, 20));
  const [a, b] = [await leader.published(), await other.published()];
  assert.equal(a.treeSize, 3);
  assert.equal(b.checkpoint, a.checkpoint, 'the same cosigned checkpoint on both nodes');
  assert.deepEqual(b.totals, a.totals);
  assert.equal(other.status().at, leader.status().at, 'published at the same instant');
  assert.equal((other.status().at * 1000) % intervalMs, 0);
  assert.equal(cosignatureTimes(b.checkpoint, [w]).length, 1);
  leader.close();
  other.close();
  await seq.close();
  await Promise.all(stores.map((s) => s.close()));
});

test('TUIDANG_WITNESSES is "URL VKEY" pairs; a log key or a bad URL is refused with a reason', async () => {
  const [w] = await startWitnesses(1);
  assert.ok(w);
  assert.deepEqual(parseWitnesses(`${w.url}/ ${w.vkey}; `), [{ url: w.url, vkey: w.vkey }]);
  const logKey = generateKey('example.org/log').vkey;
  assert.throws(() => parseWitnesses(`${w.url} ${logKey}`), /not a cosignature\/v1 key/);
  assert.throws(() => parseWitnesses(`ftp://x ${w.vkey}`), /URL VKEY/);
  assert.equal(
    parseSignerKey(generateKey('a.example/w', COSIGNATURE_V1).skey).type,
    COSIGNATURE_V1,
  );
});
