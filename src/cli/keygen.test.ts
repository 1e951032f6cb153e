import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import {
  openNote,
  parseSignerKey,
  signerFromKey,
  signNote,
  verifierFromKey,
} from '../log/index.ts';

const run = promisify(execFile);
const cli = new URL('../../bin/tuidang.js', import.meta.url).pathname;

test('keygen writes a 0600 signer key and prints the matching verifier key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-keygen-'));
  const out = join(dir, 'log.key');
  const { stdout } = await run(process.execPath, [
    cli,
    'keygen',
    '--name',
    'example.org/log',
    '--out',
    out,
  ]);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  const skey = readFileSync(out, 'utf8');
  assert.equal(parseSignerKey(skey).name, 'example.org/log');
  const note = signNote('hello\n', [signerFromKey(skey)]);
  assert.equal(openNote(note, [verifierFromKey(stdout.trim())]).verified.length, 1);
  await assert.rejects(
    run(process.execPath, [cli, 'keygen', '--out', out]),
    (e: { code: number; stderr: string }) => e.code === 2 && /exists/.test(e.stderr),
  );
});

test('bad options and names get a one-line reason and exit code 2, no stack trace', async () => {
  for (const args of [['keygen', '--bogus'], ['keygen', '--name', 'has space'], ['nonsense']]) {
    await assert.rejects(
      run(process.execPath, [cli, ...args]),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 2);
        assert.doesNotMatch(e.stderr, /\n\s+at /);
        return true;
      },
    );
  }
});
