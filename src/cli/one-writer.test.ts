// One writer per SQLite data directory, and one key per log: what an operator who starts a second
// process, or starts with another key, is told, and that the registry that serves goes on.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../test/cli.ts';
import { startServer } from '../../test/server-process.ts';
import { generateKey } from '../log/index.ts';

const declare = (url: string, name: string) =>
  fetch(`${url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'en',
      declarants: [{ name, nameKind: 'alias', orgs: ['party'] }],
    }),
  });

test('a second serve, an import or admin void on a served data directory is refused at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-one-writer-'));
  const env = { DATA_DIR: dir, TUIDANG_ORIGIN: 'one.example/log', HOME: dir };
  const first = await startServer(env);
  try {
    assert.equal((await declare(first.url, 'a')).status, 201);
    // Refused at once: it exits instead of waiting for the lock (a wait would hang this test).
    const second = await runCli({ ...env, PORT: '0', TUIDANG_POW: 'off' }, 'serve');
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /another tuidang process .* is writing the registry in /);
    assert.match(second.stderr, /tuidang\.lock/);
    assert.equal(second.stderr.trim().split('\n').length, 1, second.stderr);

    const voided = await runCli(env, 'admin', 'void', '0', '--reason', 'test');
    assert.equal(voided.code, 1, voided.stderr);
    assert.match(voided.stderr, /administrators void entries on its page \/staff\/void/);

    const records = join(dir, 'history.ndjson');
    writeFileSync(records, '{"day":"2009-05-01","orgs":["party"]}\n');
    const imported = await runCli(env, 'import', records);
    assert.equal(imported.code, 1, imported.stderr);
    assert.match(imported.stderr, /stop tuidang serve first/);

    // The first one went on serving and sequencing: nothing of the refused commands was written.
    assert.equal((await declare(first.url, 'b')).status, 201);
    const stats = (await (await fetch(`${first.url}/api/v1/stats`)).json()) as { total: number };
    assert.equal(stats.total, 2);
  } finally {
    await first.kill('SIGTERM');
  }
  // Once it stopped, the lock is free again.
  const voided = await runCli(env, 'admin', 'void', '0', '--reason', 'test');
  assert.equal(voided.code, 0, voided.stderr);
});

test('serve with another key on an existing log exits, naming the key it expected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-one-key-'));
  const origin = 'key.example/log';
  const env = { DATA_DIR: dir, TUIDANG_ORIGIN: origin, HOME: dir };
  const server = await startServer(env);
  const vkey = /log verifier key: ([^\s"]+)/.exec(server.output())?.[1] as string;
  assert.equal((await declare(server.url, 'a')).status, 201);
  await server.kill('SIGTERM');

  // The key file moved away: no new key is made and used on the existing log.
  renameSync(join(dir, 'log.key'), join(dir, 'log.key.moved'));
  const lost = await runCli({ ...env, PORT: '0' }, 'serve');
  assert.equal(lost.code, 2, lost.stderr);
  assert.match(lost.stderr, new RegExp(`this log is signed by the key ${literal(vkey)}, but`));
  assert.match(lost.stderr, /restore log\.key from its offline backup/);
  assert.match(lost.stderr, /tuidang admin rotate-key/);

  // Another key of the same origin, by environment, or by file (the *_FILE form).
  const other = generateKey(origin);
  for (const given of [
    { TUIDANG_SIGNER_KEY: other.skey },
    { TUIDANG_SIGNER_KEY_FILE: keyFile(dir, other.skey) },
  ]) {
    const res = await runCli({ ...env, ...given, PORT: '0' }, 'serve');
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, new RegExp(`signed by the key ${literal(vkey)}`));
    const voided = await runCli({ ...env, ...given }, 'admin', 'void', '0', '--reason', 'test');
    assert.equal(voided.code, 2, voided.stderr);
    assert.match(voided.stderr, new RegExp(`signed by the key ${literal(vkey)}`));
  }
  // Another origin with its own key: a new log's name on this one is refused too.
  const renamed = generateKey('renamed.example/log');
  const res = await runCli(
    { ...env, TUIDANG_ORIGIN: 'renamed.example/log', TUIDANG_SIGNER_KEY: renamed.skey, PORT: '0' },
    'serve',
  );
  assert.equal(res.code, 2, res.stderr);
  assert.match(
    res.stderr,
    /this log's origin is "key\.example\/log".*TUIDANG_ORIGIN is "renamed\.example\/log": a log's origin never changes/,
  );

  // The right key, given as a file, serves the log again.
  renameSync(join(dir, 'log.key.moved'), join(dir, 'kept.key'));
  const back = await startServer({ ...env, TUIDANG_SIGNER_KEY_FILE: join(dir, 'kept.key') });
  try {
    assert.match(back.output(), new RegExp(`log verifier key: ${literal(vkey)}`));
    assert.equal((await declare(back.url, 'b')).status, 201);
  } finally {
    await back.kill('SIGTERM');
  }
});

test('secrets as files: NAME_FILE is read, NAME and NAME_FILE together are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-secret-files-'));
  const token = keyFile(dir, 'a-metrics-token-of-32-characters');
  const server = await startServer({
    DATA_DIR: dir,
    HOME: dir,
    METRICS_TOKEN_FILE: token,
    TUIDANG_SIGNER_KEY_FILE: keyFile(dir, generateKey('localhost/tuidang').skey),
  });
  try {
    const res = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer a-metrics-token-of-32-characters' },
    });
    assert.equal(res.status, 200);
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer another-token-of-32-characters!!' },
    });
    assert.notEqual(wrong.status, 200);
  } finally {
    await server.kill('SIGTERM');
  }
  for (const [env, message] of [
    [{ METRICS_TOKEN: 'x'.repeat(20), METRICS_TOKEN_FILE: token }, /both set/],
    [{ DATABASE_URL_FILE: join(dir, 'missing') }, /DATABASE_URL_FILE=.* cannot be read \(ENOENT\)/],
  ] as const) {
    const res = await runCli({ DATA_DIR: dir, PORT: '0', ...env }, 'serve');
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, message);
  }
});

function keyFile(dir: string, secret: string): string {
  const path = join(dir, `secret-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, `${secret}\n`);
  chmodSync(path, 0o600);
  return path;
}

function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

test('rotate-key, the key lost: the old log closed into a mirror that verifies, a key for the new one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-rotate-'));
  const env = {
    DATA_DIR: join(dir, 'data'),
    TUIDANG_ORIGIN: 'old.example/log',
    XDG_CONFIG_HOME: join(dir, 'c'),
    XDG_CACHE_HOME: join(dir, 'k'),
  };
  const server = await startServer(env);
  const vkey = /log verifier key: ([^\s"]+)/.exec(server.output())?.[1] as string;
  await declare(server.url, 'a');
  const receipt = join(dir, 'receipt.json');
  writeFileSync(receipt, JSON.stringify(await (await declare(server.url, 'b')).json()));
  await server.kill('SIGTERM');
  rmSync(join(env.DATA_DIR, 'log.key')); // lost

  const archive = join(dir, 'old-log');
  const newKey = join(dir, 'new.key');
  const rotate = (...more: string[]) =>
    runCli(env, 'admin', 'rotate-key', '--archive', archive, '--out', newKey, ...more);
  assert.equal((await rotate('--origin', 'old.example/log')).code, 2, 'a new origin is needed');
  const rotated = await rotate('--origin', 'new.example/log');
  assert.equal(rotated.code, 0, rotated.stderr);
  assert.match(rotated.stdout, /its final checkpoint:\n\nold\.example\/log\n2\n/);
  assert.equal(statSync(newKey).mode & 0o777, 0o600);

  const verified = await runCli(env, 'verify', archive, '--vkey', vkey);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  const kept = await runCli(env, 'verify', '--receipt', receipt, '--log', archive);
  assert.equal(kept.code, 0, kept.stdout + kept.stderr);

  const fresh = await startServer({
    ...env,
    DATA_DIR: join(dir, 'data2'),
    TUIDANG_ORIGIN: 'new.example/log',
    TUIDANG_SIGNER_KEY_FILE: newKey,
  });
  try {
    assert.match(fresh.output(), /log verifier key: new\.example\/log\+/);
  } finally {
    await fresh.kill('SIGTERM');
  }
});
