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
  assert.match(second.stdout, /3 lines were imported before and were not imported again/);
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
  assert.match(short.stderr, /has 4 lines, fewer than the 5 lines imported under its name before/);
  // Nothing of either was imported; the right stream still resumes where it stopped.
  const resumed = await feed(lines(7), 'history');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /2 records imported/);
  assert.match(resumed.stdout, /the log now has 8 entries/);
});

test('tuidang import FILE: a file that begins with an earlier import is continued or imported whole, as told', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-import-grown-'));
  const env = { DATA_DIR: join(dir, 'data'), TUIDANG_ORIGIN: 'import.example/log' };
  const line = (i: number) => `{"day":"2012-0${1 + (i % 9)}-1${i % 10}","orgs":["league"]}\n`;
  const lines = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => line(from + i)).join('');
  const entries = async () =>
    /the log now has ([\d,]+) entries/.exec((await runCli(env, 'import', empty)).stdout)?.[1];
  const empty = join(dir, 'empty.ndjson');
  writeFileSync(empty, '');
  const file = join(dir, 'history.ndjson');
  // CRLF, the last line without its line break: the same line once the file grows.
  writeFileSync(file, lines(0, 3).replaceAll('\n', '\r\n').slice(0, -2));
  assert.match((await runCli(env, 'import', file)).stdout, /the log now has 3 entries/);
  writeFileSync(file, lines(0, 5).replaceAll('\n', '\r\n'));
  const refused = await runCli(env, 'import', file);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /history\.ndjson begins with the 3 lines of an earlier import \(a file whose SHA-256 began [0-9a-f]{16}\), so nothing was imported\. If it is that input grown since, import it with --continue: only the lines after them are imported\. If its first lines are other people's records that read the same \(records without a name can\), import it with --whole/,
  );
  assert.equal(await entries(), '3');
  const grown = await runCli(env, 'import', file, '--continue');
  assert.equal(grown.code, 0, grown.stderr);
  assert.match(
    grown.stdout,
    /its first 3 lines were imported before \(a file whose SHA-256 began [0-9a-f]{16}\): --continue imported only the lines after them/,
  );
  assert.match(grown.stdout, /2 records imported/);
  assert.match(grown.stdout, /the log now has 5 entries/);
  const again = await runCli(env, 'import', file);
  assert.match(again.stdout, /5 lines were imported before and were not imported again/);
  assert.match(again.stdout, /the log now has 5 entries/);
  // A stream saved to a file, grown since: the file continues the stream, and the stream fed
  // again, grown as much, resumes after the lines the file added.
  const rejects = ['--rejects', join(dir, 'rejects')];
  const feed = (input: string) =>
    runCliWithInput(env, input, 'import', '-', '--source', 'calls', ...rejects);
  assert.match((await feed(lines(20, 24))).stdout, /the log now has 9 entries/);
  const saved = join(dir, 'calls.ndjson');
  writeFileSync(saved, lines(20, 26));
  const continued = await runCli(env, 'import', saved, '--continue');
  assert.match(
    continued.stdout,
    /its first 4 lines were imported before \(standard input, --source calls\)/,
  );
  assert.match(continued.stdout, /the log now has 11 entries/);
  const fedAgain = await feed(lines(20, 27));
  assert.match(fedAgain.stdout, /6 lines were imported before/);
  assert.match(fedAgain.stdout, /the log now has 12 entries/);
  // The first file again, as it was before it grew: all of it was imported.
  writeFileSync(file, lines(0, 3).replaceAll('\n', '\r\n').slice(0, -2));
  const before = await runCli(env, 'import', file);
  assert.equal(before.code, 0, before.stderr);
  assert.match(before.stdout, /history\.ndjson: 3 lines\n {2}3 lines were imported before/);
  assert.match(before.stdout, /the log now has 12 entries/);
  // Records without a name read the same: a file of other people that begins like an earlier
  // import is imported whole when told so.
  const same = '{"day":"2012-05-01","orgs":["party"]}\n';
  const a = join(dir, 'a.ndjson');
  const b = join(dir, 'b.ndjson');
  writeFileSync(a, same.repeat(2));
  writeFileSync(b, same.repeat(3) + line(7));
  assert.match((await runCli(env, 'import', a)).stdout, /the log now has 14 entries/);
  assert.equal((await runCli(env, 'import', b)).code, 2);
  const whole = await runCli(env, 'import', b, '--whole');
  assert.equal(whole.code, 0, whole.stderr);
  assert.match(whole.stdout, /4 records imported/);
  assert.match(whole.stdout, /the log now has 18 entries/);
  // --continue with nothing to continue, and the two flags together, are refused.
  const other = join(dir, 'other.ndjson');
  writeFileSync(other, lines(40, 42));
  const nothing = await runCli(env, 'import', other, '--continue');
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /does not begin with the lines of any earlier import/);
  const both = await runCli(env, 'import', other, '--continue', '--whole');
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--continue and --whole say opposite things/);
  assert.equal(await entries(), '18');
});

test('tuidang import -: an input cut off inside a line stops before it, and resumes with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-import-cut-'));
  const env = { DATA_DIR: join(dir, 'data'), TUIDANG_ORIGIN: 'import.example/log' };
  const line = (i: number) => `{"day":"2013-0${1 + (i % 9)}-01","orgs":["pioneers"]}\n`;
  const lines = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('');
  const feed = (input: string) =>
    runCliWithInput(env, input, 'import', '-', '--source', 'phone', '--rejects', join(dir, 'r'));
  const cut = await feed(`${lines(3)}${line(3).slice(0, 20)}`);
  assert.equal(cut.code, 1);
  assert.match(cut.stdout, /3 records imported/);
  assert.match(cut.stdout, /0 records rejected/);
  assert.match(
    cut.stdout,
    /line 4 was cut off \(the input ended inside it, without a line break, and what came is not a whole record\): it was neither imported nor rejected\. Feed the input again, complete: the import resumes with that line/,
  );
  const complete = await feed(lines(5));
  assert.equal(complete.code, 0, complete.stderr);
  assert.match(complete.stdout, /3 lines were imported before/);
  assert.match(complete.stdout, /2 records imported/);
  assert.match(complete.stdout, /the log now has 5 entries/);
});
