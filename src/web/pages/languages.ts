// The language choice that `/` offers a browser which hides its reader's language. Tor Browser
// (and Firefox's "request English versions of web pages") sends the same generic
// `en-US,en;q=0.5` for everyone, so that it cannot tell a reader apart; sending all of them to
// English would send a reader from the mainland, the registry's first audience, to a language
// they may not read. Chinese comes first, each choice written in its own language.
import { html } from '../html.ts';
import { catalogs, LOCALES, NATIVE_NAME, PREFIX } from '../i18n.ts';

/** Accept-Language exactly as Tor Browser sends it (and Firefox in en-US): no preference told. */
export function isGenericLanguage(header: string | undefined): boolean {
  return header !== undefined && /^\s*en-us\s*,\s*en\s*;\s*q=0\.5\s*$/i.test(header);
}

/** A whole document: it has no language of its own, so no navigation in one. */
export function languageChoicePage(): string {
  const zh = catalogs['zh-Hans'];
  return `<!doctype html>\n${
    html`<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${LOCALES.map((l) => catalogs[l]['language.title']).join(' · ')}</title>
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<main id="main" class="language-choice">
<h1>${zh['site.name']}</h1>
<p>${LOCALES.map((l, i) => html`${i > 0 ? ' · ' : ''}<span lang="${l}">${catalogs[l]['language.title']}</span>`)}</p>
<ul class="languages-choice">
${LOCALES.map(
  (l) => html`<li lang="${l}"><a href="/${PREFIX[l]}/" hreflang="${l}">${NATIVE_NAME[l]}</a>
<p class="hidden-language">${catalogs[l]['language.hidden']}</p></li>`,
)}
</ul>
</main>
</body>
</html>`.value
  }\n`;
}
