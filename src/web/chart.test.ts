// The category chart: one bar per row, proportional, labelled above, names escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryChart } from './chart.ts';

test('category chart: bars proportional to the counts, each labelled with its name and figure', () => {
  const svg = categoryChart({
    title: 'By organisation',
    description: 'Declarations by organisation',
    labelHeader: 'Organisation',
    valueHeader: 'Declarations',
    rows: [
      ['Communist Youth League', 10],
      ['<b>Young Pioneers</b>', 40],
      ['None', 0],
    ],
    format: (n) => n.toLocaleString('en'),
  }).value;
  const widths = [...svg.matchAll(/<rect class="bar"[^>]* width="(\d+)"/g)].map((m) =>
    Number(m[1]),
  );
  assert.deepEqual(widths, [83, 330, 1], 'a quarter of the longest; an empty row stays visible');
  const labels = [...svg.matchAll(/<text x="0" y="\d+">([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(labels, ['Communist Youth League', '&lt;b&gt;Young Pioneers&lt;/b&gt;', 'None']);
  assert.match(svg, /viewBox="0 0 400 112"/);
  assert.match(svg, /<td>Communist Youth League<\/td><td class="num">10<\/td>/);
  assert.doesNotMatch(svg, /<b>/);
});
