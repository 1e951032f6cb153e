// Every browser script bundles for the browser: nothing it imports, however indirectly, may need a
// Node module or a Node global (a file of src/verify that reached node:fs once broke
// /static/verify.js; src/verify/receipt.ts once compared commitments with Buffer).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build, type Plugin } from 'esbuild';
import { BROWSER_BUILD, CLIENT_SCRIPTS, clientScript } from './bundle.ts';

test('each browser script bundles without Node modules', async () => {
  for (const name of CLIENT_SCRIPTS) {
    const code = await clientScript(name);
    assert.ok(code.length > 1000, `${name}.js is bundled`);
    assert.doesNotMatch(code, /require\("node:|from "node:/, `${name}.js asks for a Node module`);
  }
});

/** Node's globals, each replaced by a marker wherever code reads it as a global. */
const NODE_GLOBALS = [
  'Buffer',
  'process',
  'global',
  'require',
  'module',
  '__dirname',
  '__filename',
  'setImmediate',
  'clearImmediate',
];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every Node module and Node global the code of `entries` uses, as the browser would get it. */
async function nodeApis(entries: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  const flagModules: Plugin = {
    name: 'node-modules',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.path in BROWSER_BUILD.alias) return undefined; // the browser's own node:crypto
        if (!builtins.has(args.path) && !args.path.startsWith('node:')) return undefined;
        found.add(`import of ${args.path} in ${args.importer}`);
        return { path: args.path, external: true };
      });
    },
  };
  const r = await build({
    ...BROWSER_BUILD,
    entryPoints: [...entries],
    outdir: '/nonexistent',
    // Every module reached, whole: a Node API in a function the scripts do not call yet is still
    // one call away from breaking the page.
    treeShaking: false,
    minify: false,
    define: Object.fromEntries(NODE_GLOBALS.map((g) => [g, `__NODE_ONLY_${g}__`])),
    plugins: [flagModules],
    logLevel: 'silent',
  }).catch((e: { errors?: Array<{ text: string }> }) => {
    // An unresolvable Node module (no polyfill exists) fails the build: that is a finding too.
    for (const err of e.errors ?? []) found.add(err.text);
    return undefined;
  });
  for (const out of r?.outputFiles ?? [])
    for (const m of out.text.matchAll(/__NODE_ONLY_(\w+?)__/g)) {
      // Unminified, esbuild heads each module's code with a comment naming its file.
      const before = out.text.slice(0, m.index);
      const file = /\n\s*\/\/ (\S+)\n(?![\s\S]*\n\s*\/\/ \S+\n)/.exec(before)?.[1];
      found.add(`global ${m[1]} in ${file}`);
    }
  return [...found].sort();
}

const client = (name: string) => new URL(`./client/${name}.ts`, import.meta.url).pathname;

test('browser code references no Node API: no Node module, no Buffer, process or require', async () => {
  // The one substitution: node:crypto by the browser's implementation, which is checked here too.
  assert.deepEqual(Object.keys(BROWSER_BUILD.alias), ['node:crypto']);
  assert.deepEqual(BROWSER_BUILD.platform, 'browser');
  const entries = [
    ...CLIENT_SCRIPTS.map(client),
    new URL('../../test/verifier-vectors-browser.ts', import.meta.url).pathname,
  ];
  assert.deepEqual(await nodeApis(entries), []);
});

test('the check finds a Node global, and a Node module, in code the browser bundles', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tuidang-node-api-'));
  const log = new URL('../log/index.ts', import.meta.url).pathname;
  try {
    writeFileSync(
      `${tmp}/a.ts`,
      `import { equalBytes } from '${log}';\n` +
        'export const same = (a: Uint8Array, b: Uint8Array) => equalBytes(a, b) && Buffer.compare(a, b) === 0;\n',
    );
    writeFileSync(
      `${tmp}/b.ts`,
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    );
    const found = await nodeApis([`${tmp}/a.ts`, `${tmp}/b.ts`]);
    assert.ok(
      found.some((f) => f.startsWith('global Buffer in ') && f.includes('a.ts')),
      found.join('\n'),
    );
    assert.ok(
      found.some((f) => f.includes('node:fs')),
      found.join('\n'),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
