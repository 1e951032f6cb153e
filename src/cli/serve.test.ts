// `tuidang serve`: --help names every setting the README documents; bad settings get one line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../test/cli.ts';
import { help } from './serve.ts';

test('serve --help lists every environment variable of the README and of the configuration', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const config = readFileSync(new URL('../config/config.ts', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## The site'));
  const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1] as string);
  const read = [...config.matchAll(/env\.([A-Z][A-Z0-9_]{2,})|'([A-Z][A-Z0-9_]{3,})'/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
  assert.ok(documented.length > 15 && read.length > 15, 'found the table and the settings');
  for (const name of new Set([...documented, ...read])) {
    if (name === 'TUIDANG_SHARED') continue; // tests only
    assert.match(help, new RegExp(`^  ${name} `, 'm'), `${name} in serve --help`);
    assert.ok(documented.includes(name), `${name} in the README's configuration table`);
  }
});

test('serve refuses a bad key or an unreachable database in one line, without a stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-serve-'));
  writeFileSync(join(dir, 'log.key'), 'not a key\n');
  const cases: Array<[NodeJS.ProcessEnv, number, RegExp]> = [
    [{ DATA_DIR: dir, PORT: '0' }, 2, /log\.key: not a valid signer key/],
    [
      { DATA_DIR: join(dir, 'unused'), TUIDANG_SIGNER_KEY: 'garbage', PORT: '0' },
      2,
      /^tuidang serve: TUIDANG_SIGNER_KEY: /,
    ],
    [
      {
        DATA_DIR: join(dir, 'key-only'),
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        PORT: '0',
      },
      1,
      /cannot connect to PostgreSQL .*check DATABASE_URL/,
    ],
  ];
  for (const [env, code, message] of cases) {
    const res = await runCli(env, 'serve');
    assert.equal(res.code, code, res.stderr);
    assert.match(res.stderr, message);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  }
});
