import {
  headline as headlineTotal,
  ORGS,
  type Publication,
  type Totals,
} from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { checkBlock, type Operator, operatorBlock, type Site } from './check.ts';
import { overTimeChart } from './over-time.ts';
import { statementList } from './statements.ts';

/**
 * The headline: the exact total inside the sentence that says what it is, and from 10,000 up the
 * short form marked as approximate. live.js keeps both up to date from the log.
 */
export function headline(t: I18n, total: number, treeSize: number): Html {
  const marker = '\u0000';
  const [before = '', after = ''] = t.m['home.total'](total, marker).split(marker);
  const approx = t.approx(total);
  return html`<p class="total">${before}<strong id="total" data-total="${total}" data-figure="total" data-tree-size="${treeSize}">${t.number(total)}</strong>${after}</p>
<p class="approx" id="total-approx" data-template="${t.m['home.approx']('{n}')}"${approx === undefined ? html` hidden` : ''}>${approx ?? ''}</p>`;
}

/** Imported history and declarations made here, apart, each with what it is. */
export function totalParts(t: I18n, totals: Totals): Html {
  const { m } = t;
  return html`<ul class="parts">
<li><strong id="total-registered" data-figure="registered.declarants">${t.number(totals.registered.declarants)}</strong> ${m['stats.registered']}<small>${m['home.registeredNote']}</small></li>
<li class="history"><strong id="total-imported" data-figure="imported.declarants">${t.number(totals.imported.declarants)}</strong> ${m['stats.imported']}<small>${m['home.importedNote']}</small></li>
</ul>`;
}

export function homePage(
  t: I18n,
  totals: Totals,
  latest: readonly Publication[],
  site: Site,
  treeSize: number,
  operator: Operator,
): Page {
  const { m } = t;
  const total = headlineTotal(totals);
  return {
    title: m['home.title'],
    path: '/',
    script: 'live',
    body: html`<h1>${m['home.title']}</h1>
<p id="intro">${m['home.intro']}</p>
${operatorBlock(t, operator)}
${headline(t, total, treeSize)}
${totalParts(t, totals)}
<p class="lead">${m['home.totalNote']}</p>
<p><a class="button" href="${t.path('/declare')}">${m['home.declare']}</a></p>
<h2>${m['home.byOrg']}</h2>
<ul class="orgs">${ORGS.map((o) => html`<li>${m[`org.${o}`]}<strong data-figure="orgs.${o}">${t.number((totals.registered.orgs[o] ?? 0) + (totals.imported.orgs[o] ?? 0))}</strong></li>`)}</ul>
${overTimeChart(t, totals)}
<h2>${m['home.check']}</h2>
<p>${m['home.checkText']}</p>
${checkBlock(t, site)}
<p><a href="${t.path('/about')}">${m['about.verify']}</a></p>
<h2>${m['home.latest']}</h2>
${latest.length === 0 ? html`<p>${m['home.noStatements']}</p>` : statementList(t, latest)}`,
  };
}
