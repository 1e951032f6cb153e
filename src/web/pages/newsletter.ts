import { html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

export interface NewsletterForm {
  readonly email: string;
  readonly consent: boolean;
}

export function newsletterPage(
  t: I18n,
  available: boolean,
  form: NewsletterForm = { email: '', consent: false },
  errors: { email?: string; consent?: string } = {},
  notice?: string,
): Page {
  const { m } = t;
  return {
    title: m['newsletter.title'],
    path: '/newsletter',
    body: html`<h1>${m['newsletter.title']}</h1>
<p>${m['newsletter.intro']}</p>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${
  available
    ? html`<form method="post" action="${t.path('/newsletter')}" novalidate>
<label for="email">${m['newsletter.email']}</label>
<input type="text" id="email" name="email" inputmode="email" autocomplete="email" value="${form.email}"${errors.email ? html` aria-invalid="true" aria-describedby="email-error"` : ''}>
${errors.email ? html`<p class="error" id="email-error">${errors.email}</p>` : ''}
<label class="check"><input type="checkbox" name="consent" value="yes"${form.consent ? html` checked` : ''}${errors.consent ? html` aria-describedby="consent-error"` : ''}> ${m['newsletter.consent']}</label>
${errors.consent ? html`<p class="error" id="consent-error">${errors.consent}</p>` : ''}
<p><button type="submit">${m['newsletter.subscribe']}</button></p>
</form>`
    : html`<p>${m['newsletter.unavailable']}</p>`
}`,
  };
}

export function messagePage(
  _t: I18n,
  title: string,
  text: string,
  form?: { action: string; button: string },
): Page {
  return {
    title,
    path: '/newsletter',
    body: html`<h1>${title}</h1><p>${text}</p>${form ? html`<form method="post" action="${form.action}"><p><button type="submit">${form.button}</button></p></form>` : ''}`,
  };
}
