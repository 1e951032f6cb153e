// The disaster-recovery runbook of docs/operations.md ("Database lost"), walked through: backup at
// 3 entries, 3 more published and mirrored and seen by a verifier and a witness, the database
// restored from the backup. The registry then refuses to start (it would fork the log), `tuidang
// recover --from <mirror>` brings the tail back, and afterwards the verifier that saw 6 entries
// finds the log consistent, a receipt of the lost tail verifies and the witness cosigns again.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../../test/cli.ts';
import { startServer } from '../../test/server-process.ts';
import { COSIGNATURE_V1, generateKey, signerFromKey, verifierFromKey } from '../log/index.ts';
import { DATABASE_FILE } from '../store/index.ts';
import { buildWitnessApp, WitnessState } from '../witness/index.ts';

const origin = 'dr.example/log';
const root = mkdtempSync(join(tmpdir(), 'tuidang-recover-'));
const dataDir = join(root, 'data');
const logKey = generateKey(origin);
const witnessKey = generateKey('witness.example/w', COSIGNATURE_V1);
const witness = await buildWitnessApp({
  signer: signerFromKey(witnessKey.skey),
  logs: new Map([[origin, [verifierFromKey(logKey.vkey)]]]),
  state: new WitnessState(':memory:'),
});
const witnessUrl = await witness.listen({ port: 0, host: '127.0.0.1' });
after(() => witness.close());

const keyFile = join(root, 'log.key');
writeFileSync(keyFile, `${logKey.skey}\n`, { mode: 0o600 });
const env = {
  DATA_DIR: dataDir,
  TUIDANG_ORIGIN: origin,
  TUIDANG_SIGNER_KEY_FILE: keyFile,
  TUIDANG_WITNESSES: `${witnessUrl} ${witnessKey.vkey}`,
  XDG_CONFIG_HOME: join(root, 'config'),
  XDG_CACHE_HOME: join(root, 'cache'),
};
const tuidang = (...args: string[]) => runCli(env, ...args);

async function declare(url: string, name: string): Promise<unknown> {
  const res = await fetch(`${url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'en',
      declarants: [{ name, nameKind: 'alias', orgs: ['league'] }],
    }),
  });
  assert.equal(res.status, 201);
  return res.json();
}

test('database lost: restore the backup, recover the tail from a mirror, nothing forks', async () => {
  const backup = join(root, 'backup.db');
  const mirrorDir = join(root, 'mirror');
  const receiptFile = join(root, 'receipt.json');

  let server = await startServer(env);
  try {
    for (const name of ['a', 'b', 'c']) await declare(server.url, name);
    const saved = await tuidang('backup', backup);
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(statSync(backup).mode & 0o777, 0o600, 'the backup is private');
    await declare(server.url, 'd');
    writeFileSync(receiptFile, JSON.stringify(await declare(server.url, 'e')));
    await declare(server.url, 'f');
    const mirrored = await tuidang('mirror', server.url, mirrorDir);
    assert.equal(mirrored.code, 0, mirrored.stderr);
    const seen = await tuidang('verify', server.url);
    assert.equal(seen.code, 0, seen.stdout + seen.stderr);
  } finally {
    await server.kill('SIGTERM');
  }

  // The database is lost; the backup of 3 entries takes its place.
  for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`])
    rmSync(join(dataDir, f), { force: true });
  copyFileSync(backup, join(dataDir, DATABASE_FILE));

  // The registry will not go on from 3: the witness has cosigned 6, and so has the mirror's copy.
  for (const [extra, by] of [
    [{}, new RegExp(`witness ${witnessUrl} has seen this log at tree size 6`)],
    [{ TUIDANG_MIRROR: mirrorDir, TUIDANG_WITNESSES: '' }, /the mirror .* at tree size 6/],
  ] as const) {
    const refused = await runCli({ ...env, ...extra, PORT: '0', TUIDANG_POW: 'off' }, 'serve');
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, by);
    assert.match(refused.stderr, /holds only 3 entries.*Run tuidang recover --from/);
  }

  const recovered = await tuidang('recover', '--from', mirrorDir);
  assert.equal(recovered.code, 0, recovered.stderr);
  assert.match(recovered.stdout, /recovered entries 3 to 5 \(3 entries, 0 of them voids\)/);
  assert.match(recovered.stdout, /names and statements .* idempotency records/);
  const again = await tuidang('recover', '--from', mirrorDir);
  assert.match(again.stdout, /nothing to recover/);

  server = await startServer({ ...env, TUIDANG_MIRROR: mirrorDir });
  try {
    // The verifier that saw 6 entries finds the same log, and the lost tail's receipt verifies.
    const consistent = await tuidang('verify', server.url);
    assert.equal(consistent.code, 0, consistent.stdout + consistent.stderr);
    const receipt = await tuidang('verify', '--receipt', receiptFile, '--log', server.url);
    assert.equal(receipt.code, 0, receipt.stdout + receipt.stderr);
    // The witness cosigns what comes next.
    await declare(server.url, 'g');
    const checkpoint = await (await fetch(`${server.url}/log/checkpoint`)).text();
    assert.match(checkpoint, /^7$/m);
    assert.match(checkpoint, /^\u2014 witness\.example\/w /m);
    assert.doesNotMatch(server.output(), /"stage":"fork"/);
  } finally {
    await server.kill('SIGTERM');
  }
});

test('a copy of another history is refused and nothing is written', async () => {
  // A second log under the same key (what a stolen key makes possible): recover must not take it.
  const otherDir = join(root, 'other');
  const other = await startServer({ ...env, DATA_DIR: otherDir, TUIDANG_WITNESSES: '' });
  try {
    for (const name of ['x', 'y', 'z', 'w', 'v', 'u', 't', 's']) await declare(other.url, name);
    const res = await tuidang('recover', '--from', other.url);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /different histories \(a fork\)/);
  } finally {
    await other.kill('SIGTERM');
  }
  const server = await startServer(env);
  try {
    const stats = (await (await fetch(`${server.url}/api/v1/stats`)).json()) as {
      treeSize: number;
    };
    assert.equal(stats.treeSize, 7, 'the log as it was');
  } finally {
    await server.kill('SIGTERM');
  }
});
