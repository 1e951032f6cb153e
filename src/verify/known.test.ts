// What a verifier remembers between runs (known.ts): each log by origin and key, the sources it
// was read from, and which key a new run trusts. Trusting the wrong remembered key would let a
// log that changed its key, or another registry of the same origin, pass as the one checked before.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TuidangError } from '../errors/index.ts';
import { generateKey } from '../log/index.ts';
import { configDir, KnownLogs } from './known.ts';
import { progressBar } from './progress.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'tuidang-known-'));
const a = generateKey('a.example/log').vkey;
const a2 = generateKey('a.example/log').vkey;
const b = generateKey('b.example/log').vkey;

test('configDir: XDG_CONFIG_HOME, else ~/.config', () => {
  assert.equal(configDir({ XDG_CONFIG_HOME: '/x' }), '/x/tuidang');
  assert.equal(configDir({ XDG_CONFIG_HOME: '' }), join(homedir(), '.config', 'tuidang'));
  assert.equal(configDir({}), join(homedir(), '.config', 'tuidang'));
});

test('remembered logs: by key, with every source, kept in logs.json for the next run', async () => {
  const d = dir();
  const known = await KnownLogs.load(d);
  assert.equal(known.file, join(d, 'logs.json'));
  assert.deepEqual(known.find('a.example/log'), [], 'nothing known yet');
  assert.equal(known.get(a), undefined);
  await known.set({ vkey: a, verified: { size: 5, root: 'r5' } }, 'https://a.example');
  await known.set({ vkey: a, verified: { size: 9, root: 'r9' } }, '/mirror/a');
  await known.set({ vkey: a, verified: { size: 9, root: 'r9' }, sources: ['https://old.example'] });
  await known.set({ vkey: b }, 'https://b.example');
  const again = await KnownLogs.load(d);
  assert.deepEqual(again.get(a), {
    vkey: a,
    verified: { size: 9, root: 'r9' },
    sources: ['https://a.example', '/mirror/a', 'https://old.example'],
  });
  assert.deepEqual(
    again.find('b.example/log').map((l) => l.vkey),
    [b],
  );
  assert.deepEqual(again.find('example/log'), [], 'an origin is matched whole');
  assert.match(readFileSync(join(d, 'logs.json'), 'utf8'), /^\{\n {2}"a\.example/);
});

test('the key to trust: the one of this source, else the one the log publishes if known, else the only one', async () => {
  const known = await KnownLogs.load(dir());
  assert.equal(known.keyFor('a.example/log', 'https://a.example', undefined), undefined);
  await known.set({ vkey: a }, 'https://a.example');
  // A source seen before keeps its key, whatever it publishes now: a new key fails, as it must.
  assert.equal(known.keyFor('a.example/log', 'https://a.example', a2), a);
  // Another source: the key it publishes only if that key is remembered; the only one known.
  assert.equal(known.keyFor('a.example/log', '/mirror', a), a);
  assert.equal(known.keyFor('a.example/log', '/mirror', undefined), a);
  assert.equal(
    known.keyFor('a.example/log', '/mirror', a2),
    undefined,
    'an unknown key is not trusted',
  );
  // Two logs of one origin: a source that publishes no key gets neither.
  await known.set({ vkey: a2 }, 'https://a2.example');
  assert.equal(known.keyFor('a.example/log', '/mirror', undefined), undefined);
  assert.equal(known.keyFor('a.example/log', '/mirror', a2), a2);
  assert.equal(known.keyFor('a.example/log', 'https://a2.example', undefined), a2);
  assert.equal(known.keyFor('b.example/log', 'https://a.example', undefined), undefined);
});

test('an older file kept by origin is read by key; an unreadable one is an error that names it', async () => {
  const d = dir();
  writeFileSync(
    join(d, 'logs.json'),
    JSON.stringify({
      'a.example/log': { vkey: a, verified: { size: 3, root: 'r' } },
      junk: null,
      odd: {},
    }),
  );
  const known = await KnownLogs.load(d);
  assert.deepEqual(known.get(a), { vkey: a, verified: { size: 3, root: 'r' } });
  assert.equal(known.find('a.example/log').length, 1, 'the entries without a key are dropped');
  const broken = dir();
  mkdirSync(join(broken, 'logs.json'));
  await assert.rejects(KnownLogs.load(broken), (e: unknown) => {
    assert.ok(e instanceof TuidangError);
    assert.match((e as Error).message, new RegExp(`^cannot read ${join(broken, 'logs.json')}: `));
    return true;
  });
  assert.ok(statSync(join(broken, 'logs.json')).isDirectory());
});

/** A stream that keeps what is written to it, a terminal or not. */
function stream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const write = (s: string) => written.push(s);
  return { stream: { isTTY, write } as unknown as NodeJS.WriteStream, written };
}

test('the progress line: only on a terminal, at most ten a second, the last always drawn', () => {
  const { stream: tty, written } = stream(true);
  const bar = progressBar('verifying', tty);
  bar.update(0, 1000);
  bar.update(500, 1000);
  assert.equal(written.length, 1, 'the second within 100 ms is not drawn');
  assert.match(written[0] ?? '', /^\rverifying \[ {24}\] {3}0% 0\/1,000 {2}0\/s {2}ETA 0s {3}$/);
  bar.update(1000, 1000);
  assert.equal(written.length, 2, 'the last is drawn at once');
  assert.match(
    written[1] ?? '',
    /^\rverifying \[#{24}\] 100% 1,000\/1,000 {2}[\d,]+\/s {2}ETA 0s {3}$/,
  );
  bar.end();
  assert.equal(written[2], '\n');
  const empty = stream(true);
  progressBar('x', empty.stream).update(0, 0);
  assert.match(empty.written[0] ?? '', /\[#{24}\] 100% 0\/0/, 'nothing to do is done');
  const off = stream(false);
  const quiet = progressBar('x', off.stream);
  quiet.update(1, 2);
  quiet.end();
  assert.deepEqual(off.written, [], 'nothing written to a file or a pipe');
});
