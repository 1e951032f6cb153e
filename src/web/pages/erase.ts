import { html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

export function erasePage(t: I18n, result?: string): Page {
  const { m } = t;
  return {
    title: m['erase.title'],
    path: '/erase',
    body: html`<h1>${m['erase.title']}</h1>
<p>${m['erase.intro']}</p>
${result ? html`<p class="notice" role="status">${result}</p>` : ''}
<form method="post" action="${t.path('/erase')}">
<label for="erase-receipt">${m['receipt.json']}</label>
<textarea id="erase-receipt" class="mono" name="receipt" rows="10"></textarea>
<p><button type="submit">${m['erase.button']}</button></p>
</form>`,
  };
}
