import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { cli, runCli } from '../../test/cli.ts';
import { exited, until } from '../../test/wait.ts';
import { readConfig } from '../config/index.ts';
import { generateKey } from '../log/index.ts';
import { startRegistry } from '../server/index.ts';
import { DATABASE_FILE } from '../store/sqlite-db.ts';

const home = mkdtempSync(join(tmpdir(), 'tuidang-admin-home-'));
const dataDir = mkdtempSync(join(tmpdir(), 'tuidang-admin-'));
const key = generateKey('admin.example/log');
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  TUIDANG_ORIGIN: 'admin.example/log',
  TUIDANG_SIGNER_KEY: key.skey,
  XDG_CONFIG_HOME: join(home, 'c'),
  XDG_CACHE_HOME: join(home, 'k'),
};

const tuidang = (...args: string[]) => runCli(env, ...args);
const start = () =>
  startRegistry(
    readConfig({
      ...env,
      PORT: '0',
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      TUIDANG_STATEMENT_CROWD: '1',
    }),
  );

test('admin void: the entry leaves the totals, the correction is in the log, verify recounts it', async () => {
  let registry = await start();
  for (let i = 0; i < 5; i++) {
    await fetch(`${registry.url}/api/v1/declarations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        language: 'en',
        declarants: [{ name: `v${i}`, nameKind: 'alias', orgs: ['party'] }],
      }),
    });
  }
  await registry.close();

  const ok = await tuidang('admin', 'void', '2', '--reason', 'duplicate');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /voided 1 entry \(duplicate\); the log now has 6 entries/);
  for (const [args, code, message] of [
    [['admin', 'void', '2', '--reason', 'duplicate'], 1, /voided already; nothing was written/],
    [['admin', 'void', '5', '--reason', 'test'], 1, /is itself a void entry/],
    [['admin', 'void', '60', '--reason', 'test'], 1, /not in the log/],
    [['admin', 'void', 'x', '--reason', 'test'], 2, /indexes/],
    [['admin', 'void', '1', '--reason', 'boredom'], 2, /--reason must be one of/],
  ] as const) {
    const res = await tuidang(...args);
    assert.equal(res.code, code, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, message);
  }

  registry = await start();
  try {
    const stats = (await (await fetch(`${registry.url}/api/v1/stats`)).json()) as {
      total: number;
      totals: { voided: Record<string, number> };
    };
    assert.equal(stats.total, 4);
    assert.deepEqual(stats.totals.voided, { duplicate: 1 });
    const verified = await tuidang('verify', registry.url, '--json');
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.deepEqual(JSON.parse(verified.stdout).totals.voided, { duplicate: 1 });
    const page = await (await fetch(`${registry.url}/en/stats`)).text();
    assert.match(page, /duplicate: <span data-figure="voided\.duplicate">1<\/span>/);
  } finally {
    await registry.close();
  }
});

test('moderation: consented statements wait, an operator approves or redacts, the declarant erases theirs', async () => {
  const registry = await start();
  try {
    const declare = async (name: string, statement: string) => {
      const res = await fetch(`${registry.url}/en/declare`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          rows: '1',
          'd0.name': name,
          'd0.nameKind': 'alias',
          'd0.orgs': 'league',
          'd0.statement': statement,
          'd0.publish': 'yes',
          action: 'declare',
        }).toString(),
      });
      const page = await res.text();
      return (
        /<textarea id="person-1-text"[^>]*>([^<]*)<\/textarea>/.exec(page)?.[1] ?? ''
      ).replaceAll('&quot;', '"');
    };
    const receiptA = await declare('Alpha', 'first statement');
    await declare('Beta', 'second statement with a phone number 138');
    const shown = async () =>
      (await (await fetch(`${registry.url}/en/statements`)).text()).match(
        /<blockquote[\s\S]*?<\/blockquote>/g,
      ) ?? [];
    assert.deepEqual(await shown(), [], 'nothing is shown before moderation');

    const pending = await tuidang('admin', 'pending');
    assert.equal(pending.code, 0, pending.stderr);
    assert.match(pending.stdout, /Alpha \(alias\)\n\s+first statement/);
    const indexA = Number(JSON.parse(receiptA).index);
    const indexB = Number(/#(\d+)\s+\S+\s+Beta/.exec(pending.stdout)?.[1]);
    assert.equal((await tuidang('admin', 'approve', String(indexA))).code, 0);
    assert.equal(
      (await tuidang('admin', 'redact', String(indexB), '--statement', 'second statement […]'))
        .code,
      0,
    );
    const visible = (await shown()).join('\n');
    assert.match(visible, /first statement/);
    assert.match(visible, /second statement \[…\]/);
    assert.doesNotMatch(visible, /138/);

    // The declarant removes their own publication with the receipt, after a confirmation page;
    // another receipt removes nothing.
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${registry.url}/en/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }).then((r) => r.text());
    const erase = async (receipt: string) => {
      const confirm = await post('erase', { receipt });
      assert.match(confirm, /Remove this name and statement\?/);
      const code = /<input type="hidden" name="code" value="([^"]+)">/.exec(confirm)?.[1] ?? '';
      return post('erase/confirm', { code });
    };
    const forged = JSON.parse(receiptA);
    forged.index = indexB;
    // Another entry's number with this receipt's secret: that entry's statement is not shown.
    assert.match(
      await post('erase', { receipt: JSON.stringify(forged) }),
      /No name or statement of this receipt is published or waiting for review/,
    );
    assert.match(
      await erase(receiptA),
      /The name and statement published for entry \d+ were removed/,
    );
    const after = (await shown()).join('\n');
    assert.doesNotMatch(after, /first statement/);
    assert.match(after, /second statement/);
  } finally {
    await registry.close();
  }
});

test('admin on a data directory without a registry: one line, exit 2, nothing created', async () => {
  const empty = join(mkdtempSync(join(tmpdir(), 'tuidang-admin-none-')), 'data');
  for (const args of [['pending'], ['void', '1', '--reason', 'test'], ['approve', '1']]) {
    const res = await runCli({ TUIDANG_SIGNER_KEY: '', DATA_DIR: empty }, 'admin', ...args);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /there is no registry in .*set DATA_DIR/);
    assert.equal(existsSync(empty), false, 'no database and no signing key made');
  }
});

test('admin reset-2fa: the second factor and recovery codes go, the sessions end, it is audited', async () => {
  const registry = await start();
  await registry.store.site.createStaffUser({ username: 'lost', role: 'admin', passwordHash: 'x' });
  await registry.store.site.setSecondFactor('lost', 'sealed', ['h']);
  await registry.store.site.createStaffSession('t', {
    username: 'lost',
    csrf: 'c',
    expires: 2 ** 40,
  });
  await registry.close();
  const unknown = await tuidang('admin', 'reset-2fa', 'nobody');
  assert.notEqual(unknown.code, 0, 'an unknown account is refused');
  assert.match(unknown.stderr, /no staff account nobody/);
  const res = await tuidang('admin', 'reset-2fa', 'lost');
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /removed the second factor of lost/);
  const again = await start();
  try {
    assert.equal((await again.store.site.staffUser('lost'))?.secondFactor, undefined);
    assert.equal(await again.store.site.useRecoveryCode('lost', 'h'), false);
    assert.equal(await again.store.site.staffSession('t', 1), undefined);
    assert.equal((await again.store.site.auditLog(1))[0]?.action, 'reset-2fa');
  } finally {
    await again.close();
  }
});

test('admin redact while a backup reads the database: it waits for the backup to end, saying why', async () => {
  const registry = await start();
  let index: number;
  try {
    const res = await fetch(`${registry.url}/en/declare`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        rows: '1',
        'd0.name': 'Gamma',
        'd0.nameKind': 'alias',
        'd0.orgs': 'party',
        'd0.statement': 'a statement to redact',
        'd0.publish': 'yes',
        action: 'declare',
      }).toString(),
    });
    assert.equal(res.status, 200);
    const pending = await tuidang('admin', 'pending');
    index = Number(/#(\d+)\s+\S+\s+Gamma/.exec(pending.stdout)?.[1]);
  } finally {
    await registry.close();
  }
  // A backup's read transaction (as `tuidang backup` holds one while it copies).
  const reader = new DatabaseSync(join(dataDir, DATABASE_FILE));
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM publications').get();
  const child = spawn(
    process.execPath,
    [cli, 'admin', 'redact', String(index), '--statement', '[…]'],
    {
      env,
    },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  try {
    await until(
      () => stderr.includes('waiting for a reader older than this change'),
      60_000,
      'word of the wait',
      100,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(child.exitCode, null, 'still waiting while the backup reads');
  } finally {
    reader.exec('COMMIT');
    reader.close();
  }
  assert.equal((await exited(child, 60_000)).code, 0, stdout + stderr);
  assert.equal(stdout, `#${index}: approved\n`);
  assert.match(stderr, /the old text is in none of the database files now/);
  for (const f of readdirSync(dataDir).filter((f) => f.startsWith(DATABASE_FILE)))
    assert.ok(!readFileSync(join(dataDir, f)).includes('a statement to redact'), f);
});
