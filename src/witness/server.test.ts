// The witness against c2sp.org/tlog-witness, status code by status code.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  COSIGNATURE_V1,
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  formatAddCheckpoint,
  formatVerifierKey,
  integrate,
  newCosigner,
  openNote,
  proveConsistency,
  rawPublicKey,
  signCheckpoint,
  TileMap,
  verifierFromKey,
} from '../log/index.ts';
import { createLogger } from '../server/index.ts';
import { WitnessState } from '../store/index.ts';
import { buildWitnessApp } from './server.ts';

const seed = (n: number) => new Uint8Array(32).fill(n);
const origin = 'example.org/log';
const log = ed25519Signer(origin, seed(1));
const logVerifier = ed25519Verifier(origin, rawPublicKey(ed25519PrivateKey(seed(1))));
const witnessVkey = formatVerifierKey(
  'witness.example/w',
  COSIGNATURE_V1,
  rawPublicKey(ed25519PrivateKey(seed(9))),
);

// A log with checkpoints at several sizes, and a fork of it.
const tiles = new TileMap();
const roots: Uint8Array[] = [];
for (let n = 0; n < 40; n++) {
  const r = await integrate(tiles.readTiles, n, [new TextEncoder().encode(`e${n}`)]);
  tiles.apply(r.tiles);
  roots[n + 1] = r.root;
}
const forkTiles = new TileMap();
const fork = await integrate(
  forkTiles.readTiles,
  0,
  Array.from({ length: 30 }, (_, i) => new TextEncoder().encode(i === 3 ? 'evil' : `e${i}`)),
);
forkTiles.apply(fork.tiles);

const checkpoint = (size: number, root = roots[size] as Uint8Array, signer = log) =>
  signCheckpoint({ origin, treeSize: size, root }, signer);
const body = async (old: number, size: number, note = checkpoint(size), source = tiles) =>
  formatAddCheckpoint({
    oldSize: old,
    proof: old === 0 ? [] : await proveConsistency(source.readTiles, old, size),
    checkpoint: note,
  });

async function witnessApp(dir = ':memory:') {
  const state = new WitnessState(dir);
  const app = await buildWitnessApp({
    signer: newCosigner('witness.example/w', seed(9)),
    logs: new Map([[origin, [logVerifier]]]),
    state,
  });
  const post = (payload: string) =>
    app.inject({
      method: 'POST',
      url: '/add-checkpoint',
      payload,
      headers: { 'content-type': 'text/plain' },
    });
  return { app, state, post };
}

test('cosigns a first checkpoint, then consistent ones; the cosignature verifies', async () => {
  const { post } = await witnessApp();
  let res = await post(await body(0, 10));
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.body, /^\u2014 witness\.example\/w \S+\n$/);
  const cosigned = openNote(checkpoint(10) + res.body, [verifierFromKey(witnessVkey)]);
  assert.equal(cosigned.verified.length, 1);
  res = await post(await body(10, 25));
  assert.equal(res.statusCode, 200, res.body);
  res = await post(await body(25, 25));
  assert.equal(res.statusCode, 200, 'the same checkpoint again');
});

test('status codes: 404 unknown origin, 403 bad signature, 400 malformed, 409 stale old size, 422 bad proof', async () => {
  const { post } = await witnessApp();
  assert.equal((await post(await body(0, 20))).statusCode, 200);
  const other = ed25519Signer('other.example/log', seed(2));
  const cases: Array<[string, string, number]> = [
    [
      'unknown origin',
      await body(
        0,
        5,
        signCheckpoint(
          { origin: 'other.example/log', treeSize: 5, root: roots[5] as Uint8Array },
          other,
        ),
      ),
      404,
    ],
    [
      'signed by another key',
      await body(20, 30, checkpoint(30, roots[30], ed25519Signer(origin, seed(3)))),
      403,
    ],
    ['not a request', 'hello', 400],
    [
      'old size above the checkpoint',
      formatAddCheckpoint({ oldSize: 31, proof: [], checkpoint: checkpoint(30) }),
      400,
    ],
    [
      '64 proof lines',
      formatAddCheckpoint({
        oldSize: 20,
        proof: Array(64).fill(new Uint8Array(32)),
        checkpoint: checkpoint(30),
      }),
      400,
    ],
    ['old size not the recorded one', await body(10, 30), 409],
    [
      'a wrong proof',
      formatAddCheckpoint({
        oldSize: 20,
        proof: (await proveConsistency(tiles.readTiles, 20, 30)).reverse(),
        checkpoint: checkpoint(30),
      }),
      422,
    ],
    ['a fork, validly signed', await body(20, 30, checkpoint(30, fork.root), forkTiles), 422],
    [
      'same size, another root',
      formatAddCheckpoint({ oldSize: 20, proof: [], checkpoint: checkpoint(20, roots[21]) }),
      409,
    ],
  ];
  for (const [what, payload, status] of cases) {
    const res = await post(payload);
    assert.equal(res.statusCode, status, `${what}: ${res.body}`);
    if (status === 409) {
      assert.equal(res.headers['content-type'], 'text/x.tlog.size');
      assert.equal(res.body, '20\n');
    }
  }
  assert.equal((await post(await body(20, 30))).statusCode, 200, 'still cosigns the real log');
});

test('the recorded checkpoint survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-witness-'));
  let w = await witnessApp(dir);
  assert.equal((await w.post(await body(0, 12))).statusCode, 200);
  w.state.close();
  w = await witnessApp(dir);
  const res = await w.post(await body(0, 15));
  assert.equal(res.statusCode, 409);
  assert.equal(res.body, '12\n');
  assert.equal((await w.post(await body(12, 15))).statusCode, 200);
  w.state.close();
});

test('an unexpected error is logged through pino as one JSON line, without the request', async () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) });
  const state = new WitnessState(':memory:');
  const app = await buildWitnessApp({
    signer: newCosigner('witness.example/w', seed(9)),
    logs: new Map([[origin, [logVerifier]]]),
    state,
    logger,
  });
  state.close(); // the next update fails: not a refusal of the spec, an error of the witness
  const res = await app.inject({
    method: 'POST',
    url: '/add-checkpoint',
    payload: await body(0, 10),
    headers: { 'content-type': 'text/plain', 'x-forwarded-for': '198.51.100.23' },
    remoteAddress: '203.0.113.9',
  });
  assert.equal(res.statusCode, 500);
  assert.equal(res.body, 'internal error\n');
  assert.equal(lines.length, 1, lines.join(''));
  const line = JSON.parse(lines[0] as string) as { level: number; service: string; msg: string };
  assert.equal(line.level, 50, 'error');
  assert.equal(line.service, 'tuidang');
  assert.match(line.msg, /^witness: unexpected error: /);
  assert.doesNotMatch(lines[0] as string, /203\.0\.113\.9|198\.51\.100\.23|add-checkpoint/);
});
