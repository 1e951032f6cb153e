// `tuidang mirror`'s core: a directory that holds a verified copy of a log, its checkpoint
// published only after the copy verified and is consistent with what the mirror held before.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { declarations, type FileServer, serveDir, tmp, writeLog } from '../../test/log-dir.ts';
import { generateKey, verifierFromKey } from '../log/index.ts';
import { mirror, VERIFIER_FILE } from './mirror.ts';
import { DirSource } from './source.ts';
import { VerificationError, verifyLog } from './verify.ts';

const origin = 'mirror.example/log';
const key = generateKey(origin);
const logKeys = [verifierFromKey(key.vkey)];
const verifierCode = 'export const verifier = "tuidang";\n';
let served: string;
let server: FileServer;
before(async () => {
  served = await writeLog(tmp('served'), declarations(300), origin, key.skey);
  writeFileSync(join(served, 'vkey'), `${key.vkey}\n`);
  writeFileSync(join(served, VERIFIER_FILE), verifierCode);
  server = await serveDir(served);
});
after(() => server.close());

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

test('a new mirror, then the same log grown: copied, verified, published, incrementally', async () => {
  const dir = tmp('mirror');
  const first = await mirror(server.url, dir, { logKeys });
  assert.equal(first.previousSize, 0);
  assert.equal(first.checkpoint.treeSize, 300);
  assert.equal(read(dir, 'checkpoint'), read(served, 'checkpoint'));
  assert.equal(read(dir, 'vkey'), `${key.vkey}\n`);
  assert.equal(read(dir, VERIFIER_FILE), verifierCode);
  assert.equal(first.verifierSha256, createHash('sha256').update(verifierCode).digest('hex'));
  // The partial tiles too: the directory is a log any file server can serve.
  assert.equal(read(dir, 'tile/entries/001.p/44'), read(served, 'tile/entries/001.p/44'));
  assert.equal((await verifyLog(new DirSource(dir), { logKeys })).totals.entries, 300);

  await writeLog(served, declarations(600), origin, key.skey);
  server.hits.clear();
  const second = await mirror(server.url, dir, { logKeys });
  assert.equal(second.previousSize, 300);
  assert.equal(second.checkpoint.treeSize, 600);
  assert.equal(read(dir, 'checkpoint'), read(served, 'checkpoint'));
  assert.equal(
    server.hits.get('tile/entries/000'),
    undefined,
    'a full bundle is not fetched again',
  );
  assert.equal(server.hits.get('tile/entries/001'), 1);
  assert.equal((await verifyLog(new DirSource(dir), { logKeys })).totals.entries, 600);

  // The log rewrites its history under the same key: refused, and the mirror keeps its checkpoint.
  const before = read(dir, 'checkpoint');
  const fork = tmp('fork');
  await writeLog(
    fork,
    declarations(700, () => 'import'),
    origin,
    key.skey,
  );
  const forked = await serveDir(fork);
  try {
    await assert.rejects(mirror(forked.url, dir, { logKeys }), (e: unknown) => {
      assert.ok(e instanceof VerificationError, String(e));
      assert.match(e.message, /FORK: at tree size 600 /);
      return true;
    });
  } finally {
    await forked.close();
  }
  assert.equal(read(dir, 'checkpoint'), before);
});

test('a log that does not verify leaves a new mirror without a checkpoint', async () => {
  const bad = await writeLog(tmp('bad'), declarations(10), origin, key.skey);
  const other = generateKey(origin);
  const server = await serveDir(bad);
  try {
    const dir = tmp('refused');
    await assert.rejects(
      mirror(server.url, dir, { logKeys: [verifierFromKey(other.vkey)] }),
      VerificationError,
    );
    assert.equal(existsSync(join(dir, 'checkpoint')), false);
  } finally {
    await server.close();
  }
});

test('a plain log without key or verifier: none is copied; an unreadable checkpoint is a new mirror', async () => {
  const plain = await writeLog(tmp('plain'), declarations(3), origin, key.skey);
  const server = await serveDir(plain);
  try {
    const dir = tmp('plain-mirror');
    writeFileSync(join(dir, 'checkpoint'), 'not a checkpoint\n');
    const result = await mirror(server.url, dir, { logKeys });
    assert.equal(result.previousSize, 0);
    assert.equal(result.verifierSha256, undefined);
    assert.equal(existsSync(join(dir, 'vkey')), false);
    assert.equal(existsSync(join(dir, VERIFIER_FILE)), false);
    assert.equal(read(dir, 'checkpoint'), read(plain, 'checkpoint'));
  } finally {
    await server.close();
  }
});
