// The receipt page, the answer to a declaration: one sentence that says what happened, advice on
// keeping the receipt, then one receipt per person in the order they were entered, each with the
// name typed (shown here, never stored without consent), a QR code holding the whole receipt, the
// receipt code to type in by hand, a download and, folded away, the receipt's text. Printed, each
// person's receipt is a page of its own that holds the site's address, the entry number, the QR
// code and the code, and no name unless the person ticks the box that asks for it (a print style,
// so it works without JavaScript): a paper found in a drawer should not say who declared. The
// server keeps no copy (a sealed one for a day, to answer the same form sent again). With
// JavaScript, /static/verify.js checks every receipt in the browser with the same code as
// `tuidang verify --receipt`, checks again until the entry is public, and asks before the page is
// left with receipts neither printed nor downloaded.
import { decodeBase64 } from '../../log/index.ts';
import {
  decodeEntry,
  formatReceiptCode,
  type Receipt,
  recordNumber,
} from '../../registry/index.ts';
import { VERIFIER_FILE, VERIFIER_PATH } from '../bundle.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { qrSvg } from '../qr.ts';
import { commandBlock } from './check.ts';

/** A person's receipt, with the name typed in the form (for this page only). */
export interface PersonReceipt {
  readonly name: string;
  readonly receipt: Receipt;
}

/** The script's messages in the page's language, as data attributes ({entry} and {size} filled in). */
export function checkMessages(t: I18n): Html {
  const { m } = t;
  return html` data-checking="${m['check.checking']}" data-ok="${m['check.ok']('{entry}', '{size}')}" data-pending="${m['check.pending']('{entry}')}" data-published="${m['check.published']('{entry}', '{size}')}" data-not-yet="${m['check.notYet']('{entry}')}" data-from-code="${m['check.fromCode']}" data-malformed="${m['check.malformed']}" data-not-signed="${m['check.notSigned']}" data-not-included="${m['check.notIncluded']}" data-other-log="${m['check.otherLog']}" data-inconsistent="${m['check.inconsistent']}" data-unreachable="${m['check.unreachable']}"`;
}

/**
 * Record numbers in the page's language, smallest first: "1, 2 and 4"; in Chinese 1、2、4, the
 * enumeration comma all through, as a Chinese editor lists numbers.
 */
function recordList(t: I18n, indexes: readonly number[]): string {
  const numbers = [...indexes].sort((a, b) => a - b).map((i) => t.number(recordNumber(i)));
  return t.locale === 'en'
    ? new Intl.ListFormat('en', { type: 'conjunction' }).format(numbers)
    : numbers.join('、');
}

function personCard(t: I18n, p: PersonReceipt, i: number, total: number, site: string): Html {
  const { m } = t;
  const r = p.receipt;
  const entry = t.number(recordNumber(r.index));
  const e = decodeEntry(decodeBase64(r.entry) ?? new Uint8Array());
  const orgs =
    e.kind === 'declaration'
      ? e.orgs.map((o) => m[`org.${o}`]).join(t.locale === 'en' ? ', ' : '、')
      : '';
  const salt = decodeBase64(r.salt) ?? new Uint8Array();
  const text = JSON.stringify(r);
  const id = `person-${i + 1}`;
  // On paper: the site's address, the record number, the QR code and the code; the person's
  // number in a family; the name only if asked for (.name is printed only when #print-names is
  // ticked); never the day or the organisations.
  return html`<section class="receipt-card" id="${id}" aria-labelledby="${id}-name">
<p class="paper-site">${site}</p>
<h2 id="${id}-name"${total > 1 ? '' : html` class="solo"`}><span class="who">${total > 1 ? html`${m['declare.person'](i + 1)}<span class="name"> · ${p.name}</span>` : html`<span class="name">${p.name}</span>`}</span></h2>
<dl class="facts">
<div><dt>${m['receipt.entry']}</dt><dd class="num">${entry}</dd></div>
<div class="screen-only"><dt>${m['receipt.day']}</dt><dd>${e.day}</dd></div>
<div class="screen-only"><dt>${m['receipt.orgs']}</dt><dd>${orgs}</dd></div>
</dl>
<div class="qr-box">${qrSvg(text, m['receipt.qr'](entry))}</div>
<p class="code-label" id="${id}-code-label">${m['receipt.code']}</p>
<p class="receipt-code mono" aria-labelledby="${id}-code-label">${formatReceiptCode(r.index, salt)}</p>
<p class="paper-advice">${m['receipt.paper'](entry)}</p>
<p class="check" id="${id}-check" role="status" data-entry="${entry}"></p>
<form method="post" action="${t.path('/receipt/download')}" class="screen-only">
<input type="hidden" name="receipt" value="${text}">
<button type="submit" class="secondary">${m['receipt.downloadOne']}</button>
</form>
<details class="screen-only"><summary>${m['receipt.technical']}</summary>
<textarea id="${id}-text" class="mono receipt-text" rows="8" readonly aria-label="${m['receipt.technical']}" data-check="${id}-check">${text}</textarea>
</details>
</section>`;
}

/**
 * The receipts of one declaration. `site` is the registry's public address, printed on each paper:
 * the one thing besides the code a person needs to check it later.
 */
/**
 * The receipts page. `staff`: the staff bar (and what goes under it) of a volunteer who recorded
 * these people: the page then speaks to the volunteer, not to the declarant.
 */
export function receiptPage(
  t: I18n,
  people: readonly PersonReceipt[],
  site: string,
  staff?: Html,
): Page {
  const { m } = t;
  const n = people.length;
  const indexes = people.map((p) => p.receipt.index);
  const all = JSON.stringify({ receipts: people.map((p) => p.receipt) });
  return {
    title: m['title.receipt'],
    neutralTitle: true,
    exit: true,
    path: '/receipt',
    script: 'verify',
    body: html`${staff ?? ''}<div class="receipt-page" id="receipts"${checkMessages(t)}>
${
  staff
    ? html`<h1>${m['volunteer.receiptsHead'](n, t.number(n))}</h1>
<p class="lead">${m['volunteer.receiptsLead']}</p>`
    : html`<h1>${n === 1 ? m['receipt.headOne'] : m['receipt.headMany'](n)}</h1>
<p class="lead">${n === 1 ? m['receipt.sentenceOne'](t.number(recordNumber(indexes[0] ?? 0))) : m['receipt.sentenceMany'](n, recordList(t, indexes))}</p>`
}
<section class="keep" aria-labelledby="keep-title">
<h2 id="keep-title">${m['receipt.keepTitle']}</h2>
<p class="once"><strong>${n === 1 ? m['receipt.onceOne'] : m['receipt.once']}</strong></p>
<ul>
<li>${m['receipt.keepProves']}</li>
<li>${m['receipt.keepWhere']}</li>
<li>${m['receipt.keepDestroy']}</li>
</ul>
<div class="actions screen-only">
<button type="button" id="print" hidden>${n === 1 ? m['receipt.printOne'] : m['receipt.print']}</button>
<noscript><p>${n === 1 ? m['receipt.printNoScriptOne'] : m['receipt.printNoScript']}</p></noscript>
${n > 1 ? html`<form method="post" action="${t.path('/receipt/download')}"><input type="hidden" name="receipt" value="${all}"><button type="submit" class="secondary">${m['receipt.downloadAll']}</button></form>` : ''}
</div>
<p class="screen-only print-names"><label class="check" for="print-names"><input type="checkbox" id="print-names"> ${n === 1 ? m['receipt.printNameOne'] : m['receipt.printNames']}</label></p>
<div class="screen-only traces">
<h3>${m['receipt.tracesTitle']}</h3>
<ul>
<li>${m['receipt.traceHistory']}</li>
<li>${m['receipt.traceDownloads']}</li>
<li>${m['receipt.tracePhotos']}</li>
<li>${m['receipt.traceScan']}</li>
</ul>
</div>
</section>
${people.map((p, i) => personCard(t, p, i, n, site))}
</div>`,
  };
}

/** What the no-JavaScript check found, for its answer page. */
export type CheckAnswer =
  | {
      readonly ok: true;
      readonly index: number;
      readonly signedAt: number;
      /** The latest checkpoint it is consistent with, or undefined if not published yet. */
      readonly latest: number | undefined;
      readonly origin: string;
      /** Rebuilt from a receipt code and the register. */
      readonly fromCode: boolean;
    }
  | { readonly ok: false; readonly message: string };

/**
 * The page to check a receipt: pasted (its text, or the code from the paper) and sent by POST, so
 * that it never lands in an address or the browser's history. With JavaScript the check runs in
 * the browser instead.
 */
export function receiptCheckPage(
  t: I18n,
  answer?: CheckAnswer,
  input = '',
  origin = 'https://…',
  /** The log's verifier key, named in the command as on /about (no trust on first use). */
  vkey?: string,
): Page {
  const { m } = t;
  const result =
    answer === undefined
      ? ''
      : answer.ok
        ? html`<div class="notice" role="status" id="check-answer">
<p>${m['check.byServer']}</p>
<p class="ok">${answer.latest === undefined ? m['check.resultPending'](t.number(recordNumber(answer.index)), t.number(answer.signedAt)) : m['check.resultOk'](t.number(recordNumber(answer.index)), t.number(answer.signedAt), t.number(answer.latest), answer.origin)}</p>
${answer.fromCode ? html`<p>${m['check.resultCode']}</p>` : ''}
<p>${m['check.independent']}</p>
</div>`
        : html`<div class="notice" role="alert" id="check-answer"><p>${m['check.byServer']}</p><p class="bad">${answer.message}</p></div>`;
  return {
    title: m['receipt.checkTitle'],
    neutralTitle: true,
    exit: true,
    path: '/receipt',
    script: 'verify',
    body: html`<h1>${m['receipt.checkTitle']}</h1>
<p>${m['check.intro']}</p>
<noscript><p>${m['check.serverNote']}</p></noscript>
<p class="local-note" hidden>${m['check.localNote']}</p>
${result}
<form id="check-form" method="post" action="${t.path('/receipt')}"${checkMessages(t)}>
<label for="receipt-input">${m['check.input']}</label>
<textarea id="receipt-input" class="mono" name="receipt" rows="8" autocomplete="off" spellcheck="false">${input}</textarea>
<p class="check" id="receipt-input-check" role="status"></p>
<p><button type="submit">${m['receipt.checkButton']}</button></p>
</form>
<h2>${m['about.verify']}</h2>
<p>${m['receipt.noScript']} <a href="${t.path('/about#verify')}">${m['about.verify']}</a></p>
<p><a class="button secondary" href="${VERIFIER_PATH}" download="${VERIFIER_FILE}">${m['about.verifier']}</a></p>
${commandBlock([`node ${VERIFIER_FILE}${vkey === undefined ? '' : ` --vkey ${vkey}`} --receipt receipt.json --log ${origin}`])}`,
  };
}
