// Settings of the staff's second factor: volunteers need one unless the operator says otherwise.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadSignerKey, readConfig } from './config.ts';

test('TUIDANG_VOLUNTEER_2FA: required by default, optional on request, anything else refused', () => {
  assert.equal(readConfig({}).volunteerSecondFactor, true);
  assert.equal(readConfig({ TUIDANG_VOLUNTEER_2FA: 'required' }).volunteerSecondFactor, true);
  assert.equal(readConfig({ TUIDANG_VOLUNTEER_2FA: 'optional' }).volunteerSecondFactor, false);
  assert.throws(
    () => readConfig({ TUIDANG_VOLUNTEER_2FA: 'off' }),
    (e: unknown) => e instanceof ConfigError && /must be required or optional/.test(e.message),
  );
});

test('the signing key: made once in the data directory (0600), and written nowhere for an in-memory store', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-key-'));
  const cwd = process.cwd();
  t.after(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });
  process.chdir(dir);
  const memory = readConfig({ DATA_DIR: ':memory:', TUIDANG_ORIGIN: 'key.example/log' });
  const a = loadSignerKey(memory);
  const b = loadSignerKey(memory);
  assert.equal(a.created, true);
  assert.match(a.skey, /^PRIVATE\+KEY\+key\.example\/log\+/);
  assert.notEqual(a.skey, b.skey, 'each in-memory log has a key of its own');
  assert.deepEqual(readdirSync(dir), [], 'no :memory: directory with a private key in it');

  const onDisk = readConfig({ DATA_DIR: join(dir, 'data'), TUIDANG_ORIGIN: 'key.example/log' });
  const first = loadSignerKey(onDisk);
  const again = loadSignerKey(onDisk);
  assert.equal(first.created, true);
  assert.equal(again.created, false);
  assert.equal(again.skey, first.skey);
  assert.equal(statSync(join(dir, 'data', 'log.key')).mode & 0o777, 0o600);
  assert.equal(existsSync(join(dir, 'data', 'log.key')), true);
});
