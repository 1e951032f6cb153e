import type { Publication } from '../../registry/index.ts';
import { html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

export function loginPage(t: I18n, csrf: string, notice?: string): Page {
  const { m } = t;
  return {
    title: m['staff.login'],
    path: '/',
    body: html`<h1>${m['staff.login']}</h1>
${notice ? html`<p class="notice" role="alert">${notice}</p>` : ''}
<form method="post" action="/staff/login">
<input type="hidden" name="csrf" value="${csrf}">
<label for="username">${m['staff.username']}</label>
<input type="text" id="username" name="username" autocomplete="username">
<label for="password">${m['staff.password']}</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<p><button type="submit">${m['staff.login']}</button></p>
</form>`,
  };
}

export function queuePage(
  t: I18n,
  username: string,
  csrf: string,
  pending: readonly Publication[],
  notice?: string,
): Page {
  const { m } = t;
  const action = (p: Publication, name: 'approve' | 'reject' | 'erase') =>
    html`<form method="post" action="/staff/moderate" class="inline"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="index" value="${p.index}"><button type="submit" name="action" value="${name}"${name === 'approve' ? '' : html` class="secondary"`}>${m[`staff.${name}`]}</button></form>`;
  return {
    title: m['staff.queue'],
    path: '/',
    body: html`<h1>${m['staff.queue']}</h1>
<p>${m['staff.signedIn'](username)} <a href="/staff/declare">${m['volunteer.title']}</a></p>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${
  pending.length === 0
    ? html`<p>${m['staff.none']}</p>`
    : pending.map(
        (
          p,
        ) => html`<article><blockquote><p>${p.statement}</p><footer>#${p.index} · ${p.name}${p.nameKind === 'alias' ? html` (${m['statements.alias']})` : ''} · <time datetime="${p.day}">${p.day}</time></footer></blockquote>
<p>${action(p, 'approve')} ${action(p, 'reject')} ${action(p, 'erase')}</p>
<details><summary>${m['staff.edit']}</summary>
<form method="post" action="/staff/moderate"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="index" value="${p.index}">
<label for="name-${p.index}">${m['declare.name']}</label><input type="text" id="name-${p.index}" name="name" value="${p.name}">
<label for="statement-${p.index}">${m['declare.statement']}</label><textarea id="statement-${p.index}" name="statement" rows="4">${p.statement}</textarea>
<p><button type="submit" name="action" value="redact">${m['staff.redact']}</button></p></form></details></article>`,
      )
}
<form method="post" action="/staff/logout"><input type="hidden" name="csrf" value="${csrf}"><p><button type="submit" class="secondary">${m['staff.logout']}</button></p></form>`,
  };
}
