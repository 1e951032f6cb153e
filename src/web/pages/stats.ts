import {
  CHANNELS,
  headline as headlineTotal,
  ORGS,
  REGIONS,
  type Tally,
  type Totals,
  VOID_REASONS,
} from '../../registry/index.ts';
import { categoryChart } from '../chart.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { regionName, regionsByName } from '../regions-names.ts';
import { headline, totalParts } from './home.ts';
import { overTimeChart, SERIES } from './over-time.ts';

/** One dimension: the caption names it, the first column holds its values, the others the counts. */
function table(
  t: I18n,
  caption: string,
  column: string,
  rows: ReadonlyArray<readonly [string, number, number]>,
  figures: readonly string[],
): Html {
  const { m } = t;
  const cell = (i: number, part: string, n: number) =>
    html`<td class="num" data-figure="${part}.${figures[i] ?? ''}">${t.number(n)}</td>`;
  return html`<table><caption>${caption}</caption>
<thead><tr><th scope="col">${column}</th><th scope="col" class="num">${m['stats.registered']}</th><th scope="col" class="num">${m['stats.imported']}</th></tr></thead>
<tbody>${rows.map(([label, a, b], i) => html`<tr><th scope="row">${label}</th>${cell(i, 'registered', a)}${cell(i, 'imported', b)}</tr>`)}</tbody></table>`;
}

const both = (r: Tally, i: Tally, pick: (x: Tally) => Record<string, number>, key: string) =>
  [pick(r)[key] ?? 0, pick(i)[key] ?? 0] as const;

export function statsRows(totals: Totals) {
  const r = totals.registered;
  const i = totals.imported;
  return {
    orgs: ORGS.map((o) => [o, ...both(r, i, (x) => x.orgs, o)] as const),
    channels: CHANNELS.map((c) => [c, ...both(r, i, (x) => x.channels, c)] as const),
    regions: [...REGIONS.map(([c]) => c), 'none']
      .map((c) => [c, ...both(r, i, (x) => x.regions, c)] as const)
      .filter(([, a, b]) => a + b > 0),
  };
}

export function statsPage(t: I18n, totals: Totals, treeSize: number): Page {
  const { m } = t;
  const counted = statsRows(totals);
  // Regions as the form lists them: the mainland by name, then Taiwan, Hong Kong and Macau, then
  // overseas, then "not given" (the CSV keeps the order of the codes).
  const order = [...regionsByName(t.locale), 'none'];
  const rows = {
    ...counted,
    regions: [...counted.regions].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)),
  };
  const voided = Object.entries(totals.voided);
  const region = (c: string) => (c === 'none' ? m['region.none'] : regionName(c, t.locale));
  // Organisations and provinces as charts with their table beside them (one title for both);
  // declarations made here and imported history stacked, in the tables' order.
  const chart = (
    title: string,
    column: string,
    list: ReadonlyArray<readonly [string, number, number]>,
    figures: readonly string[],
  ) =>
    categoryChart({
      title,
      description: title,
      labelHeader: column,
      tableSummary: m['chart.table'],
      series: SERIES(t),
      rows: list,
      format: t.number,
      open: true,
      figures: { rows: figures, series: ['registered', 'imported'] },
    });
  const orgs = rows.orgs.map(([o, a, b]) => [m[`org.${o}`], a, b] as const);
  const regions = rows.regions.map(([c, a, b]) => [region(c), a, b] as const);
  return {
    title: m['stats.title'],
    path: '/stats',
    body: html`<h1>${m['stats.title']}</h1>
${headline(t, headlineTotal(totals), treeSize)}
${totalParts(t, totals)}
<p>${m['stats.what']}</p>
<p>${figureIn(m['stats.treeSize'], 'treeSize', t.number(treeSize))}</p>
${chart(
  m['stats.byOrg'],
  m['statements.org'],
  orgs,
  rows.orgs.map(([o]) => `orgs.${o}`),
)}
${table(
  t,
  m['stats.byChannel'],
  m['stats.channel'],
  rows.channels.map(([c, a, b]) => [m[`channel.${c}`], a, b]),
  rows.channels.map(([c]) => `channels.${c}`),
)}
${
  regions.length > 0
    ? chart(
        m['stats.byRegion'],
        m['stats.region'],
        regions,
        rows.regions.map(([c]) => `regions.${c}`),
      )
    : ''
}
${overTimeChart(t, totals)}
${voided.length > 0 ? html`<h2>${m['stats.voided']}</h2><ul>${voided.map(([reason, n]) => html`<li>${m['stats.voidReason'](reason)}: <span data-figure="voided.${reason}">${t.number(n)}</span></li>`)}</ul>` : ''}
<p><a href="${t.path('/stats.csv')}" download>${m['stats.csv']}</a></p>`,
  };
}

/** A figure inside a sentence of the catalog, marked for a verifier (docs/statistics.md). */
function figureIn(message: (n: string) => string, name: string, formatted: string): Html {
  const marker = '\u0000';
  const [before = '', after = ''] = message(marker).split(marker);
  return html`${before}<span data-figure="${name}">${formatted}</span>${after}`;
}

/**
 * The totals as CSV, one row per figure (docs/statistics.md, "stats.csv"): the log's size, then
 * registered and imported apart with their sum; voids, which the log does not split so, in `all`.
 */
export function statsCsv(totals: Totals, treeSize: number): string {
  const rows = statsRows(totals);
  const lines = ['dimension,key,registered,imported,all'];
  const row = (dimension: string, key: string, a: number, b: number) =>
    lines.push(`${dimension},${key},${a},${b},${a + b}`);
  lines.push(`log,treeSize,,,${treeSize}`);
  lines.push(`log,entries,,,${totals.entries}`);
  row('total', 'declarants', totals.registered.declarants, totals.imported.declarants);
  for (const [k, a, b] of rows.orgs) row('organisation', k, a, b);
  for (const [k, a, b] of rows.channels) row('channel', k, a, b);
  for (const [k, a, b] of rows.regions) row('region', k, a, b);
  const days = new Set([
    ...Object.keys(totals.registered.days),
    ...Object.keys(totals.imported.days),
  ]);
  for (const d of [...days].sort())
    row('day', d, totals.registered.days[d] ?? 0, totals.imported.days[d] ?? 0);
  for (const reason of VOID_REASONS) {
    const n = totals.voided[reason];
    if (n) lines.push(`voided,${reason},,,${n}`);
  }
  return `${lines.join('\n')}\n`;
}
