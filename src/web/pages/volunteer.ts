import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import {
  type DeclarantForm,
  errorSummary,
  type FieldErrors,
  familyFields,
  newFormKey,
} from './declare.ts';
import { type StaffView, staffNav } from './staff.ts';
import { CSV_MAX_BYTES, CSV_MAX_ROWS } from './volunteer-form.ts';

export const VOLUNTEER_CHANNELS = ['phone', 'centre', 'volunteer'] as const;
export type VolunteerChannel = (typeof VOLUNTEER_CHANNELS)[number];

export function volunteerPage(
  t: I18n,
  v: StaffView,
  channel: VolunteerChannel,
  rows: readonly DeclarantForm[],
  errors: FieldErrors = {},
  notice?: Html | string,
  key: string = newFormKey(),
): Page {
  const { m } = t;
  const channels = (id: string) => html`<label for="${id}">${m['volunteer.channel']}</label>
<select id="${id}" name="channel">${VOLUNTEER_CHANNELS.map((c) => html`<option value="${c}"${c === channel ? html` selected` : ''}>${m[`channel.${c}`]}</option>`)}</select>`;
  return {
    title: m['volunteer.title'],
    path: '/',
    cache: 'private, no-cache',
    body: html`${staffNav(t, v, 'declare')}
<h1>${m['volunteer.title']}</h1>
${errorSummary(t, errors, rows.length)}
<p>${m['volunteer.intro']}</p>
${notice ? html`<div class="notice" role="alert">${notice}</div>` : ''}
<form method="post" action="/staff/declare" novalidate>
<input type="hidden" name="csrf" value="${v.csrf}">
${channels('channel')}
${familyFields(t, rows, errors, { action: '/staff/declare', key, volunteer: true })}
<p><button type="submit" name="action" value="declare">${m['declare.submit']}</button></p>
</form>
<h2>${m['volunteer.batch']}</h2>
<form method="post" action="/staff/declare-csv">
<input type="hidden" name="csrf" value="${v.csrf}">
${channels('csv-channel')}
<label for="csv">CSV</label>
<textarea id="csv" name="csv" class="mono" rows="8" aria-describedby="csv-help"></textarea>
<p id="csv-help">${m['volunteer.batchHelp']} ${m['volunteer.limits'](t.number(CSV_MAX_ROWS), t.number(CSV_MAX_BYTES / 1024))}</p>
<p><button type="submit">${m['volunteer.batchSubmit']}</button></p>
</form>`,
  };
}
