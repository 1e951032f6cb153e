import { readFileSync } from 'node:fs';
import { html } from '../html.ts';
import type { I18n, Locale } from '../i18n.ts';
import type { Page } from '../layout.ts';

type Text = Record<Locale, string>;
interface Figure {
  claim: Text;
  value: number;
  asOf: string;
  source: Text;
  note?: Text;
}

/** The reference figures: a data file staff can extend (src/web/figures.json), read at start. */
export function loadFigures(path = new URL('../figures.json', import.meta.url)): Figure[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { figures: Figure[] }).figures;
}

export function figuresPage(t: I18n, figures: readonly Figure[], verifiable: number): Page {
  const { m } = t;
  return {
    title: m['figures.title'],
    path: '/figures',
    body: html`<h1>${m['figures.title']}</h1>
<p>${m['figures.intro']}</p>
<table><thead><tr><th scope="col">${m['figures.claim']}</th><th scope="col" class="num">${m['figures.value']}</th><th scope="col">${m['figures.date']}</th><th scope="col">${m['figures.source']}</th></tr></thead>
<tbody>
<tr><th scope="row">${m['figures.verifiable']}</th><td class="num"><strong>${t.number(verifiable)}</strong></td><td>—</td><td><a href="${t.path('/about')}">${m['about.verify']}</a></td></tr>
${figures.map((f) => html`<tr><th scope="row">${f.claim[t.locale]}${f.note ? html`<br><small>${f.note[t.locale]}</small>` : ''}</th><td class="num">${t.number(f.value)}${t.locale === 'en' ? '' : html`<br><small>${t.compact(f.value)}</small>`}</td><td><time datetime="${f.asOf}">${f.asOf}</time></td><td>${f.source[t.locale]}</td></tr>`)}
</tbody></table>`,
  };
}
