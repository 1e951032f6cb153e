// The staff pages: sign-in, the moderation queue (oldest first, paged, with bulk approval), the
// confirmation of destructive actions, the audit log and voids (administrators). Every form is a
// plain HTML form with the session's CSRF token; nothing needs JavaScript.
import { type Publication, VOID_REASONS, type VoidReason } from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

/** Who is signed in, for the navigation and the forms of every staff page. */
export interface StaffView {
  readonly username: string;
  readonly role: 'admin' | 'moderator' | 'volunteer';
  readonly csrf: string;
}

export type Section = 'queue' | 'declare' | 'audit' | 'void' | 'twoFactor' | 'volunteers';

export const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;
export const notices = (notice: Html | string | undefined, role: 'status' | 'alert') =>
  notice ? html`<p class="notice" role="${role}">${notice}</p>` : '';

/** The staff navigation: the sections this role may use, and the sign-out button. */
export function staffNav(t: I18n, v: StaffView, current: Section): Html {
  const { m } = t;
  const sections: Array<[Section, string, string]> = [
    ...(v.role === 'volunteer'
      ? []
      : [['queue', '/staff/', m['staff.nav.queue']] as [Section, string, string]]),
    ['declare', '/staff/declare', m['volunteer.title']],
    ...(v.role === 'admin'
      ? ([
          ['audit', '/staff/audit', m['staff.nav.audit']],
          ['void', '/staff/void', m['staff.nav.void']],
          ['volunteers', '/staff/volunteers', m['staff.nav.volunteers']],
        ] as Array<[Section, string, string]>)
      : []),
    ['twoFactor', '/staff/two-factor', m['twoFactor.nav']],
  ];
  return html`<nav class="staff" aria-label="${m['staff.title']}"><p>${m['staff.signedIn'](v.username)}</p><ul>
${sections.map(([s, href, label]) => html`<li><a href="${href}"${s === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}
<li><form method="post" action="/staff/logout" class="inline">${csrfField(v.csrf)}<button type="submit" class="secondary">${m['staff.logout']}</button></form></li>
</ul></nav>`;
}

export function loginPage(t: I18n, csrf: string, notice?: string): Page {
  const { m } = t;
  return {
    title: m['staff.login'],
    path: '/',
    body: html`<h1>${m['staff.login']}</h1>
${notices(notice, 'alert')}
<form method="post" action="/staff/login">
${csrfField(csrf)}
<label for="username">${m['staff.username']}</label>
<input type="text" id="username" name="username" autocomplete="username">
<label for="password">${m['staff.password']}</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<label for="code">${m['twoFactor.code']}</label>
<p class="hint" id="code-hint">${m['twoFactor.codeHint']}</p>
<input type="text" id="code" name="code" inputmode="text" autocomplete="one-time-code" spellcheck="false" aria-describedby="code-hint">
<p><button type="submit">${m['staff.login']}</button></p>
</form>`,
  };
}

/** One page of the moderation queue. */
export interface QueueView {
  /** Publications waiting, in all. */
  readonly total: number;
  /** How many come before this page (its first is number `offset + 1`). */
  readonly offset: number;
  readonly page: readonly Publication[];
  /** The index after which this page starts (-1: the first page). */
  readonly after: number;
  /** Whether there are newer ones after this page. */
  readonly more: boolean;
}

export function queuePage(
  t: I18n,
  v: StaffView,
  q: QueueView,
  notice?: { readonly text: Html | string; readonly error?: boolean },
): Page {
  const { m } = t;
  const action = (p: Publication, name: 'approve' | 'reject' | 'erase') =>
    html`<form method="post" action="/staff/moderate" class="inline">${csrfField(v.csrf)}<input type="hidden" name="index" value="${p.index}"><button type="submit" name="action" value="${name}"${name === 'approve' ? '' : html` class="secondary"`}>${m[`staff.${name}`]}</button></form>`;
  const item = (p: Publication) => html`<article>
<p class="pick"><input type="checkbox" name="index" value="${p.index}" form="bulk" id="pick-${p.index}"> <label for="pick-${p.index}" class="inline">${m['staff.select'](String(p.index))}</label></p>
<blockquote><p>${p.statement}</p><footer>#${p.index} · ${p.name}${p.nameKind === 'alias' ? html` (${m['statements.alias']})` : ''} · <time datetime="${p.day}">${p.day}</time></footer></blockquote>
<p>${action(p, 'approve')} ${action(p, 'reject')} ${action(p, 'erase')}</p>
<details><summary>${m['staff.edit']}</summary>
<form method="post" action="/staff/moderate">${csrfField(v.csrf)}<input type="hidden" name="index" value="${p.index}">
<label for="name-${p.index}">${m['declare.name']}</label><input type="text" id="name-${p.index}" name="name" value="${p.name}">
<label for="statement-${p.index}">${m['declare.statement']}</label><textarea id="statement-${p.index}" name="statement" rows="4">${p.statement}</textarea>
<p><button type="submit" name="action" value="redact">${m['staff.redact']}</button></p></form></details></article>`;
  const pager = html`<p class="pager">${q.after >= 0 ? html`<a href="/staff/">${m['staff.oldest']}</a> ` : ''}${q.more ? html`<a href="/staff/?after=${q.page.at(-1)?.index ?? q.after}" rel="next">${m['staff.newer']}</a>` : ''}</p>`;
  return {
    title: m['staff.queue'],
    path: '/',
    body: html`${staffNav(t, v, 'queue')}
<h1>${m['staff.queue']}</h1>
${notice ? notices(notice.text, notice.error ? 'alert' : 'status') : ''}
${
  q.page.length === 0
    ? html`<p>${m['staff.none']}</p>${q.after >= 0 ? pager : ''}`
    : html`<p>${m['staff.count'](t.number(q.total), t.number(q.offset + 1), t.number(q.offset + q.page.length))}</p>
<form method="post" action="/staff/moderate" id="bulk">${csrfField(v.csrf)}<input type="hidden" name="action" value="approve"></form>
${q.page.map(item)}
<p><button type="submit" form="bulk">${m['staff.approveSelected']}</button></p>
${pager}`
}`,
  };
}

/** Asks again before a destructive action on the publications listed; nothing is done yet. */
export function confirmModerationPage(
  t: I18n,
  v: StaffView,
  action: 'reject' | 'erase',
  found: readonly Publication[],
  missing: readonly number[],
): Page {
  const { m } = t;
  const title = m[`staff.confirm.${action}`];
  return {
    title,
    path: '/',
    body: html`${staffNav(t, v, 'queue')}
<h1>${title}</h1>
<p>${m[`staff.confirm.${action}Text`]}</p>
${missing.map((i) => html`<p class="notice" role="status">${m['staff.confirm.gone'](String(i))}</p>`)}
${found.map((p) => html`<blockquote><p>${p.statement}</p><footer>#${p.index} · ${p.name}</footer></blockquote>`)}
${
  found.length > 0
    ? html`<form method="post" action="/staff/moderate">${csrfField(v.csrf)}<input type="hidden" name="action" value="${action}"><input type="hidden" name="confirm" value="yes">
${found.map((p) => html`<input type="hidden" name="index" value="${p.index}">`)}
<p class="actions"><button type="submit">${m[`staff.confirm.${action}Yes`]}</button> <a href="/staff/">${m['staff.cancel']}</a></p></form>`
    : html`<p><a href="/staff/">${m['staff.cancel']}</a></p>`
}`,
  };
}

/** A page that tells why the request was refused (wrong role, malformed field), with the nav. */
export function staffMessagePage(t: I18n, v: StaffView, title: string, text: string): Page {
  return {
    title,
    path: '/',
    body: html`${staffNav(t, v, v.role === 'volunteer' ? 'declare' : 'queue')}
<h1>${title}</h1>
<p class="notice" role="alert">${text}</p>`,
  };
}

export interface AuditRow {
  readonly id: number;
  readonly at: number;
  readonly username: string;
  readonly action: string;
  readonly target: string;
}

export function auditPage(
  t: I18n,
  v: StaffView,
  rows: readonly AuditRow[],
  paging: { readonly before: number | undefined; readonly more: boolean },
): Page {
  const { m } = t;
  const what = (action: string) => {
    const key = `audit.action.${action}`;
    return key in m ? (m as unknown as Record<string, string>)[key] : action;
  };
  const minute = (at: number) => new Date(at * 1000).toISOString().slice(0, 16).replace('T', ' ');
  // Every row is stored on the hour, on purpose (docs/timing-privacy.md): shown as the hour it
  // fell in, never as a time nothing happened at.
  const when = (r: AuditRow) => `${minute(r.at)}–${minute(r.at + 3600).slice(11)}`;
  return {
    title: m['audit.title'],
    path: '/',
    body: html`${staffNav(t, v, 'audit')}
<h1>${m['audit.title']}</h1>
<p>${m['audit.intro']} ${m['audit.hourNote']}</p>
${
  rows.length === 0
    ? html`<p>${m['audit.none']}</p>`
    : html`<div class="scroll"><table>
<thead><tr><th scope="col">${m['audit.when']}</th><th scope="col">${m['audit.who']}</th><th scope="col">${m['audit.what']}</th><th scope="col">${m['audit.target']}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><time datetime="${new Date(r.at * 1000).toISOString()}">${when(r)}</time></td><td>${r.username}</td><td>${what(r.action)}</td><td class="mono">${r.target}</td></tr>`)}</tbody>
</table></div>`
}
<p class="pager">${paging.before !== undefined ? html`<a href="/staff/audit">${m['audit.newest']}</a> ` : ''}${paging.more ? html`<a href="/staff/audit?before=${rows.at(-1)?.id}" rel="next">${m['audit.older']}</a>` : ''}</p>`,
  };
}

/** The void form, or (with `confirm`) the question before the void entries are written. */
export function voidPage(
  t: I18n,
  v: StaffView,
  form: { readonly indexes: string; readonly reason: string },
  notice?: { readonly text: string; readonly error?: boolean },
  confirm?: { readonly indexes: readonly number[]; readonly reason: VoidReason },
): Page {
  const { m } = t;
  const reasonName = (r: VoidReason) => m[`void.reason.${r}`];
  const body = confirm
    ? html`<h1>${m['void.confirm']}</h1>
<p>${m['void.confirmText'](reasonName(confirm.reason))}</p>
<ul class="mono">${confirm.indexes.map((i) => html`<li>#${i}</li>`)}</ul>
<form method="post" action="/staff/void">${csrfField(v.csrf)}<input type="hidden" name="indexes" value="${confirm.indexes.join(' ')}"><input type="hidden" name="reason" value="${confirm.reason}"><input type="hidden" name="confirm" value="yes">
<p class="actions"><button type="submit">${m['void.confirmYes']}</button> <a href="/staff/void">${m['staff.cancel']}</a></p></form>`
    : html`<h1>${m['void.title']}</h1>
<p>${m['void.intro']}</p>
${notice ? notices(notice.text, notice.error ? 'alert' : 'status') : ''}
<form method="post" action="/staff/void">${csrfField(v.csrf)}
<label for="indexes">${m['void.indexes']}</label>
<input type="text" id="indexes" name="indexes" value="${form.indexes}" inputmode="numeric" autocomplete="off">
<label for="reason">${m['void.reason']}</label>
<select id="reason" name="reason">${VOID_REASONS.map((r) => html`<option value="${r}"${r === form.reason ? html` selected` : ''}>${reasonName(r)}</option>`)}</select>
<p><button type="submit">${m['void.continue']}</button></p>
</form>`;
  return { title: m['void.title'], path: '/', body: html`${staffNav(t, v, 'void')}\n${body}` };
}
