import { ORGS, type Publication, type PublicationQuery, REGIONS } from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { regionName } from '../regions-names.ts';

/** What a visitor filters statements by (the store's query, without its page size). */
export type StatementQuery = Omit<PublicationQuery, 'limit' | 'before' | 'olderThan' | 'offset'> & {
  /** The page, from 1, newest approval first. Pages go by position, never by entry number. */
  readonly page: number;
};

export function statementList(t: I18n, list: readonly Publication[]): Html {
  const { m } = t;
  return html`${list.map(
    (
      p,
    ) => html`<blockquote lang="${/[\u3400-\u9fff]/.test(p.statement) ? (t.locale === 'en' ? 'zh' : t.locale) : t.locale}"><p>${p.statement}</p>
<footer>${p.nameKind === 'alias' ? m['statements.byAlias'](p.name) : p.name} · ${p.orgs.map((o) => m[`org.${o as 'party'}`]).join(m['list.separator'])}${p.region ? html` · ${regionName(p.region, t.locale)}` : ''} · <time datetime="${p.day}">${p.day}</time></footer></blockquote>`,
  )}`;
}

export function statementsPage(
  t: I18n,
  list: readonly Publication[],
  q: StatementQuery,
  more: boolean,
): Page {
  const { m } = t;
  const years = Array.from(
    { length: new Date().getUTCFullYear() - 2003 },
    (_, i) => new Date().getUTCFullYear() - i,
  );
  // Pages by position, newest approval first: never by entry number (see StatementQuery).
  const params = (page: number) => {
    const p = new URLSearchParams();
    if (q.text) p.set('q', q.text);
    if (q.org) p.set('org', q.org);
    if (q.region) p.set('region', q.region);
    if (q.year) p.set('year', String(q.year));
    if (page > 1) p.set('page', String(page));
    return p.toString();
  };
  return {
    title: m['statements.title'],
    path: '/statements',
    body: html`<h1>${m['statements.title']}</h1>
<form method="get" action="${t.path('/statements')}" role="search">
<label for="q">${m['statements.search']}</label><input type="text" id="q" name="q" value="${q.text ?? ''}">
<label for="org">${m['statements.org']}</label><select id="org" name="org"><option value="">${m['statements.any']}</option>${ORGS.map((o) => html`<option value="${o}"${q.org === o ? html` selected` : ''}>${m[`org.${o}`]}</option>`)}</select>
<label for="region">${m['declare.region']}</label><select id="region" name="region"><option value="">${m['statements.any']}</option>${REGIONS.map(([c]) => html`<option value="${c}"${q.region === c ? html` selected` : ''}>${regionName(c, t.locale)}</option>`)}</select>
<label for="year">${m['statements.year']}</label><select id="year" name="year"><option value="">${m['statements.any']}</option>${years.map((y) => html`<option${q.year === y ? html` selected` : ''}>${y}</option>`)}</select>
<p><button type="submit">${m['statements.filter']}</button></p>
</form>
${list.length === 0 ? html`<p>${m['statements.none']}</p>` : statementList(t, list)}
<p>${q.page > 1 ? html`<a href="${t.path('/statements')}?${params(q.page - 1)}">${m['statements.newer']}</a> ` : ''}${more ? html`<a href="${t.path('/statements')}?${params(q.page + 1)}">${m['statements.older']}</a>` : ''}</p>
<p><a href="${t.path('/statements/feed.xml')}">${m['statements.feed']}</a></p>`,
  };
}
