// A log restored from an older copy, against a real witness that has cosigned more of it: the
// witness's 409 tells its size, refuseFork refuses, and at run time the publisher (which asks the
// witnesses at each publication) says so and counts it (stage "fork").
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pino from 'pino';
import {
  COSIGNATURE_V1,
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  generateKey,
  rawPublicKey,
  signerFromKey,
} from '../log/index.ts';
import { parseSubmission } from '../registry/index.ts';
import { MemoryStore } from '../store/index.ts';
import { buildWitnessApp, WitnessState } from '../witness/index.ts';
import { ForkError, refuseFork, witnessSightings } from './fork-guard.ts';
import { Publisher } from './publisher.ts';
import { Sequencer } from './sequencer.ts';
import { type Stage, telemetry } from './telemetry.ts';

const origin = 'fork.example/log';
const seed = new Uint8Array(32).fill(3);
const signer = ed25519Signer(origin, seed);
const witnessKey = generateKey('w.example/witness', COSIGNATURE_V1);
const app = await buildWitnessApp({
  signer: signerFromKey(witnessKey.skey),
  logs: new Map([[origin, [ed25519Verifier(origin, rawPublicKey(ed25519PrivateKey(seed)))]]]),
  state: new WitnessState(':memory:'),
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
after(() => app.close());
const witnesses = { witnesses: [{ url, vkey: witnessKey.vkey }], quorum: 1, timeoutMs: 5000 };
const submission = parseSubmission({
  language: 'en',
  declarants: [{ name: 'f', nameKind: 'alias', orgs: ['party'] }],
});

test('a witness that cosigned more than the store holds: refused at start, reported at run time', async () => {
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, { origin, signer, delayMs: 0 });
  for (let i = 0; i < 4; i++) await seq.submit(submission);
  // Witnesses cosign publications: this one shows them tree size 4.
  (await Publisher.start(store, { intervalMs: 0, witnesses })).close();
  await seq.close();
  const seen = await witnessSightings(
    witnesses.witnesses,
    (await store.state()).checkpoint ?? '',
    4,
  );
  assert.deepEqual(seen, [{ size: 4, by: `witness ${url}` }]);
  await refuseFork(store.readTiles, 4, seen); // the log as the witness saw it: fine

  // The same key over a store that holds one entry: a restore from an older copy.
  const restored = new MemoryStore();
  const lines: string[] = [];
  const failures: Stage[] = [];
  const again = await Sequencer.open(restored, { origin, signer, delayMs: 0 });
  await again.submit(submission);
  const publisher = await Publisher.start(restored, {
    intervalMs: 0,
    witnesses,
    telemetry: telemetry({
      logger: pino({}, { write: (s: string) => lines.push(s) }),
      metrics: { failure: (stage) => failures.push(stage) },
    }),
  });
  publisher.close();
  const state = await restored.state();
  const sightings = await witnessSightings(witnesses.witnesses, state.checkpoint ?? '', 1);
  assert.deepEqual(sightings, [{ size: 4, by: `witness ${url}` }]);
  await assert.rejects(
    refuseFork(restored.readTiles, state.treeSize, sightings),
    (e) =>
      e instanceof ForkError &&
      /witness .* has seen this log at tree size 4, but this database holds only 1 entries/.test(
        e.message,
      ),
  );
  await again.close();
  assert.ok(failures.includes('fork'), `counted: ${failures.join(', ')}`);
  assert.ok(
    lines.some((l) => /"stage":"fork".*has cosigned this log at tree size 4, beyond/.test(l)),
    lines.join(''),
  );
});
