import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = new URL('../../bin/tuidang.js', import.meta.url).pathname;

/** Node flags that make the process print each module of src/server/ it loads, to stderr. */
const traceServer = `--import=data:text/javascript,${encodeURIComponent(
  `import { registerHooks } from 'node:module';
registerHooks({
  load(url, context, next) {
    if (url.includes('/src/server/')) process.stderr.write('loaded ' + url + '\\n');
    return next(url, context);
  },
});`,
)}`;

test('tuidang lists its commands, and refuses one it does not have (an Object method too)', async () => {
  const { stdout } = await run(process.execPath, [cli, '--help']);
  for (const name of [
    'serve',
    'verify',
    'mirror',
    'witness',
    'import',
    'admin',
    'backup',
    'keygen',
  ])
    assert.match(stdout, new RegExp(`^  ${name} +\\S`, 'm'));
  for (const name of ['frobnicate', 'constructor', '__proto__'])
    await assert.rejects(
      run(process.execPath, [cli, name]),
      (e: { code: number; stderr: string }) =>
        e.code === 2 && e.stderr.startsWith(`tuidang: unknown command "${name}"`),
    );
});

test('a command loads only its own modules: verify does not load the server', async () => {
  const verify = await run(process.execPath, [traceServer, cli, 'verify', '--help']);
  assert.match(verify.stdout, /usage: tuidang verify/);
  assert.doesNotMatch(verify.stderr, /loaded /);
  // The trace itself works: serve's help loads the server.
  const serve = await run(process.execPath, [traceServer, cli, 'serve', '--help']);
  assert.match(serve.stderr, /loaded file:.*\/src\/server\//);
});
