import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ENTRIES_LEVEL,
  ed25519Signer,
  hashLeaf,
  parseCheckpoint,
  parseEntryBundle,
  parseNote,
  rootFromLeafHashes,
  TILE_WIDTH,
} from '../log/index.ts';
import { decodeEntry, tally } from '../registry/index.ts';
import { MemoryStore, type Store } from '../store/index.ts';
import { importFile } from './importer.ts';

const signer = ed25519Signer('example.org/log', new Uint8Array(32).fill(2));
const dir = mkdtempSync(join(tmpdir(), 'tuidang-import-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function logEntries(store: Store) {
  const { treeSize } = await store.state();
  const out = [];
  for (let k = 0; k * TILE_WIDTH < treeSize; k++) {
    const width = Math.min(TILE_WIDTH, treeSize - k * TILE_WIDTH);
    const [bundle] = await store.readTiles([{ level: ENTRIES_LEVEL, index: k, width }]);
    out.push(...parseEntryBundle(bundle as Uint8Array, width).map(decodeEntry));
  }
  return out;
}

const run = (store: Store, path: string, extra: Partial<Parameters<typeof importFile>[0]> = {}) =>
  importFile({
    store,
    origin: 'example.org/log',
    signer,
    file: path,
    format: 'ndjson',
    rejectsPath: `${path}.rejects`,
    today: '2026-11-25',
    ...extra,
  });

test('NDJSON: good records become import entries with their day; bad ones are rejected with line and reason', async () => {
  const path = file(
    'a.ndjson',
    [
      '{"day":"2009-05-01","orgs":["party","league"],"region":"CN-44","name":"李四","nameKind":"alias","statement":"我退出","publish":true}',
      '{"day":"2010-01-01","orgs":["pioneers"]}',
      '{"day":"2027-01-01","orgs":["party"]}',
      '{bad json',
      '{"day":"2011-02-03","orgs":[]}',
      '',
      '{"day":"2012-02-30","orgs":["league"]}',
      '{"day":"2013-04-05","orgs":["league"],"email":"x@example.org"}',
    ].join('\n'),
  );
  const store = new MemoryStore();
  const summary = await run(store, path);
  assert.deepEqual([summary.imported, summary.rejected, summary.lines], [2, 6, 8]);
  const entries = await logEntries(store);
  // Entries of a batch are shuffled: compare them in day order.
  const seen = entries
    .map((e) =>
      e.kind === 'declaration'
        ? [e.day, e.channel, e.orgs.join('+'), e.region ?? '-'].join(' ')
        : '',
    )
    .sort();
  assert.deepEqual(seen, ['2009-05-01 import party+league CN-GD', '2010-01-01 import pioneers -']);
  const rejects = readFileSync(`${path}.rejects`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t').slice(0, 2));
  assert.deepEqual(
    rejects.map(([line]) => Number(line)),
    [3, 4, 5, 6, 7, 8],
  );
  assert.match(rejects[0]?.[1] ?? '', /outside 2004-11-01 … 2026-11-25/);
  assert.match(rejects[5]?.[1] ?? '', /unknown field email/);
  const { totals } = await store.state();
  assert.equal(totals.imported.declarants, 2);
  assert.equal(totals.registered.declarants, 0, 'history is counted apart');
  assert.deepEqual(totals, tally(entries));
  assert.equal(
    (await store.site.publications({ limit: 5, status: 'pending' }))[0]?.statement,
    '我退出',
  );
});

test('importing the same file again adds nothing; an interrupted import resumes without gaps or duplicates', async () => {
  const lines = Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({
      day: `20${10 + (i % 10)}-01-0${1 + (i % 9)}`,
      orgs: [['party', 'league', 'pioneers'][i % 3]],
    }),
  );
  const path = file('b.ndjson', lines.join('\n'));
  const store = new MemoryStore();
  let commits = 0;
  const commit = store.commit.bind(store);
  store.commit = async (c) => {
    if (++commits === 4) throw new Error('power cut');
    return commit(c);
  };
  await assert.rejects(run(store, path, { batchSize: 100 }), /power cut/);
  assert.equal((await store.state()).treeSize, 300, 'three batches committed before the cut');
  const resumed = await run(store, path, { batchSize: 100 });
  assert.equal(resumed.alreadyImported, 300);
  assert.equal(resumed.imported, 700);
  const again = await run(store, path, { batchSize: 100 });
  assert.equal(again.imported, 0);
  const entries = await logEntries(store);
  assert.equal(entries.length, 1000);
  const { totals } = await store.state();
  assert.deepEqual(totals, tally(entries));
  assert.equal(totals.imported.orgs.party, 334);
});

test('CSV with a header: orgs separated by semicolons, empty cells absent, malformed rows rejected', async () => {
  const path = file(
    'c.csv',
    'day,orgs,region,name,nameKind\n2015-01-01,party;league,CN-GD,Wang,real\n2016-01-01,,CN-GD,,\n2017-06-01,pioneers,,,\n',
  );
  const store = new MemoryStore();
  const summary = await run(store, path, { format: 'csv' });
  assert.deepEqual([summary.imported, summary.rejected], [2, 1]);
  assert.match(readFileSync(`${path}.rejects`, 'utf8'), /^3\torgs is required/);
});

test('NDJSON over several workers in small chunks: the same entries, rejects with their own lines, in order', async () => {
  const lines: string[] = [];
  for (let i = 1; i <= 500; i++) {
    if (i % 50 === 0) lines.push('');
    else if (i % 77 === 0) lines.push('{oops');
    else lines.push(`{"day":"2015-03-${String((i % 28) + 1).padStart(2, '0')}","orgs":["party"]}`);
  }
  const path = file('many.ndjson', `${lines.join('\r\n')}\r\n`);
  const store = new MemoryStore();
  const summary = await run(store, path, { batchSize: 7, workers: 3 });
  assert.deepEqual([summary.lines, summary.rejected, summary.imported], [500, 16, 484]);
  const rejected = readFileSync(`${path}.rejects`, 'utf8').trim().split('\n');
  assert.deepEqual(
    rejected.map((r) => Number(r.split('\t')[0])),
    [50, 77, 100, 150, 154, 200, 231, 250, 300, 308, 350, 385, 400, 450, 462, 500],
  );
  const entries = await logEntries(store);
  assert.equal(entries.length, 484);
  assert.deepEqual((await store.state()).totals, tally(entries));
  const days = entries.map((e) => (e.kind === 'declaration' ? e.day : '')).sort();
  const expected = lines
    .filter((l) => l.startsWith('{"'))
    .map((l) => JSON.parse(l).day)
    .sort();
  assert.deepEqual(days, expected);
  assert.equal((await run(store, path, { batchSize: 7, workers: 3 })).imported, 0);
});

test('batches over several workers, starting anywhere in the log and after rejects, give the tree of their entries', async () => {
  const store = new MemoryStore();
  await run(store, file('first.ndjson', '{"day":"2010-01-01","orgs":["party"]}\n'.repeat(5)));
  const lines = Array.from({ length: 3000 }, (_, i) =>
    i === 9 || i === 1500 || i === 1501
      ? '{"day":"2010-01-01","orgs":[]}'
      : `{"day":"2014-0${1 + (i % 9)}-1${i % 10}","orgs":["league"],"region":"CN-GD"}`,
  );
  const summary = await run(store, file('big.ndjson', lines.join('\n')), {
    batchSize: 700,
    workers: 2,
  });
  assert.deepEqual([summary.imported, summary.rejected, summary.treeSize], [2997, 3, 3002]);
  const { treeSize, checkpoint } = await store.state();
  const leaves: Uint8Array[] = [];
  for (let k = 0; k * TILE_WIDTH < treeSize; k++) {
    const width = Math.min(TILE_WIDTH, treeSize - k * TILE_WIDTH);
    const [bundle] = await store.readTiles([{ level: ENTRIES_LEVEL, index: k, width }]);
    leaves.push(...parseEntryBundle(bundle as Uint8Array, width).map(hashLeaf));
  }
  const signed = parseCheckpoint(parseNote(checkpoint as string).text);
  assert.deepEqual(
    [signed.treeSize, Buffer.from(signed.root).toString('hex')],
    [treeSize, Buffer.from(rootFromLeafHashes(leaves)).toString('hex')],
  );
});
