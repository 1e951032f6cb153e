import { html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

export function notFoundPage(t: I18n): Page {
  const { m } = t;
  return {
    title: m['notFound.title'],
    path: '/',
    outsideNav: true,
    body: html`<h1>${m['notFound.title']}</h1><p>${m['notFound.text']}</p><p><a href="${t.path('/')}">${m['nav.home']}</a></p>`,
  };
}
