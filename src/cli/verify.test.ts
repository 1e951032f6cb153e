// `tuidang verify` as a user runs it: exit codes, the remembered checkpoint, a table of
// differences when the published totals do not match the log.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { runCli } from '../../test/cli.ts';
import { startServer } from '../../test/server-process.ts';
import { generateKey } from '../log/index.ts';
import { databasePath } from '../store/index.ts';

const home = mkdtempSync(join(tmpdir(), 'tuidang-home-'));
const env = {
  ...process.env,
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_CACHE_HOME: join(home, 'cache'),
};
const tuidang = (...args: string[]) => runCli(env, ...args);

const key = generateKey('cli.example/log');
const dataDir = mkdtempSync(join(tmpdir(), 'tuidang-cli-'));
const serve = () =>
  startServer({
    DATA_DIR: dataDir,
    TUIDANG_ORIGIN: 'cli.example/log',
    TUIDANG_SIGNER_KEY: key.skey,
  });
let server = await serve();
after(() => server.kill('SIGTERM'));

async function declare(n: number): Promise<unknown> {
  let last: unknown;
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${server.url}/api/v1/declarations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        language: 'en',
        declarants: [{ name: `c${i}`, nameKind: 'alias', orgs: ['party'] }],
      }),
    });
    last = await res.json();
  }
  return last;
}

test('verify a registry: exit 0, the key is trusted on first use and the checkpoint remembered', async () => {
  await declare(20);
  const first = await tuidang('verify', server.url);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /trusting the key the log publishes, on first use/);
  assert.match(first.stdout, /20 entries verified/);
  assert.match(first.stdout, /published totals match the recount exactly/);
  await declare(5);
  const second = await tuidang('verify', server.url, '--json');
  assert.equal(second.code, 0, second.stderr);
  const json = JSON.parse(second.stdout);
  assert.equal(json.verified, true);
  assert.equal(json.treeSize, 25);
  assert.equal(json.totals.registered.declarants, 25);
});

test('a receipt: in its checkpoint, consistent with the log, and it commits to the name', async () => {
  const receipt = await declare(1);
  const file = join(home, 'receipt.json');
  writeFileSync(file, JSON.stringify(receipt));
  const ok = await tuidang(
    'verify',
    '--receipt',
    file,
    '--log',
    server.url,
    '--name',
    'c0',
    '--alias',
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /still in the log's current checkpoint/);
  const wrong = await tuidang('verify', '--receipt', file, '--name', 'someone else');
  assert.equal(wrong.code, 1);
});

test('published totals that differ from the log: exit 1 and a table of the differences', async () => {
  const db = new DatabaseSync(databasePath(dataDir));
  const row = db.prepare('SELECT json FROM totals').get() as { json: string };
  const totals = JSON.parse(row.json);
  totals.registered.declarants += 1000000;
  db.prepare('UPDATE totals SET json = ?').run(JSON.stringify(totals));
  db.close();
  // An operator who inflates the total runs a server that publishes it: restart on the edited data.
  await server.kill('SIGTERM');
  server = await serve();
  const res = await tuidang('verify', server.url);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stdout, /registered\.declarants\s+1000026\s+26/);
});

test('usage and network errors exit 2 with one line of reason', async () => {
  for (const args of [
    ['verify'],
    ['verify', 'http://127.0.0.1:9'],
    ['verify', '/nonexistent/mirror'],
    ['verify', server.url, '--quorum', 'x'],
  ]) {
    const res = await tuidang(...args);
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.doesNotMatch(res.stderr, /\n\s+at /);
  }
});

test('a log that rewrote what was verified before: exit 1, FORK', async () => {
  const fork = await startServer({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-fork-')),
    TUIDANG_ORIGIN: 'cli.example/log',
    TUIDANG_SIGNER_KEY: key.skey,
  });
  try {
    for (let i = 0; i < 40; i++) {
      await fetch(`${fork.url}/api/v1/declarations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          language: 'en',
          declarants: [{ name: `f${i}`, nameKind: 'alias', orgs: ['league'] }],
        }),
      });
    }
    const res = await tuidang('verify', fork.url);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(res.stderr, /FORK/);
  } finally {
    await fork.kill('SIGTERM');
  }
});

test('two registries with the same origin and their own keys are two logs, not a fork', async () => {
  const start = (name: string) =>
    startServer({
      DATA_DIR: mkdtempSync(join(tmpdir(), `tuidang-${name}-`)),
      TUIDANG_ORIGIN: 'localhost/tuidang',
    });
  const [one, two] = await Promise.all([start('one'), start('two')]);
  try {
    const first = await tuidang('verify', one.url);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const res = await tuidang('verify', two.url);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.doesNotMatch(res.stderr, /FORK/);
    assert.match(res.stderr, /another log named localhost\/tuidang is known/);
    const again = await tuidang('verify', one.url);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.doesNotMatch(again.stderr, /trusting the key/, 'the first log is still remembered');
  } finally {
    await Promise.all([one.kill('SIGTERM'), two.kill('SIGTERM')]);
  }
});

test('a receipt whose checkpoint or proof is malformed: exit 1 and one line, no stack trace', async () => {
  const receipt = (await declare(1)) as { receipts: Array<Record<string, unknown>> };
  const good = receipt.receipts[0] as Record<string, unknown>;
  for (const broken of [
    { checkpoint: 'not a signed note' },
    { checkpoint: `${String(good.checkpoint).split('\n')[0]}\nx\ny\n\n— nobody AAAA\n` },
    { inclusionProof: ['not base64!'] },
    { entry: 'AAAA' },
  ]) {
    const file = join(home, 'broken-receipt.json');
    writeFileSync(file, JSON.stringify({ receipts: [{ ...good, ...broken }] }));
    const res = await tuidang('verify', '--receipt', file, '--vkey', key.vkey);
    assert.equal(res.code, 1, `${JSON.stringify(broken)}: ${res.stderr}`);
    assert.match(res.stderr, /^VERIFICATION FAILED/);
    assert.doesNotMatch(res.stderr, /\n\s+at /);
  }
});

test('the tile cache: its size said before verifying, kept under --cache DIR, none with --no-cache', async () => {
  const big = await startServer({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-cache-')),
    TUIDANG_ORIGIN: 'cli.example/log',
    TUIDANG_SIGNER_KEY: generateKey('cli.example/log').skey,
    RATE_LIMIT: '0',
  });
  try {
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${big.url}/api/v1/declarations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          language: 'en',
          declarants: Array.from({ length: 50 }, (_, k) => ({
            name: `f${i}-${k}`,
            nameKind: 'alias',
            orgs: ['league'],
          })),
        }),
      });
      assert.equal(res.status, 201);
    }
    const cache = join(home, 'tiles');
    const kept = await tuidang('verify', big.url, '--cache', cache, '--no-remember');
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /300 entries verified/);
    const said = kept.stderr.match(
      /keeping the downloaded tiles in (\S+): about (\d+) KiB for 300 entries/,
    );
    assert.ok(said, kept.stderr);
    // One full bundle (256 entries) and one full level-0 tile: some 20 to 40 KiB.
    assert.ok(Number(said[2]) >= 16 && Number(said[2]) <= 48, said[2]);
    assert.ok(said[1]?.startsWith(cache));
    assert.ok(existsSync(join(said[1] as string, 'tile/entries/000')));
    assert.ok(existsSync(join(said[1] as string, 'tile/0/000')));

    const bare = await tuidang('verify', big.url, '--no-cache', '--no-remember', '--json');
    assert.equal(bare.code, 0, bare.stderr);
    assert.equal(JSON.parse(bare.stdout).treeSize, 300);
    assert.doesNotMatch(bare.stderr, /keeping the downloaded tiles/);
    const defaults = join(home, 'cache', 'tuidang');
    for (const d of existsSync(defaults) ? readdirSync(defaults) : [])
      assert.ok(!existsSync(join(defaults, d, 'tile/entries/000')), 'no tile kept by default');

    const both = await tuidang('verify', big.url, '--no-cache', '--cache', cache);
    assert.equal(both.code, 2);
  } finally {
    await big.kill('SIGTERM');
  }
});

test('--name alone checks a declaration without a statement, and says which field is missing', async () => {
  const post = async (declarant: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/api/v1/declarations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'en', declarants: [declarant] }),
    });
    const file = join(home, `receipt-${declarant.name}.json`);
    writeFileSync(file, JSON.stringify(await res.json()));
    return file;
  };
  const plain = await post({ name: 'Lin Ming', nameKind: 'real', orgs: ['league'] });
  const ok = await tuidang('verify', '--receipt', plain, '--name', 'Lin Ming');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /commits to the name \(and to no statement\) given/);
  const asAlias = await tuidang('verify', '--receipt', plain, '--name', 'Lin Ming', '--alias');
  assert.equal(asAlias.code, 1);
  assert.match(asAlias.stderr, /as a real name: leave out --alias/);
  const extra = await tuidang(
    'verify',
    '--receipt',
    plain,
    '--name',
    'Lin Ming',
    '--statement',
    'x',
  );
  assert.equal(extra.code, 1);
  assert.match(extra.stderr, /with no statement: leave out --statement/);

  const said = await post({
    name: 'Lin Hua',
    nameKind: 'alias',
    orgs: ['party'],
    statement: 'I leave the Party.',
  });
  const missing = await tuidang('verify', '--receipt', said, '--name', 'Lin Hua', '--alias');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /had a statement, which is then needed too: .*--statement/);
  const full = await tuidang(
    'verify',
    '--receipt',
    said,
    '--name',
    'Lin Hua',
    '--alias',
    '--statement',
    'I leave the Party.',
  );
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stdout, /commits to the name and statement given/);
});
