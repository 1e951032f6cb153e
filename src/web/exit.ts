// "Leave this page quickly" (GOV.UK's exit-this-page pattern) for someone interrupted while
// declaring or keeping a receipt: a link to an everyday site in the page's language. With
// JavaScript (src/web/client/exit.ts) the page is blanked and replaced, history entry included,
// by that site; without it, it is a plain link. Neither site is told where the visitor came from.
import { type Html, html } from './html.ts';
import type { I18n, Locale } from './i18n.ts';

/** An everyday page a reader of each language might have open: search or the weather. */
export const EXIT_URL: Record<Locale, string> = {
  'zh-Hans': 'https://www.baidu.com/',
  'zh-Hant': 'https://www.google.com/',
  en: 'https://www.bbc.co.uk/weather',
};

export function exitControl(t: I18n): Html {
  // A landmark of its own (complementary), as every piece of a page should be in one.
  return html`<aside class="exit-page" aria-label="${t.m['exit.label']}"><a class="exit-page-link" href="${EXIT_URL[t.locale]}" rel="noreferrer noopener">${t.m['exit.label']}</a></aside>`;
}
