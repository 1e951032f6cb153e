import { type Publication, type PublicationQuery, statementMonth } from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

/** What a visitor filters statements by (the store's query, without its page size). */
export type StatementQuery = Pick<PublicationQuery, 'text' | 'year'> & {
  /** The page, from 1, newest approval first. Pages go by position, never by entry number. */
  readonly page: number;
};

/** `2026年12月`, `December 2026`: all a statement shows of when its entry was made. */
function monthName(t: I18n, month: string): string {
  return new Intl.DateTimeFormat(t.locale, {
    year: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${month}-01T00:00:00Z`));
}

/**
 * Statements as the public sees them: the text, the name and the month, nothing else of the entry
 * (no day, organisations or region), so that each matches every entry of its month (crowd.ts).
 */
export function statementList(t: I18n, list: readonly Publication[]): Html {
  const { m } = t;
  return html`${list.map(
    (
      p,
    ) => html`<blockquote lang="${/[\u3400-\u9fff]/.test(p.statement) ? (t.locale === 'en' ? 'zh' : t.locale) : t.locale}"><p>${p.statement}</p>
<footer>${p.nameKind === 'alias' ? m['statements.byAlias'](p.name) : p.name} · <time datetime="${statementMonth(p.day)}">${monthName(t, statementMonth(p.day))}</time></footer></blockquote>`,
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
<label for="year">${m['statements.year']}</label><select id="year" name="year"><option value="">${m['statements.any']}</option>${years.map((y) => html`<option${q.year === y ? html` selected` : ''}>${y}</option>`)}</select>
<p><button type="submit">${m['statements.filter']}</button></p>
</form>
${list.length === 0 ? html`<p>${q.text || q.year || q.page > 1 ? m['statements.none'] : m['home.noStatements']}</p>` : statementList(t, list)}
<p>${q.page > 1 ? html`<a href="${t.path('/statements')}?${params(q.page - 1)}">${m['statements.newer']}</a> ` : ''}${more ? html`<a href="${t.path('/statements')}?${params(q.page + 1)}">${m['statements.older']}</a>` : ''}</p>
<p><a href="${t.path('/statements/feed.xml')}">${m['statements.feed']}</a></p>`,
  };
}
