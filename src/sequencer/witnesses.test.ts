// Cosigned checkpoints: the sequencer asks real witness servers, over HTTP, for cosignatures.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  COSIGNATURE_V1,
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  formatVerifierKey,
  generateKey,
  openCheckpoint,
  parseSignerKey,
  rawPublicKey,
  signerFromKey,
  verifierFromKey,
} from '../log/index.ts';
import { parseSubmission } from '../registry/index.ts';
import { MemoryStore } from '../store/index.ts';
import { buildWitnessApp, WitnessState } from '../witness/index.ts';
import { Sequencer } from './sequencer.ts';
import { parseWitnesses } from './witnesses.ts';

const origin = 'example.org/log';
const logSeed = new Uint8Array(32).fill(8);
const signer = ed25519Signer(origin, logSeed);
const logVerifier = ed25519Verifier(origin, rawPublicKey(ed25519PrivateKey(logSeed)));
const submission = parseSubmission({
  language: 'en',
  declarants: [{ name: 'w', nameKind: 'alias', orgs: ['party'] }],
});

/** Fresh witness servers: each remembers what it cosigned, so each test has its own. */
const running: Array<{ close(): Promise<void> }> = [];
async function startWitnesses(n: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const key = generateKey(`w${i}.example/witness`, COSIGNATURE_V1);
      const app = await buildWitnessApp({
        signer: signerFromKey(key.skey),
        logs: new Map([[origin, [logVerifier]]]),
        state: new WitnessState(':memory:'),
      });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      running.push(app);
      return { url, vkey: key.vkey, verifier: verifierFromKey(key.vkey) };
    }),
  );
}
after(() => Promise.all(running.map((a) => a.close())));

test('receipts and the published checkpoint carry both cosignatures', async () => {
  const witnesses = await startWitnesses(2);
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, {
    origin,
    signer,
    delayMs: 0,
    witnesses: {
      witnesses: witnesses.map((w) => ({ url: w.url, vkey: w.vkey })),
      quorum: 2,
      timeoutMs: 2000,
    },
  });
  for (let i = 0; i < 3; i++) {
    const [r] = await seq.submit(submission);
    assert.ok(r);
    const cp = openCheckpoint(
      r.checkpoint,
      [logVerifier, ...witnesses.map((w) => w.verifier)],
      origin,
    );
    assert.equal(cp.note.verified.length, 3, 'log signature and two cosignatures');
    assert.equal(
      (await store.state()).checkpoint,
      r.checkpoint,
      'the stored checkpoint is the cosigned one',
    );
  }
  await seq.close();
});

// The quorum timeout is 30 s and the test may take 10 s: if declarations waited for the dead
// witness, the test would time out.
test('a witness that is down never stops declarations', { timeout: 10_000 }, async () => {
  const witnesses = await startWitnesses(1);
  const down = {
    url: 'http://127.0.0.1:9',
    vkey: formatVerifierKey(
      'down.example/w',
      COSIGNATURE_V1,
      rawPublicKey(ed25519PrivateKey(new Uint8Array(32).fill(1))),
    ),
  };
  const store = new MemoryStore();
  const seq = await Sequencer.open(store, {
    origin,
    signer,
    delayMs: 0,
    witnesses: {
      witnesses: [down, { url: witnesses[0]?.url ?? '', vkey: witnesses[0]?.vkey ?? '' }],
      quorum: 2,
      timeoutMs: 30_000,
    },
  });
  for (let i = 0; i < 5; i++) {
    const [r] = await seq.submit(submission);
    assert.ok(r);
    const cp = openCheckpoint(
      r.checkpoint,
      [logVerifier, ...witnesses.map((w) => w.verifier)],
      origin,
    );
    assert.equal(cp.note.verified.length, 2, 'the log signature and the live witness');
  }
  await seq.close();
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
