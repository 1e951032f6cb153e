import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, runCliWithInput } from '../../test/cli.ts';

test('tuidang import: a summary, the reject file, exit 1 with rejects; the second run adds nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-import-cli-'));
  const file = join(dir, 'history.ndjson');
  writeFileSync(
    file,
    '{"day":"2009-05-01","orgs":["party"]}\n{"day":"2010-01-01","orgs":["league"],"region":"CN-44"}\n{"day":"2010-01-01"}\n',
  );
  const env = { DATA_DIR: join(dir, 'data'), TUIDANG_ORIGIN: 'import.example/log' };
  const first = await runCli(env, 'import', file);
  assert.equal(first.code, 1, first.stderr);
  assert.match(first.stdout, /2 records imported/);
  assert.match(first.stdout, /1 records rejected, listed in .*history\.ndjson\.rejects/);
  assert.match(readFileSync(`${file}.rejects`, 'utf8'), /^3\torgs is required/);
  const second = await runCli(env, 'import', file);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /3 lines were imported before/);
  assert.match(second.stdout, /the log now has 2 entries/);
  const missing = await runCli(env, 'import', join(dir, 'nope.ndjson'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read/);
});

test('tuidang import -: records from standard input, resumed under their --source name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-import-stdin-'));
  const env = { DATA_DIR: join(dir, 'data'), TUIDANG_ORIGIN: 'import.example/log' };
  const rejects = join(dir, 'rejects');
  const line = (i: number) => `{"day":"2011-0${1 + (i % 9)}-01","orgs":["party"]}\n`;
  const lines = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('');
  const noName = await runCliWithInput(env, lines(2), 'import', '-', '--rejects', rejects);
  assert.equal(noName.code, 2);
  assert.match(noName.stderr, /needs --source NAME/);
  const feed = (input: string, source: string) =>
    runCliWithInput(env, input, 'import', '-', '--source', source, '--rejects', rejects);
  const first = await feed(lines(3), 'history');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /standard input \(history\): 3 lines/);
  assert.match(first.stdout, /the log now has 3 entries/);
  // The same stream, grown by two lines: only the two are new.
  const again = await feed(lines(5), 'history');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /3 lines were imported before/);
  assert.match(again.stdout, /2 records imported/);
  assert.match(again.stdout, /the log now has 5 entries/);
  // Another name is another stream.
  const other = await feed(lines(1), 'phone-2012');
  assert.match(other.stdout, /the log now has 6 entries/);
});
