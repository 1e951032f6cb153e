import { CHANNELS, ORGS, REGIONS, type Tally, type Totals } from '../../registry/index.ts';
import { barChart, categoryChart } from '../chart.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { regionName } from '../regions-names.ts';
import { perMonth } from './home.ts';

function table(
  t: I18n,
  caption: string,
  rows: ReadonlyArray<readonly [string, number, number]>,
): Html {
  const { m } = t;
  return html`<table><caption>${caption}</caption>
<thead><tr><th scope="col">${caption}</th><th scope="col" class="num">${m['stats.registered']}</th><th scope="col" class="num">${m['stats.imported']}</th></tr></thead>
<tbody>${rows.map(([label, a, b]) => html`<tr><th scope="row">${label}</th><td class="num">${t.number(a)}</td><td class="num">${t.number(b)}</td></tr>`)}</tbody></table>`;
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
  const rows = statsRows(totals);
  const voided = Object.entries(totals.voided);
  const months = perMonth(totals);
  return {
    title: m['stats.title'],
    path: '/stats',
    body: html`<h1>${m['stats.title']}</h1>
<p>${m['stats.what']}</p>
<p>${m['stats.treeSize'](t.number(treeSize))}</p>
${table(t, m['stats.total'], [[m['stats.total'], totals.registered.declarants, totals.imported.declarants]])}
${table(
  t,
  m['stats.byOrg'],
  rows.orgs.map(([o, a, b]) => [m[`org.${o}`], a, b]),
)}
${categoryChart({ title: m['stats.byOrg'], description: m['stats.byOrg'], labelHeader: m['statements.org'], valueHeader: m['chart.count'], rows: rows.orgs.map(([o, a, b]) => [m[`org.${o}`], a + b] as const), format: t.number })}
${table(
  t,
  m['stats.byChannel'],
  rows.channels.map(([c, a, b]) => [m[`channel.${c}`], a, b]),
)}
${table(
  t,
  m['stats.byRegion'],
  rows.regions.map(([c, a, b]) => [
    c === 'none' ? m['region.none'] : regionName(c, t.locale),
    a,
    b,
  ]),
)}
${rows.regions.length > 0 ? categoryChart({ title: m['stats.byRegion'], description: m['stats.byRegion'], labelHeader: m['declare.region'], valueHeader: m['chart.count'], rows: rows.regions.map(([c, a, b]) => [c === 'none' ? m['region.none'] : regionName(c, t.locale), a + b] as const), format: t.number }) : ''}
<h2>${m['stats.byMonth']}</h2>
${months.length > 0 ? barChart({ title: m['stats.byMonth'], description: m['home.chartDesc'](months.length), labelHeader: m['chart.month'], valueHeader: m['chart.count'], rows: months, format: t.number }) : ''}
${voided.length > 0 ? html`<h2>${m['stats.voided']}</h2><ul>${voided.map(([reason, n]) => html`<li>${reason}: ${t.number(n)}</li>`)}</ul>` : ''}
<p><a href="${t.path('/stats.csv')}" download>${m['stats.csv']}</a></p>`,
  };
}

/** The totals as CSV: one row per figure, registered and imported apart. */
export function statsCsv(totals: Totals): string {
  const rows = statsRows(totals);
  const lines = ['dimension,key,registered,imported'];
  lines.push(`total,declarants,${totals.registered.declarants},${totals.imported.declarants}`);
  for (const [k, a, b] of rows.orgs) lines.push(`organisation,${k},${a},${b}`);
  for (const [k, a, b] of rows.channels) lines.push(`channel,${k},${a},${b}`);
  for (const [k, a, b] of rows.regions) lines.push(`region,${k},${a},${b}`);
  const days = new Set([
    ...Object.keys(totals.registered.days),
    ...Object.keys(totals.imported.days),
  ]);
  for (const d of [...days].sort())
    lines.push(`day,${d},${totals.registered.days[d] ?? 0},${totals.imported.days[d] ?? 0}`);
  for (const [reason, n] of Object.entries(totals.voided)) lines.push(`voided,${reason},${n},`);
  return `${lines.join('\n')}\n`;
}
