// The page shell: language attributes, navigation, the language switcher, self-hosted CSS and (on
// the pages that use it) the one self-hosted script. Nothing is loaded from anywhere else.
import type { ClientScript } from './bundle.ts';
import { exitControl } from './exit.ts';
import { type Html, html } from './html.ts';
import { type I18n, LOCALES, NATIVE_NAME, PREFIX } from './i18n.ts';

export interface Page {
  readonly title: string;
  /** The path without the language prefix, e.g. `/stats`, for the language switcher. */
  readonly path: string;
  readonly body: Html;
  /** The page's script, if any: /static/<name>.js. */
  readonly script?: ClientScript;
  /**
   * Cache-Control, `no-store` unless said. The declaration form says `private, no-cache`: the
   * back button then shows it as it was, with its submission key, so that sending it again answers
   * the same receipts instead of declaring twice.
   */
  readonly cache?: string;
  /**
   * A title that says nothing of the registry, for the pages whose title would give a person away
   * in a browser's history or tabs (the form, receipts, erasure): `title` alone, no site name.
   */
  readonly neutralTitle?: boolean;
  /** A "leave this page quickly" control at the top (exit.ts): the form and the receipt pages. */
  readonly exit?: boolean;
  /**
   * A page of no navigation item (not found, errors): none is marked as the current one, though
   * `path` sends the language links to the home page.
   */
  readonly outsideNav?: boolean;
}

const NAV = [
  ['/', 'nav.home'],
  ['/declare', 'nav.declare'],
  ['/statements', 'nav.statements'],
  ['/stats', 'nav.stats'],
  ['/figures', 'nav.figures'],
  ['/about', 'nav.about'],
  ['/newsletter', 'nav.newsletter'],
] as const;

/** `staff`: a staff page, which uses the sign-in cookie (the footer says so). */
export function layout(t: I18n, page: Page, { staff = false }: { staff?: boolean } = {}): string {
  const { m } = t;
  return `<!doctype html>\n${
    html`<html lang="${t.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.neutralTitle ? page.title : `${page.title} · ${m['site.name']}`}</title>
<link rel="stylesheet" href="/static/site.css">
<link rel="alternate" type="application/atom+xml" href="${t.path('/statements/feed.xml')}" title="${m['statements.feed']}">
${page.script ? html`<script src="/static/${page.script}.js" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#main">${m['nav.skip']}</a>
${page.exit ? exitControl(t) : ''}
<header>
<div class="site-id"><a class="brand" href="${t.path('/')}">${m['site.name']}</a><p class="tagline">${m['site.tagline']}</p></div>
<nav aria-label="${m['site.name']}"><ul>
${NAV.map(([p, key]) => html`<li><a href="${t.path(p)}"${page.path === p && !page.outsideNav && !staff ? html` aria-current="page"` : ''}>${m[key]}</a></li>`)}
</ul></nav>
<nav class="languages" aria-label="${m['nav.languages']}"><ul>
${LOCALES.map((l) => html`<li><a href="/${PREFIX[l]}${page.path === '/' ? '/' : page.path}" lang="${l}" hreflang="${l}"${l === t.locale ? html` aria-current="true"` : ''}>${NATIVE_NAME[l]}</a></li>`)}
</ul></nav>
</header>
<main id="main">
${page.body}
</main>
<footer>
${staff ? '' : html`<p class="footer-links"><a href="${t.path('/receipt')}">${m['nav.receipt']}</a> · <a href="${t.path('/erase')}">${m['erase.link']}</a></p>`}
<p>${staff ? m['footer.staff'] : m['footer.privacy']}${t.locale === 'en' ? ' ' : ''}${m['footer.code']}</p>
</footer>
</body>
</html>`.value
  }\n`;
}
