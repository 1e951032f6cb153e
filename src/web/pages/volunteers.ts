// The administrators' view of what staff declare for others: people declared by account and UTC
// day, each batch (one per form) with its account, hour, channel and size, and a form that voids
// a whole batch with a reason in one action. Times are to the hour (docs/timing-privacy.md).
import { VOID_REASONS, type VoidReason } from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { type StaffView, staffNav } from './staff.ts';

export interface BatchView {
  readonly id: number;
  readonly username: string;
  readonly channel: string;
  readonly hour: number;
  readonly entries: number;
  readonly voided: string | undefined;
}

export interface VolunteersView {
  readonly budget: { readonly perHour: number; readonly perDay: number };
  readonly days: ReadonlyArray<{ username: string; day: string; declared: number }>;
  readonly batches: readonly BatchView[];
  /** The id to ask for older batches, when there are more. */
  readonly older: number | undefined;
}

const hourOf = (at: number) => new Date(at * 1000).toISOString().slice(0, 13).replace('T', ' ');

export function volunteersPage(
  t: I18n,
  v: StaffView,
  view: VolunteersView,
  notice?: { readonly text: string; readonly error?: boolean },
): Page {
  const { m } = t;
  const reasonName = (r: string) =>
    VOID_REASONS.includes(r as VoidReason) ? m[`void.reason.${r as VoidReason}`] : r;
  const limit = (n: number) => (n === 0 ? '∞' : t.number(n));
  const channelName = (c: string) =>
    c === 'phone' || c === 'centre' || c === 'volunteer' ? m[`channel.${c}`] : c;
  const voidForm = (b: BatchView): Html =>
    html`<form method="post" action="/staff/volunteers/void" class="void-batch">
<input type="hidden" name="csrf" value="${v.csrf}"><input type="hidden" name="batch" value="${b.id}">
<label for="reason-${b.id}">${m['void.reason']}</label>
<select id="reason-${b.id}" name="reason">${VOID_REASONS.map((r) => html`<option value="${r}">${reasonName(r)}</option>`)}</select>
<label class="check"><input type="checkbox" name="confirm" value="yes" required> ${m['volunteers.confirm']}</label>
<button type="submit">${m['volunteers.void'](t.number(b.entries))}</button>
</form>`;
  return {
    title: m['volunteers.title'],
    path: '/',
    body: html`${staffNav(t, v, 'volunteers')}
<h1>${m['volunteers.title']}</h1>
<p>${m['volunteers.intro'](limit(view.budget.perHour), limit(view.budget.perDay))}</p>
${notice ? html`<p class="notice" role="${notice.error ? 'alert' : 'status'}">${notice.text}</p>` : ''}
<h2>${m['volunteers.byDay']}</h2>
${
  view.days.length === 0
    ? html`<p>${m['volunteers.none']}</p>`
    : html`<table><thead><tr><th scope="col">${m['volunteers.day']}</th><th scope="col">${m['volunteers.account']}</th><th scope="col" class="num">${m['volunteers.declared']}</th></tr></thead><tbody>
${view.days.map((d) => html`<tr><td>${d.day}</td><td>${d.username}</td><td class="num">${t.number(d.declared)}</td></tr>`)}
</tbody></table>`
}
<h2>${m['volunteers.batches']}</h2>
${view.batches.map(
  (b) => html`<section class="batch" aria-labelledby="batch-${b.id}">
<h3 id="batch-${b.id}">${m['volunteers.batch']} ${b.id}</h3>
<dl><dt>${m['volunteers.account']}</dt><dd>${b.username}</dd>
<dt>${m['volunteers.hour']}</dt><dd>${hourOf(b.hour)}:00</dd>
<dt>${m['volunteer.channel']}</dt><dd>${channelName(b.channel)}</dd>
<dt>${m['volunteers.declared']}</dt><dd>${t.number(b.entries)}</dd>
<dt>${m['volunteers.status']}</dt><dd>${b.voided === undefined ? m['volunteers.active'] : m['volunteers.voided'](reasonName(b.voided))}</dd></dl>
${b.voided === undefined && b.entries > 0 ? voidForm(b) : ''}
</section>`,
)}
${view.older !== undefined ? html`<p><a href="/staff/volunteers?before=${view.older}">${m['volunteers.older']}</a></p>` : ''}`,
  };
}
