// The page of a request that failed: what the visitor can do about it, in their language, never
// what failed inside (that is logged for the operator). Status and Retry-After come from src/errors.
import { html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

/** `busy`: come back in a moment; `ourSide`: our fault, try later; `request`: go back and retry. */
export type ErrorKind = 'busy' | 'ourSide' | 'request';

export function errorPage(t: I18n, kind: ErrorKind): Page {
  const { m } = t;
  return {
    title: m['errorPage.title'],
    path: '/',
    outsideNav: true,
    body: html`<h1>${m['errorPage.title']}</h1><p>${m[`errorPage.${kind}`]}</p><p><a href="${t.path('/')}">${m['nav.home']}</a></p>`,
  };
}
