// `tuidang serve --help` names every setting that the README's configuration table documents.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { help } from './serve.ts';

test('serve --help lists every environment variable of the README and of the configuration', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const config = readFileSync(new URL('../server/config.ts', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## The site'));
  const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1] as string);
  const read = [...config.matchAll(/env\.([A-Z_]{3,})|'([A-Z][A-Z_]{3,})'/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
  assert.ok(documented.length > 15 && read.length > 15, 'found the table and the settings');
  for (const name of new Set([...documented, ...read])) {
    if (name === 'TUIDANG_SHARED') continue; // tests only
    assert.match(help, new RegExp(`^  ${name} `, 'm'), `${name} in serve --help`);
    assert.ok(documented.includes(name), `${name} in the README's configuration table`);
  }
});
