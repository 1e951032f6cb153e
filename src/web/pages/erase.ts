// Erasing a published name and statement: the receipt (its text, or the code from the paper) is
// given on a first page; a second page shows what will be removed and asks to confirm. Only the
// person of that receipt is concerned: each member of a family has a receipt of their own.
import { type Org, recordNumber } from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

export function erasePage(t: I18n, notice?: { text: string; ok: boolean }, input = ''): Page {
  const { m } = t;
  return {
    title: m['erase.title'],
    neutralTitle: true,
    path: '/erase',
    body: html`<h1>${m['erase.title']}</h1>
<p>${m['erase.introPerson']}</p>
${notice ? html`<p class="notice" role="${notice.ok ? 'status' : 'alert'}">${notice.text}</p>` : ''}
<form method="post" action="${t.path('/erase')}">
<label for="erase-receipt">${m['check.input']}</label>
<textarea id="erase-receipt" class="mono" name="receipt" rows="8" autocomplete="off" spellcheck="false">${input}</textarea>
<p><button type="submit">${m['erase.next']}</button></p>
</form>`,
  };
}

/** What the confirmation page shows of the entry, and the publication if it is public. */
export interface EraseTarget {
  readonly index: number;
  /** The receipt code (entry number and salt) the confirmation posts back. */
  readonly code: string;
  readonly day?: string | undefined;
  readonly orgs?: readonly Org[] | undefined;
  /**
   * The name and statement this receipt's salt owns, public or waiting for review: shown so the
   * person sees what goes. Undefined when it owns none (or the salt is made up).
   */
  readonly published?: { readonly name: string; readonly statement: string } | undefined;
}

function confirmOne(t: I18n, target: EraseTarget): Html {
  const { m } = t;
  const entry = t.number(recordNumber(target.index));
  const join = t.locale === 'en' ? ', ' : '、';
  return html`<section class="receipt-card" id="erase-${target.index}">
<p>${target.published ? m['erase.confirmText'](entry) : m['erase.confirmNone'](entry)}</p>
<dl class="facts">
<div><dt>${m['receipt.entry']}</dt><dd class="num">${entry}</dd></div>
${target.day ? html`<div><dt>${m['receipt.day']}</dt><dd>${target.day}</dd></div>` : ''}
${target.orgs?.length ? html`<div><dt>${m['receipt.orgs']}</dt><dd>${target.orgs.map((o) => m[`org.${o}`]).join(join)}</dd></div>` : ''}
</dl>
${target.published ? html`<blockquote class="statement"><p>${target.published.statement}</p><footer>${target.published.name}</footer></blockquote>` : ''}
${
  target.published
    ? html`<form method="post" action="${t.path('/erase/confirm')}">
<input type="hidden" name="code" value="${target.code}">
<p><button type="submit">${m['erase.confirmButton']}</button> <a href="${t.path('/erase')}">${m['erase.cancel']}</a></p>
</form>`
    : html`<p><a href="${t.path('/erase')}">${m['erase.cancelNone']}</a></p>`
}
</section>`;
}

/** The second page: what will be removed, for each receipt given, each confirmed on its own. */
export function eraseConfirmPage(t: I18n, targets: readonly EraseTarget[]): Page {
  const { m } = t;
  const title = targets.some((target) => target.published)
    ? m['erase.confirmTitle']
    : m['erase.confirmTitleNone'];
  return {
    title,
    neutralTitle: true,
    path: '/erase',
    body: html`<h1>${title}</h1>
${targets.map((target) => confirmOne(t, target))}`,
  };
}
