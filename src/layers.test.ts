// The architecture as a test (docs/architecture.md): data flows one way between the folders of
// src, each folder is used only through its index.ts, database drivers stay in src/store, and
// src/log stays free of I/O so the browser and the CLI verify with the same code. A folder may
// import only from the folders listed for it here; tests may import anything.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { SERVE_NODE_FLAGS } from '../test/server-process.ts';

const src = new URL('.', import.meta.url).pathname;

// src/errors (the one error model) imports nothing and may be used by every folder.
const allowed: Record<string, readonly string[]> = {
  errors: [],
  log: [],
  registry: ['log'],
  store: ['log', 'registry'],
  witness: ['log', 'store'],
  sequencer: ['log', 'registry', 'store'],
  import: ['log', 'registry', 'store', 'sequencer'],
  config: ['log', 'sequencer'],
  verify: ['log', 'registry'],
  web: ['log', 'registry', 'verify'], // verify: the browser checks receipts with src/verify/receipt.ts
  server: ['config', 'log', 'registry', 'store', 'sequencer', 'verify', 'web', 'witness'],
  cli: [
    'config',
    'log',
    'registry',
    'store',
    'sequencer',
    'import',
    'verify',
    'web',
    'witness',
    'server',
  ],
};

/** Node's and npm's database drivers: only src/store may import them. */
const DRIVERS = [
  'pg',
  'pg-pool',
  'pg-cursor',
  'node:sqlite',
  'sqlite',
  'sqlite3',
  'better-sqlite3',
];

/**
 * The browser scripts are bundled alone: they take a file of another folder directly where its
 * index.ts would bring Node-only modules (node:fs, node:os) into the bundle.
 */
const BROWSER = 'web/client/';

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* sources(path);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) yield path;
  }
}

/** Each source file with its folder and the modules it imports (static, type-only or dynamic). */
function* imports(): Generator<{ file: string; folder: string; specifier: string }> {
  for (const path of sources(src)) {
    const file = relative(src, path);
    const folder = file.split('/')[0] as string;
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/(?:from |import\()'([^']+)'/g))
      yield { file, folder, specifier: m[1] as string };
  }
}

/** The path inside src that a relative specifier of `file` names. */
const resolved = (file: string, specifier: string) => join(file, '..', specifier);

test('each folder of src imports only from the folders below it', () => {
  const broken: string[] = [];
  const files = new Set<string>();
  for (const { file, folder, specifier } of imports()) {
    const mayUse = allowed[folder];
    if (mayUse === undefined) continue; // src/*.ts itself
    files.add(file);
    if (specifier.startsWith('.')) {
      const target = resolved(file, specifier).split('/')[0] as string;
      if (target !== folder && target !== 'errors' && !mayUse.includes(target))
        broken.push(`${file} imports ${specifier}`);
    } else if ((folder === 'log' && specifier !== 'node:crypto') || folder === 'errors')
      broken.push(
        `${file} imports ${specifier}: src/log may use only node:crypto, src/errors nothing`,
      );
  }
  assert.ok(files.size > 80, `read the sources (${files.size})`);
  assert.deepEqual([...new Set(broken)], []);
});

test('database drivers (pg, node:sqlite) only in src/store/', () => {
  const broken = [...imports()]
    .filter(({ folder, specifier }) => folder !== 'store' && DRIVERS.includes(specifier))
    .map(({ file, specifier }) => `${file} imports ${specifier}`);
  assert.deepEqual(broken, []);
});

test('other folders import a folder only through its index.ts', () => {
  const broken: string[] = [];
  for (const { file, folder, specifier } of imports()) {
    if (!specifier.startsWith('.') || file.startsWith(BROWSER)) continue;
    const target = resolved(file, specifier);
    const targetFolder = target.split('/')[0] as string;
    if (targetFolder !== folder && target !== `${targetFolder}/index.ts`)
      broken.push(`${file} imports ${specifier}`);
  }
  assert.deepEqual(broken, []);
});

test('every error made on purpose is a kind of TuidangError (src/errors): no plain new Error( anywhere', () => {
  const broken: string[] = [];
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    // With or without `new` (Error() makes one too), and the other built-in kinds.
    for (const m of text.matchAll(
      /\b(?:new\s+)?(?:globalThis\.)?(?:Error|TypeError|RangeError|SyntaxError|AggregateError)\s*\(|class \w+ extends (?:globalThis\.)?Error\b/g,
    ))
      if (!file.includes('/errors/') || !m[0].includes('extends'))
        broken.push(`${relative(src, file)}: ${m[0]}`);
  }
  assert.deepEqual(broken, [], 'use TuidangError (or one of its kinds) with a code');
});

test('a production install (npm ci --omit=dev) has every package the program imports, and Node', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>;
    scripts: Record<string, string>;
  };
  const runtime = new Set(Object.keys(pkg.dependencies));
  const missing = new Set<string>();
  for (const { file, specifier } of imports()) {
    if (specifier.startsWith('.') || specifier.startsWith('node:') || isBuiltin(specifier))
      continue;
    const name = specifier.startsWith('@')
      ? specifier.split('/').slice(0, 2).join('/')
      : (specifier.split('/')[0] as string);
    if (!runtime.has(name)) missing.add(`${file} imports ${name}`);
  }
  assert.deepEqual([...missing], [], 'move these to "dependencies" in package.json');
  // The systemd unit of docs/operations.md runs the node that the package `node` installs.
  assert.ok(runtime.has('node'), 'Node 24 is a runtime dependency');
  const unit = readFileSync(new URL('../deploy/tuidang.service', import.meta.url), 'utf8');
  assert.match(unit, /^ExecStart=\/srv\/tuidang\/node_modules\/\.bin\/node /m);
  // Tests and benchmarks run the server with the flags it is deployed and started with.
  const flags = SERVE_NODE_FLAGS.join(' ');
  assert.match(unit, new RegExp(`^ExecStart=\\S+/node ${flags} \\S+/main\\.ts serve$`, 'm'));
  assert.equal(pkg.scripts.start, `node ${flags} src/cli/main.ts serve`);
  const ops = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
  assert.ok(ops.includes(unit), 'docs/operations.md shows deploy/tuidang.service as it is');
});
