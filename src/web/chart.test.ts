// The charts: bars proportional to the counts, stacked by series, every chart saying what it
// counts (a legend even for one bar), labels that never overlap, names escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barChart, type ChartData, categoryChart } from './chart.ts';

const series: ChartData['series'] = [
  { name: 'Imported history', tone: 'history' },
  { name: 'Made here', tone: 'here' },
];
const base = {
  title: 'Declarations per month',
  description: 'A bar a month',
  labelHeader: 'Month',
  tableSummary: 'The figures as a table',
  series,
  format: (n: number) => n.toLocaleString('en'),
};
const rects = (svg: string, tone: string) =>
  [
    ...svg.matchAll(
      new RegExp(
        `<rect class="bar ${tone}" x="[^"]*" y="[^"]*" width="([^"]*)" height="([^"]*)"><title>`,
        'g',
      ),
    ),
  ].map((m) => [Number(m[1]), Number(m[2])]);
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

test('category chart: stacked bars proportional to the counts, each labelled with its name and total', () => {
  const svg = categoryChart({
    ...base,
    rows: [
      ['Communist Youth League', 5, 5],
      ['<b>Young Pioneers</b>', 30, 10],
      ['None', 0, 0],
    ],
  }).value;
  const history = rects(svg, 'history').map(([w]) => w);
  const here = rects(svg, 'here').map(([w]) => w);
  assert.deepEqual(history, [32.5, 195]);
  assert.deepEqual(here, [32.5, 65], 'a quarter of the longest, split by series');
  assert.match(svg, /<rect class="bar" x="0" y="\d+" width="1"/, 'an empty row stays visible');
  const labels = texts(svg);
  for (const l of [
    'Communist Youth League',
    '&lt;b&gt;Young Pioneers&lt;/b&gt;',
    'None',
    '10',
    '40',
    '0',
  ])
    assert.ok(labels.includes(l), l);
  assert.match(
    svg,
    /<th scope="row">Communist Youth League<\/th><td class="num">5<\/td><td class="num">5<\/td>/,
  );
  assert.doesNotMatch(svg, /<b>/);
});

test('a chart of one bar still says what it is: legend, its month and its figure', () => {
  const svg = barChart({
    ...base,
    series: [series[1] as ChartData['series'][number]],
    rows: [['2026-11', 5]],
  }).value;
  assert.deepEqual(texts(svg), ['Made here', '2026-11', '5']);
  assert.match(svg, /<figcaption id="chart-\d+-title">Declarations per month<\/figcaption>/);
});

test('month labels are thinned so that none overlap, always keeping the newest', () => {
  const rows = Array.from(
    { length: 24 },
    (_, i) =>
      [`20${10 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, i, 1] as const,
  );
  const svg = barChart({ ...base, rows }).value;
  const xs = [
    ...svg.matchAll(/<text x="([\d.]+)" y="\d+" text-anchor="middle">(\d{4}-\d\d)<\/text>/g),
  ].map((m) => [Number(m[1]), m[2]] as const);
  assert.ok(xs.length >= 3 && xs.length < 24, `${xs.length} labels`);
  assert.equal(xs.at(-1)?.[1], '2011-12');
  for (let i = 1; i < xs.length; i++)
    assert.ok(
      (xs[i]?.[0] ?? 0) - (xs[i - 1]?.[0] ?? 0) >= 7 * 8.06,
      'labels at least a label apart',
    );
});
