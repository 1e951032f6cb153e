import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { CSV_COLUMNS, type CsvColumn } from './csv-values.ts';
import {
  type DeclarantForm,
  errorSummary,
  type FieldErrors,
  familyFields,
  newFormKey,
} from './declare.ts';
import { type PersonReceipt, receiptPage } from './receipt.ts';
import { type StaffView, staffNav } from './staff.ts';
import { CSV_MAX_BYTES, CSV_MAX_ROWS } from './volunteer-form.ts';

export const VOLUNTEER_CHANNELS = ['phone', 'centre', 'volunteer'] as const;
export type VolunteerChannel = (typeof VOLUNTEER_CHANNELS)[number];

/** Receipts on one printed page of a batch: bounded, whatever the size of the batch. */
export const RECEIPTS_PER_PAGE = 25;

/**
 * The CSV form as it is rendered: its key (one batch per form), the rows in its box, and, once it
 * has recorded people, their rows (sent back to print the receipts) and the channel of the batch.
 */
export interface CsvForm {
  readonly key: string;
  readonly text?: string;
  readonly channel?: VolunteerChannel;
  /** Set once the form recorded someone: every row of a batch is received the same way. */
  readonly fixed?: boolean;
  /** The form's recorded rows, as the page sends them back to print their receipts. */
  readonly done?: string;
  /** People this form has recorded in all. */
  readonly recorded?: number;
  readonly notice?: Html | string | undefined;
}

/** How the declarations reached the volunteer: chosen each time, never assumed. */
const channelSelect = (t: I18n, id: string, channel: VolunteerChannel | undefined) =>
  html`<label for="${id}">${t.m['volunteer.channel']}</label>
<select id="${id}" name="channel" required><option value=""${channel === undefined ? html` selected` : ''}>${t.m['volunteer.chooseChannel']}</option>${VOLUNTEER_CHANNELS.map((c) => html`<option value="${c}"${c === channel ? html` selected` : ''}>${t.m[`volunteer.via.${c}`]}</option>`)}</select>`;

/** The CSV's columns and the values each takes, in the page's language, and a small example. */
function csvHelp(t: I18n, open: boolean): Html {
  const { m } = t;
  const name = (c: CsvColumn) =>
    t.locale === 'en'
      ? html`<code>${c}</code>`
      : html`<code>${m[`csv.col.${c}`]}</code>（<code>${c}</code>）`;
  return html`<details class="csv-help" id="csv-columns"${open ? html` open` : ''}>
<summary>${m['csv.help.title']}</summary>
<p>${m['csv.help.intro']}</p>
<dl>${CSV_COLUMNS.map((c) => html`<dt>${name(c)}</dt><dd>${m[`csv.help.${c}`]}</dd>`)}</dl>
<p>${m['csv.help.example']}</p>
<pre class="mono"><code>${m['csv.help.sample']}</code></pre>
</details>`;
}

/** The buttons that print a batch's receipts, a page of {@link RECEIPTS_PER_PAGE} each. */
export function printForm(t: I18n, v: StaffView, key: string, done: string, total: number): Html {
  const pages = Math.ceil(total / RECEIPTS_PER_PAGE);
  return html`<form method="post" action="/staff/declare-csv/receipts" class="print-batch">
<input type="hidden" name="csrf" value="${v.csrf}">
<input type="hidden" name="key" value="${key}">
<input type="hidden" name="done" value="${done}">
<ul class="inline-list">${Array.from({ length: pages }, (_, p) => html`<li><button type="submit" name="page" value="${p}" class="secondary">${t.m['volunteer.printRange'](t.number(p * RECEIPTS_PER_PAGE + 1), t.number(Math.min(total, (p + 1) * RECEIPTS_PER_PAGE)))}</button></li>`)}</ul>
</form>`;
}

function csvSection(t: I18n, v: StaffView, csv: CsvForm): Html {
  const { m } = t;
  const channel = csv.channel;
  const recorded = csv.recorded ?? 0;
  return html`<h2 id="batch">${m['volunteer.batch']}</h2>
${csv.notice ? html`<div class="notice" role="alert">${csv.notice}</div>` : ''}
${
  recorded > 0
    ? html`<h3>${m['volunteer.print']}</h3>
<p>${m['volunteer.printHelp'](recorded, t.number(recorded), t.number(RECEIPTS_PER_PAGE))}</p>
${printForm(t, v, csv.key, csv.done ?? '[]', recorded)}`
    : ''
}
<form method="post" action="/staff/declare-csv">
<input type="hidden" name="csrf" value="${v.csrf}">
<input type="hidden" name="key" value="${csv.key}">
<input type="hidden" name="done" value="${csv.done ?? '[]'}">
${
  csv.fixed && channel !== undefined
    ? html`<input type="hidden" name="channel" value="${channel}"><p>${m['volunteer.channelFixed'](m[`volunteer.via.${channel}`])}</p>`
    : channelSelect(t, 'csv-channel', channel)
}
<label for="csv">CSV</label>
<p id="csv-help" class="hint">${m['volunteer.batchHelp']}${t.locale === 'en' ? ' ' : ''}${m['volunteer.limits'](t.number(CSV_MAX_ROWS), t.number(CSV_MAX_BYTES / 1024))}</p>
<textarea id="csv" name="csv" class="mono" rows="8" aria-describedby="csv-help">${csv.text ?? ''}</textarea>
<p><button type="submit">${recorded > 0 ? m['volunteer.sendFixed'] : m['volunteer.batchSubmit']}</button></p>
</form>
${csvHelp(t, csv.notice === undefined)}
${recorded > 0 ? html`<p><a href="/staff/declare#batch">${m['volunteer.newUpload']}</a></p>` : ''}`;
}

export function volunteerPage(
  t: I18n,
  v: StaffView,
  channel: VolunteerChannel | undefined,
  rows: readonly DeclarantForm[],
  errors: FieldErrors = {},
  notice?: Html | string,
  key: string = newFormKey(),
  csv: CsvForm = { key: newFormKey() },
): Page {
  const { m } = t;
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
${channelSelect(t, 'channel', channel)}
${familyFields(t, rows, errors, { action: '/staff/declare', key, volunteer: true })}
<p><button type="submit" name="action" value="declare">${m['declare.submit']}</button></p>
</form>
${csvSection(t, v, csv)}`,
  };
}

/**
 * The answer to a CSV upload: what was recorded and what was not, the buttons that print the
 * receipts page by page, and the same form (same key) with only the rows still to correct.
 */
export function csvResultPage(t: I18n, v: StaffView, csv: CsvForm): Page {
  return {
    title: t.m['volunteer.batch'],
    path: '/',
    cache: 'private, no-cache',
    body: html`${staffNav(t, v, 'declare')}
<h1>${t.m['volunteer.title']}</h1>
${csvSection(t, v, csv)}`,
  };
}

/**
 * Receipts a volunteer recorded, or prints again: under the staff bar (and `above` it, the
 * printing's own navigation), in words for the volunteer.
 */
export function volunteerReceiptPage(
  t: I18n,
  v: StaffView,
  people: readonly PersonReceipt[],
  site: string,
  above: Html | string = '',
): Page {
  return receiptPage(t, people, site, html`${staffNav(t, v, 'declare')}${above}`);
}

/** Above one printed page of a batch's receipts (not printed): where it is, and the next pages. */
export function printNav(
  t: I18n,
  v: StaffView,
  at: { key: string; done: string; page: number; total: number; expired: number },
): Html {
  const { m } = t;
  const from = at.page * RECEIPTS_PER_PAGE + 1;
  const to = Math.min(at.total, from + RECEIPTS_PER_PAGE - 1);
  const last = Math.ceil(at.total / RECEIPTS_PER_PAGE) - 1;
  return html`<div class="notice screen-only" role="status"><p>${m['volunteer.printing'](t.number(from), t.number(to), t.number(at.total))}</p>
${at.expired > 0 ? html`<p>${m['volunteer.printExpired'](t.number(at.expired))}</p>` : ''}
<form method="post" action="/staff/declare-csv/receipts">
<input type="hidden" name="csrf" value="${v.csrf}">
<input type="hidden" name="key" value="${at.key}">
<input type="hidden" name="done" value="${at.done}">
${at.page > 0 ? html`<button type="submit" name="page" value="${at.page - 1}" class="secondary">${m['volunteer.previous']}</button>` : ''}
${at.page < last ? html`<button type="submit" name="page" value="${at.page + 1}">${m['volunteer.next']}</button>` : ''}
</form></div>`;
}
