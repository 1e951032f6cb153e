// tuidang-verify.mjs as a stranger uses it: in an empty directory, the commands the registry's
// /about page shows, run as written with the machine's own Node.js (not the project's Node 24).
// Then a mirror copies the verifier, which checks the mirror.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, runProgram } from '../../test/cli.ts';
import { importHistory } from '../../test/history.ts';
import { readConfig } from '../config/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';

/** A Node.js other than the project's, between 18 and 23, as a reader's machine would have. */
function systemNode(): string | undefined {
  for (const path of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
      const major = Number(/^v(\d+)\./.exec(version)?.[1]);
      if (major >= 18 && major < 24) return path;
    } catch {
      // not there
    }
  }
  return undefined;
}

const run = (command: string, cwd: string, node: string) =>
  // Only the system's programs: `node` is the machine's own, HOME an empty directory.
  runProgram('/bin/sh', ['-c', command], {
    cwd,
    env: { PATH: `${dirname(node)}:/usr/bin:/bin`, HOME: cwd },
  });

let registry: Registry;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-standalone-'));
  const env = {
    TUIDANG_POW: 'off',
    TUIDANG_PUBLISH_INTERVAL: '0',
    PORT: '0',
    DATA_DIR: join(dir, 'data'),
    TUIDANG_ORIGIN: 'standalone.example/log',
  };
  await importHistory(env, 300);
  registry = await startRegistry(readConfig(env));
  const res = await fetch(`${registry.url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'en',
      declarants: [{ name: 'Li', nameKind: 'real', orgs: ['party'] }],
    }),
  });
  assert.equal(res.status, 201);
});
after(() => registry?.close());

test("in an empty directory, /about's commands download the verifier and recount the registry with the system's Node.js", async (t) => {
  const node = systemNode();
  if (node === undefined) {
    t.skip('no Node.js 18 to 23 on this machine besides the project’s');
    return;
  }
  const about = await (await fetch(`${registry.url}/en/about`)).text();
  const commands = (/<pre class="commands"><code>([\s\S]*?)<\/code>/.exec(about)?.[1] ?? '')
    .replace(/<[^>]+>/g, '')
    .split('\n')
    .slice(0, 2);
  assert.equal(commands.length, 2);
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-stranger-'));
  assert.deepEqual(readdirSync(dir), []);
  const download = await run(commands[0] as string, dir, node);
  assert.equal(download.code, 0, download.stderr);
  const sha = createHash('sha256')
    .update(readFileSync(join(dir, 'tuidang-verify.mjs')))
    .digest('hex');
  assert.ok(about.includes(sha), 'the file downloaded is the one whose checksum /about prints');
  const usage = await run('node tuidang-verify.mjs --help', dir, node);
  assert.equal(usage.code, 0, usage.stderr);
  assert.match(usage.stdout, /^usage: node tuidang-verify\.mjs <url \| dir>/);
  assert.doesNotMatch(usage.stdout, /tuidang verify/, 'its own name in every example');
  const recount = await run(commands[1] as string, dir, node);
  assert.equal(recount.code, 0, recount.stderr);
  assert.match(
    recount.stdout,
    /standalone\.example\/log: 301 entries verified up to the signed root/,
  );
  assert.match(
    recount.stdout,
    /recounted: 301 declarants \(1 registered here, 300 imported history\)/,
  );
  assert.match(recount.stdout, /published totals match the recount exactly/);
});

test('tuidang mirror copies the verifier; the copy checks the mirror', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-mirror-verifier-'));
  const mirrorDir = join(dir, 'mirror');
  const r = await runCli(
    { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') },
    'mirror',
    registry.url,
    mirrorDir,
  );
  assert.equal(r.code, 0, r.stderr);
  const served = Buffer.from(
    await (await fetch(`${registry.url}/log/tuidang-verify.mjs`)).arrayBuffer(),
  );
  const copied = readFileSync(join(mirrorDir, 'tuidang-verify.mjs'));
  assert.deepEqual(copied, served);
  assert.match(r.stdout, new RegExp(createHash('sha256').update(served).digest('hex')));
  const node = systemNode();
  if (node === undefined) {
    t.skip('no Node.js 18 to 23 on this machine besides the project’s');
    return;
  }
  const check = await run(`node ${join(mirrorDir, 'tuidang-verify.mjs')} ${mirrorDir}`, dir, node);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /301 entries verified/);
});
