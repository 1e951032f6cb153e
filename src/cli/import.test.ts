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
  assert.match(first.stdout, /1 record rejected, listed in .*history\.ndjson\.rejects/);
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
  // Another stream under a name already used is refused, not read from its sixth line on.
  const swapped = lines(9).replace('"2011-02-01"', '"2012-02-01"');
  const refused = await feed(swapped, 'history');
  assert.equal(refused.code, 2, refused.stdout);
  assert.match(
    refused.stderr,
    /standard input \(history\) does not begin with the 5 lines imported under its name before, so nothing was imported/,
  );
  const short = await feed(lines(4), 'history');
  assert.equal(short.code, 2);
  assert.match(short.stderr, /has 4 lines, fewer than the 5 imported under its name before/);
  // Nothing of either was imported; the right stream still resumes where it stopped.
  const resumed = await feed(lines(7), 'history');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /2 records imported/);
  assert.match(resumed.stdout, /the log now has 8 entries/);
});

test('tuidang import FILE: a file that grew continues its earlier import, or the stream it began as', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-import-grown-'));
  const env = { DATA_DIR: join(dir, 'data'), TUIDANG_ORIGIN: 'import.example/log' };
  const line = (i: number) => `{"day":"2012-0${1 + (i % 9)}-1${i % 10}","orgs":["league"]}\n`;
  const lines = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => line(from + i)).join('');
  const file = join(dir, 'history.ndjson');
  // The last line without its line break: the same line once the file grows.
  writeFileSync(file, lines(0, 3).slice(0, -1));
  assert.match((await runCli(env, 'import', file)).stdout, /the log now has 3 entries/);
  writeFileSync(file, lines(0, 5));
  const grown = await runCli(env, 'import', file);
  assert.equal(grown.code, 0, grown.stderr);
  assert.match(
    grown.stdout,
    /its first 3 lines are those of an earlier import \(a file whose SHA-256 began [0-9a-f]{16}\): the file grew since, and only the lines after them were imported/,
  );
  assert.match(grown.stdout, /2 records imported/);
  assert.match(grown.stdout, /the log now has 5 entries/);
  const again = await runCli(env, 'import', file);
  assert.match(again.stdout, /5 lines were imported before and were not read again/);
  assert.match(again.stdout, /the log now has 5 entries/);
  // A stream saved to a file, grown since: the file continues the stream.
  const rejects = ['--rejects', join(dir, 'rejects')];
  const streamed = await runCliWithInput(
    env,
    lines(20, 24),
    'import',
    '-',
    '--source',
    'calls',
    ...rejects,
  );
  assert.match(streamed.stdout, /the log now has 9 entries/);
  const saved = join(dir, 'calls.ndjson');
  writeFileSync(saved, lines(20, 26));
  const continued = await runCli(env, 'import', saved);
  assert.match(
    continued.stdout,
    /its first 4 lines are those of an earlier import \(standard input, --source calls\)/,
  );
  assert.match(continued.stdout, /the log now has 11 entries/);
  // A file whose first lines are not all those of an import is a file of its own.
  const other = join(dir, 'other.ndjson');
  writeFileSync(other, lines(1, 6));
  const own = await runCli(env, 'import', other);
  assert.doesNotMatch(own.stdout, /earlier import/);
  assert.match(own.stdout, /5 records imported/);
  assert.match(own.stdout, /the log now has 16 entries/);
});
