// What `tuidang verify` compares with its recount (published.ts): the statistics, every figure of
// the home and statistics pages and each stats.csv. A registry in this process serves the real
// pages; each test changes one thing in them, as a lying server would, and expects that figure
// named. Unit cases pin the figure names and the rules for zeros (docs/statistics.md).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig } from '../config/index.ts';
import { type Entry, type Totals, tally } from '../registry/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';
import {
  checkPublished,
  csvDifferences,
  type Difference,
  figureValue,
  LANGUAGE_PREFIXES,
  pageDifferences,
  pageFigures,
  requiredFigures,
  statsDifferences,
  totalsDifferences,
} from './published.ts';

const commitment = new Uint8Array(32);
const declared = (day: string, more: Partial<Entry & { kind: 'declaration' }> = {}): Entry => ({
  kind: 'declaration',
  day,
  orgs: ['party'],
  channel: 'web',
  commitment,
  ...more,
});
/** Six entries: web, phone and imported declarations, one voided as a test. */
const sample: Totals = tally([
  declared('2026-11-30', { orgs: ['party', 'league'], region: 'CN-GD' }),
  declared('2026-12-01', { channel: 'phone' }),
  declared('2005-03-04', { channel: 'import', orgs: ['pioneers'], region: 'CN-SC' }),
  declared('2005-04-01', { channel: 'import' }),
  declared('2026-12-02'),
  { kind: 'void', day: '2026-12-02', target: 4, reason: 'test' },
]);

test('figureValue: every name of docs/statistics.md, and undefined for any other', () => {
  const v = (name: string) => figureValue(name, sample, 6);
  assert.equal(v('total'), 4);
  assert.equal(v('treeSize'), 6);
  assert.equal(v('entries'), 6);
  assert.equal(v('voided.test'), 1);
  assert.equal(v('voided.flood'), 0);
  assert.equal(v('voided.nonsense'), undefined);
  assert.equal(v('voided.test.more'), undefined);
  assert.equal(v('declarants'), 4);
  assert.equal(v('registered.declarants'), 2);
  assert.equal(v('imported.declarants'), 2);
  assert.equal(v('orgs.party'), 3);
  assert.equal(v('registered.orgs.league'), 1);
  assert.equal(v('imported.orgs.pioneers'), 1);
  assert.equal(v('channels.phone'), 1);
  assert.equal(v('imported.channels.import'), 2);
  assert.equal(v('regions.CN-GD'), 1);
  assert.equal(v('regions.none'), 2);
  assert.equal(v('regions.CN-BJ'), 0, 'a province with no one is 0');
  assert.equal(v('overTime.2026'), 2, 'the voided declaration is not counted');
  assert.equal(v('overTime.2005-03'), 1);
  assert.equal(v('imported.overTime.2005'), 2);
  assert.equal(v('registered.overTime.2005'), 0);
  for (const name of [
    'declarants.extra',
    'overTime.x2026',
    'orgs.cadre',
    'regions.XX',
    'overTime.26',
    'overTime.2026-1',
    'overTime.2026-12-01',
    'orgs',
    'orgs.party.extra',
    'registered',
    'nonsense',
    'days.2026-12-01',
  ])
    assert.equal(v(name), undefined, name);
});

test('requiredFigures: what every page must show, and the provinces and voids of this log', () => {
  assert.deepEqual(requiredFigures('home', sample), [
    'total',
    'registered.declarants',
    'imported.declarants',
    'orgs.party',
    'orgs.league',
    'orgs.pioneers',
  ]);
  const stats = requiredFigures('stats', sample);
  assert.ok(stats.includes('treeSize'));
  for (const part of ['registered', 'imported'])
    for (const name of [
      'orgs.party',
      'channels.web',
      'channels.import',
      'regions.CN-GD',
      'regions.none',
    ])
      assert.ok(stats.includes(`${part}.${name}`), `${part}.${name}`);
  assert.ok(
    !stats.some((n) => n.endsWith('regions.CN-BJ')),
    'a province with no one is not required',
  );
  assert.deepEqual(
    stats.filter((n) => n.startsWith('voided.')),
    ['voided.test'],
  );
  assert.ok(
    !requiredFigures('stats', tally([declared('2026-12-01')])).some((n) => n.startsWith('voided')),
  );
});

test('statsDifferences and totalsDifferences: each figure named, zeros only where allowed', () => {
  const body = {
    treeSize: 6,
    total: 4,
    totals: JSON.parse(JSON.stringify(sample)),
    checkpoint: 'x',
  };
  assert.deepEqual(statsDifferences(body, sample, 6), []);
  assert.deepEqual(statsDifferences([], sample, 6), [
    ['/api/v1/stats', 'not a JSON object', 'the statistics'],
  ]);
  assert.deepEqual(statsDifferences(null, sample, 6)[0]?.[1], 'not a JSON object');
  assert.deepEqual(statsDifferences({ ...body, total: 5 }, sample, 6), [
    ['/api/v1/stats total', '5', '4'],
  ]);
  assert.deepEqual(statsDifferences({ ...body, treeSize: 5 }, sample, 6), [
    ['/api/v1/stats treeSize', '5', '6'],
  ]);
  const { total: _, ...noTotal } = body;
  assert.deepEqual(statsDifferences(noTotal, sample, 6), [
    ['/api/v1/stats total', '(missing)', '4'],
  ]);
  assert.deepEqual(statsDifferences({ ...body, extra: 1 }, sample, 6), [
    ['/api/v1/stats extra', '1', '(no such figure)'],
  ]);
  assert.deepEqual(statsDifferences({ ...body, checkpoint: null }, sample, 6, '/s'), [
    ['/s checkpoint', 'null', 'the checkpoint'],
  ]);
  const empty = tally([]);
  assert.deepEqual(
    statsDifferences(
      { treeSize: 0, total: 0, totals: JSON.parse(JSON.stringify(empty)), checkpoint: null },
      empty,
      0,
    ),
    [],
    'an empty log may have no checkpoint yet',
  );
  // A fixed key missing, or a zero where none belongs, is a difference in the statistics; the
  // loose comparison (for pages) takes a missing key as zero.
  const changed = JSON.parse(JSON.stringify(sample));
  delete changed.registered.orgs.pioneers;
  changed.registered.regions['CN-BJ'] = 0;
  assert.deepEqual(totalsDifferences(changed, sample, true), [
    ['registered.orgs.pioneers', '(missing)', '0'],
    ['registered.regions.CN-BJ', '0', '(no such figure)'],
  ]);
  assert.deepEqual(totalsDifferences(changed, sample), []);
  changed.imported.days['2005-03-04'] = 2;
  assert.deepEqual(totalsDifferences(changed, sample), [['imported.days.2005-03-04', '2', '1']]);
  assert.deepEqual(statsDifferences({ ...body, totals: changed }, sample, 6), [
    ['/api/v1/stats totals.imported.days.2005-03-04', '2', '1'],
    ['/api/v1/stats totals.registered.orgs.pioneers', '(missing)', '0'],
    ['/api/v1/stats totals.registered.regions.CN-BJ', '0', '(no such figure)'],
  ]);
  assert.deepEqual(totalsDifferences({ entries: null }, { entries: 1 }), [
    ['entries', 'null', '1'],
  ]);
});

test('pageFigures and pageDifferences: a figure is read from its element, digits only', () => {
  const page = (total: string, more = '') =>
    `<p><strong data-total="4" data-figure="total" data-tree-size="6">${total}</strong>${more}</p>` +
    '<span data-figure="registered.declarants">2</span><td class="num" data-figure="imported.declarants">2</td>' +
    ['party', 'league', 'pioneers']
      .map((o) => `<b data-figure="orgs.${o}">${figureValue(`orgs.${o}`, sample, 6)}</b>`)
      .join('');
  const home = (html: string) => pageDifferences(html, 'home', sample, 6, '/x');
  assert.deepEqual(pageFigures(page('4')).treeSize, 6);
  assert.equal(pageFigures('<b data-tree-size="398434766">x</b>').treeSize, 398434766);
  // A figure of 0 written without a digit is not a 0; data-total is the headline's only.
  assert.deepEqual(home(page('4', '<i data-figure="voided.flood">none</i>')), [
    ['/x voided.flood', 'none', '0'],
  ]);
  assert.deepEqual(home(page('4', '<i data-figure="voided.test" data-total="9">1</i>')), []);
  assert.equal(pageFigures('<p>no size</p>').treeSize, undefined);
  assert.deepEqual(home(page('4')), []);
  assert.deepEqual(home(page('约4')), [], 'digits are read');
  assert.deepEqual(home(page(' 5 ')), [['/x total', '5', '4']]);
  assert.deepEqual(home(page('many')), [['/x total', 'many', '4']]);
  assert.deepEqual(home(page('4', '<i data-figure="orgs.cadre">0</i>')), [
    ['/x orgs.cadre', '0', '(no such figure)'],
  ]);
  assert.deepEqual(home(page('4').replace('data-total="4"', 'data-total="40"')), [
    ['/x total (data-total)', '40', '4'],
  ]);
  assert.deepEqual(home(page('4').replace('data-figure="orgs.league"', 'data-x="y"')), [
    ['/x orgs.league', '(missing)', '1'],
  ]);
});

test('csvDifferences: every row once, none added, each value as recounted', () => {
  const rows = [
    'dimension,key,registered,imported,all',
    'log,treeSize,,,6',
    'log,entries,,,6',
    'total,declarants,2,2,4',
    'organisation,party,2,1,3',
    'organisation,league,1,0,1',
    'organisation,pioneers,0,1,1',
    ...['web,1,0,1', 'volunteer,0,0,0', 'phone,1,0,1', 'centre,0,0,0', 'import,0,2,2'].map(
      (r) => `channel,${r}`,
    ),
    'region,CN-GD,1,0,1',
    'region,none,1,1,2',
    'region,CN-SC,0,1,1',
    'day,2026-11-30,1,0,1',
    'day,2026-12-01,1,0,1',
    'day,2005-03-04,0,1,1',
    'day,2005-04-01,0,1,1',
    'voided,test,,,1',
  ];
  const csv = `${rows.join('\n')}\n`;
  assert.deepEqual(csvDifferences(csv, sample, 6, '/c'), []);
  const without = (i: number) => rows.filter((_, j) => j !== i).join('\n');
  assert.deepEqual(csvDifferences(without(1), sample, 6, '/c'), [
    ['/c log,treeSize', '(missing)', ',,6'],
  ]);
  assert.deepEqual(csvDifferences(without(0), sample, 6, '/c')[0], [
    '/c header',
    'log,treeSize,,,6',
    'dimension,key,registered,imported,all',
  ]);
  assert.deepEqual(csvDifferences('', sample, 6, '/c')[0], [
    '/c header',
    '(empty)',
    'dimension,key,registered,imported,all',
  ]);
  assert.deepEqual(csvDifferences(`${csv}region,CN-GD,1,0,1\n`, sample, 6, '/c'), [
    ['/c region,CN-GD', '1,0,1', '(once only)'],
  ]);
  assert.deepEqual(csvDifferences(`${csv}region,CN-BJ,0,0,0\n`, sample, 6, '/c'), [
    ['/c region,CN-BJ', '0,0,0', '(no such row)'],
  ]);
  assert.deepEqual(
    csvDifferences(
      csv.replace('total,declarants,2,2,4', 'total,declarants,2,2,5'),
      sample,
      6,
      '/c',
    ),
    [['/c total,declarants', '2,2,5', '2,2,4']],
  );
  assert.deepEqual(csvDifferences(without(rows.length - 1), sample, 6, '/c'), [
    ['/c voided,test', '(missing)', ',,1'],
  ]);
});

let registry: Registry;
before(async () => {
  registry = await startRegistry(
    readConfig({
      PORT: '0',
      DATA_DIR: join(mkdtempSync(join(tmpdir(), 'tuidang-published-')), 'data'),
      TUIDANG_ORIGIN: 'published.example/log',
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      LOG_LEVEL: 'silent',
    }),
  );
  const res = await fetch(`${registry.url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'en',
      declarants: [
        { name: 'A', nameKind: 'alias', orgs: ['party', 'league'], region: 'CN-GD' },
        { name: 'B', nameKind: 'alias', orgs: ['pioneers'] },
      ],
    }),
  });
  assert.equal(res.status, 201);
});
after(() => registry?.close());

/** The registry's pages, each passed through `lie` (which may change its status or text). */
function pages(
  lie: (path: string, text: string) => { status?: number; text: string } = (_, text) => ({ text }),
) {
  return async (path: string) => {
    const res = await fetch(`${registry.url}${path}`);
    const changed = lie(path, await res.text());
    return { status: changed.status ?? res.status, text: changed.text };
  };
}

const recount = async () => {
  const { totals, treeSize } = await registry.store.state();
  return { totals, treeSize };
};

test("a registry's real pages in every language match its recount", async () => {
  const { totals, treeSize } = await recount();
  assert.equal(treeSize, 2);
  const found = await checkPublished(pages(), totals, treeSize);
  assert.deepEqual(found, { differences: [], moved: [] });
  // And the statistics it publishes.
  const stats = await (await fetch(`${registry.url}/api/v1/stats`)).json();
  assert.deepEqual(statsDifferences(stats, totals, treeSize), []);
});

test('a changed figure, a page at another size, a page without its size or an error are each named', async () => {
  const { totals, treeSize } = await recount();
  const check = async (lie: Parameters<typeof pages>[0]) =>
    checkPublished(pages(lie), totals, treeSize);
  const only = (path: string, f: (text: string) => string, status?: number) =>
    check((p, text) => (p === path ? { text: f(text), ...(status ? { status } : {}) } : { text }));

  const total = await only('/zh-hant/', (t) => t.replace(/(data-figure="total"[^>]*>)2</, '$13<'));
  assert.deepEqual(total.differences, [['/zh-hant/ total', '3', '2']] satisfies Difference[]);

  const moved = await only('/en/stats', (t) =>
    t.replace(/data-tree-size="2"/, 'data-tree-size="3"'),
  );
  assert.deepEqual(moved, { differences: [], moved: ['/en/stats'] });

  const sizeless = await only('/zh-hans/', (t) => t.replaceAll('data-tree-size=', 'data-x='));
  assert.deepEqual(sizeless.differences, [['/zh-hans/ treeSize', '(missing)', '2']]);

  const csv = await only('/en/stats.csv', (t) => t.replace('log,treeSize,,,2', 'log,treeSize,,,9'));
  assert.deepEqual(csv, { differences: [], moved: ['/en/stats.csv'] });

  const twoDigits = await only('/en/stats.csv', (t) =>
    t.replace('log,treeSize,,,2', 'log,treeSize,,,21'),
  );
  assert.deepEqual(twoDigits, { differences: [], moved: ['/en/stats.csv'] });
  for (const line of ['xlog,treeSize,,,2', 'log,treeSize,,,2x']) {
    const odd = await only('/en/stats.csv', (t) => t.replace('log,treeSize,,,2', line));
    assert.deepEqual(odd.differences[0], ['/en/stats.csv treeSize', '(missing)', '2'], line);
  }

  const csvSizeless = await only('/en/stats.csv', (t) => t.replace('log,treeSize,,,2\n', ''));
  assert.deepEqual(csvSizeless.differences, [['/en/stats.csv treeSize', '(missing)', '2']]);

  const row = await only('/zh-hans/stats.csv', (t) =>
    t.replace(/^organisation,party,1,0,1$/m, 'organisation,party,2,0,2'),
  );
  assert.deepEqual(row.differences, [['/zh-hans/stats.csv organisation,party', '2,0,2', '1,0,1']]);

  const failed = await only('/en/', (t) => t, 500);
  assert.deepEqual(failed.differences, [['/en/', 'answered 500', 'the page']]);

  // Every language's three pages are read, in order.
  const read: string[] = [];
  await check((p, text) => {
    read.push(p);
    return { text };
  });
  assert.deepEqual(
    read,
    LANGUAGE_PREFIXES.flatMap((l) => [`/${l}/`, `/${l}/stats`, `/${l}/stats.csv`]),
  );
});
