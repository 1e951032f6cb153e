import { ORGS, type Publication, type Totals } from '../../registry/index.ts';
import { barChart } from '../chart.ts';
import { html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { statementList } from './statements.ts';

/** Declarations per month (registered here), from the per-day totals. */
export function perMonth(totals: Totals): Array<[string, number]> {
  const months = new Map<string, number>();
  for (const [day, n] of Object.entries(totals.registered.days))
    months.set(day.slice(0, 7), (months.get(day.slice(0, 7)) ?? 0) + n);
  return [...months.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

export function homePage(
  t: I18n,
  totals: Totals,
  latest: readonly Publication[],
  origin: string,
): Page {
  const { m } = t;
  const total = totals.registered.declarants + totals.imported.declarants;
  const months = perMonth(totals).slice(-24);
  const site = new URL(`https://${origin}`).host;
  return {
    title: m['home.title'],
    path: '/',
    script: 'live',
    body: html`<h1>${m['home.title']}</h1>
<p class="total" id="total" data-total="${total}">${t.number(total)}</p>
<p class="total-natural">${t.locale === 'en' ? '' : t.compact(total)} ${m['home.total'](total)}</p>
<p class="lead">${m['home.totalNote']}</p>
<p><a class="button" href="${t.path('/declare')}">${m['home.declare']}</a></p>
<h2>${m['home.byOrg']}</h2>
<ul class="orgs">${ORGS.map((o) => html`<li>${m[`org.${o}`]}<strong>${t.number((totals.registered.orgs[o] ?? 0) + (totals.imported.orgs[o] ?? 0))}</strong></li>`)}</ul>
${months.length > 0 ? barChart({ title: m['home.chart'], description: m['home.chartDesc'](months.length), labelHeader: m['chart.month'], valueHeader: m['chart.count'], rows: months, format: t.number }) : ''}
<h2>${m['home.check']}</h2>
<p>${m['home.checkText']}</p>
<pre><code>npx tuidang verify https://${site}</code></pre>
<p><a href="${t.path('/about')}">${m['about.verify']}</a></p>
<h2>${m['home.latest']}</h2>
${latest.length === 0 ? html`<p>${m['home.noStatements']}</p>` : statementList(t, latest)}`,
  };
}
