// The second implementation kept honest: tools/recount.py, written in Python from
// docs/log-format.md and docs/statistics.md alone, recounts a fresh registry holding every kind of
// entry (web, a family, volunteer, phone and service-centre entries as the volunteer form and its
// CSV upload make them, history imported from NDJSON and CSV, voids of both parts) and must find
// every figure the registry publishes. When the code changes what it publishes and the docs do
// not, this fails.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, runProgram } from '../../test/cli.ts';
import { readConfig } from '../config/index.ts';
import { generateKey } from '../log/index.ts';
import { type Channel, parseSubmission } from '../registry/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';

const script = new URL('../../tools/recount.py', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tuidang-recount-py-'));
const origin = 'recount.example/log';
const key = generateKey(origin);
const env = {
  DATA_DIR: join(dir, 'data'),
  TUIDANG_ORIGIN: origin,
  TUIDANG_SIGNER_KEY: key.skey,
  XDG_CONFIG_HOME: join(dir, 'config'),
  XDG_CACHE_HOME: join(dir, 'cache'),
};
let registry: Registry;

const python = (...args: string[]) => runProgram('python3', [script, ...args]);

before(async () => {
  // History first, while no registry runs (SQLite): NDJSON with an older numeric region code, CSV.
  const ndjson = join(dir, 'history.ndjson');
  writeFileSync(
    ndjson,
    [
      { day: '2009-05-01', orgs: ['party', 'league'], region: 'CN-44' },
      { day: '2009-05-01', orgs: ['pioneers'], region: 'CN-BJ' },
      { day: '2015-12-31', orgs: ['league'] },
      { day: '2004-12-03', orgs: ['party'], region: 'ZZ', name: 'x', statement: 'y' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  const csv = join(dir, 'history.csv');
  writeFileSync(csv, 'day,orgs,region\n2010-01-02,party;pioneers,CN-SC\n2010-01-03,league,\n');
  for (const file of [ndjson, csv]) {
    const res = await runCli(env, 'import', file);
    assert.equal(res.code, 0, res.stdout + res.stderr);
  }
  registry = await startRegistry(
    readConfig({ ...env, PORT: '0', TUIDANG_POW: 'off', TUIDANG_PUBLISH_INTERVAL: '0' }),
  );
  const declare = async (declarants: unknown[]) => {
    const res = await fetch(`${registry.url}/api/v1/declarations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'zh-Hans', declarants }),
    });
    assert.equal(res.status, 201);
    return ((await res.json()) as { receipts: Array<{ index: number }> }).receipts;
  };
  const [web] = await declare([
    { name: '李', nameKind: 'alias', orgs: ['party'], region: 'CN-GD' },
  ]);
  await declare([
    { name: 'a', nameKind: 'real', orgs: ['party', 'league'], region: 'CN-HK' },
    { name: 'b', nameKind: 'alias', orgs: ['league', 'pioneers'], statement: '退出' },
    { name: 'c', nameKind: 'alias', orgs: ['pioneers'], region: 'CN-HK' },
  ]);
  for (const channel of ['volunteer', 'phone', 'centre'] as Channel[]) {
    await registry.sequencer.submit(
      parseSubmission(
        {
          language: 'en',
          declarants: [
            { name: `${channel}1`, nameKind: 'alias', orgs: ['party'], region: 'CN-TW' },
            { name: `${channel}2`, nameKind: 'alias', orgs: ['league'] },
          ],
        },
        channel,
      ),
    );
  }
  // A void of a declaration made here, and of an imported record (entry 1).
  await registry.sequencer.void([web?.index as number], 'request');
  await registry.sequencer.void([1], 'duplicate');
});
after(async () => {
  await registry?.close();
});

test('the docs-only recount in Python matches every figure the registry publishes', async () => {
  const res = await python(registry.url, '--vkey', registry.vkey);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  // 6 imported and 10 made here, 2 voids: 18 entries; one of each part voided.
  assert.match(
    res.stdout,
    /^18 entries up to the signed root; recounted 14 declarants \(9 registered, 5 imported, 2 voided\)$/m,
  );
  assert.match(res.stdout, /every published figure matches the recount/);
});

test('tuidang verify finds the same, pages and CSV included', async () => {
  const res = await runCli(env, 'verify', registry.url, '--vkey', registry.vkey, '--no-cache');
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /recounted: 14 declarants \(9 registered here, 5 imported history\)/);
  assert.match(res.stdout, /published totals match the recount exactly/);
});

test('the Python recount enforces the day rule and names the entry', async () => {
  // Imported history is shuffled within its batch, like declarations: any record after the day.
  const res = await python(registry.url, '--vkey', registry.vkey, '--today', '2009-06-01');
  assert.equal(res.code, 1, res.stdout + res.stderr);
  assert.match(
    res.stdout,
    /^FAILED: entry [0-5]: its day (2015-12-31|2010-01-0[23]) is outside 2004-11-01 … 2009-06-02$/m,
  );
});
