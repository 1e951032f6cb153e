// The dependency rule of the component table (DESIGN.md, README "Layout"): data flows one way, and
// src/log stays free of I/O so the browser and the CLI verify with the same code. A folder may
// import only from the folders listed for it here; tests may import anything.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const src = new URL('.', import.meta.url).pathname;

// src/errors (the one error model) imports nothing and may be used by every folder.
const allowed: Record<string, readonly string[]> = {
  errors: [],
  log: [],
  registry: ['log'],
  store: ['log', 'registry'],
  witness: ['log'],
  sequencer: ['log', 'registry', 'store'],
  verify: ['log', 'registry'],
  web: ['log', 'registry', 'verify'], // verify: the browser checks receipts with src/verify/receipt.ts
  server: ['log', 'registry', 'store', 'sequencer', 'verify', 'web', 'witness'],
  cli: ['log', 'registry', 'store', 'sequencer', 'verify', 'web', 'witness', 'server'],
};

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* sources(path);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) yield path;
  }
}

test('each folder of src imports only from the folders below it', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of sources(src)) {
    const folder = relative(src, file).split('/')[0] as string;
    const mayUse = allowed[folder];
    if (mayUse === undefined) continue; // src/*.ts itself
    checked++;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
      const target = relative(src, join(file, '..', m[1] as string)).split('/')[0] as string;
      if (
        target !== folder &&
        target !== 'errors' &&
        !mayUse.includes(target) &&
        !target.startsWith('..')
      )
        broken.push(`${relative(src, file)} imports ${m[1]}`);
    }
    for (const m of text.matchAll(/from '([^.'][^']*)'/g))
      if ((folder === 'log' || folder === 'errors') && m[1] !== 'node:crypto')
        broken.push(`${relative(src, file)} imports ${m[1]}: src/log may use only node:crypto`);
  }
  assert.ok(checked > 80, `read the sources (${checked})`);
  assert.deepEqual([...new Set(broken)], []);
});

test('every error thrown on purpose is a kind of TuidangError (src/errors)', () => {
  const broken: string[] = [];
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /throw new (Error|TypeError|RangeError)\(|class \w+ extends Error\b/g,
    ))
      if (!file.includes('/errors/') || !m[0].includes('extends'))
        broken.push(`${relative(src, file)}: ${m[0]}`);
  }
  assert.deepEqual(broken, [], 'use TuidangError (or one of its kinds) with a code');
});
