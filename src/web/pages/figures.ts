import { readFileSync } from 'node:fs';
import type { Totals } from '../../registry/index.ts';
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

export function figuresPage(t: I18n, figures: readonly Figure[], totals: Totals): Page {
  const { m } = t;
  const here = totals.registered.declarants;
  const imported = totals.imported.declarants;
  const short = (n: number) => {
    const a = t.approx(n);
    return a === undefined ? '' : html`<br><small>${a}</small>`;
  };
  return {
    title: m['figures.title'],
    path: '/figures',
    body: html`<h1>${m['figures.title']}</h1>
<p>${m['figures.intro']}</p>
<table class="cards"><thead><tr><th scope="col">${m['figures.claim']}</th><th scope="col" class="num">${m['figures.value']}</th><th scope="col">${m['figures.date']}</th><th scope="col">${m['figures.source']}</th></tr></thead>
<tbody>
<tr><th scope="row">${m['figures.verifiable']}<br><small>${m['stats.registered']} ${t.number(here)} · ${m['stats.imported']} ${t.number(imported)}</small></th><td class="num" data-label="${m['figures.value']}"><strong>${t.number(here + imported)}</strong>${short(here + imported)}</td><td data-label="${m['figures.date']}">${m['figures.now']}</td><td data-label="${m['figures.source']}"><a href="${t.path('/about#verify')}">${m['about.verify']}</a></td></tr>
${figures.map((f) => html`<tr><th scope="row">${f.claim[t.locale]}${f.note ? html`<br><small>${f.note[t.locale]}</small>` : ''}</th><td class="num" data-label="${m['figures.value']}">${t.number(f.value)}${short(f.value)}</td><td data-label="${m['figures.date']}"><time datetime="${f.asOf}">${f.asOf}</time></td><td data-label="${m['figures.source']}">${f.source[t.locale]}</td></tr>`)}
</tbody></table>`,
  };
}
