// The receipt, shown once after declaring: the server keeps no copy of it (it holds the salts).
// It can be copied, printed, or downloaded (the download form posts it back; nothing is stored).
// With JavaScript, /static/app.js verifies it in the browser with the same src/log code.
import { decodeBase64 } from '../../log/index.ts';
import type { Receipt } from '../../registry/index.ts';
import { decodeEntry } from '../../registry/index.ts';
import { html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

/** Where the script reports, with its messages in the page's language ({size}, {key}, {why}). */
function verifyMessages(t: I18n) {
  const { m } = t;
  return html`<div id="verify" aria-live="polite" data-verifying="${m['receipt.verifying']}" data-verified="${m['receipt.verified'](-1, '{key}').replace('-1', '{size}')}" data-failed="${m['receipt.failed']('{why}')}"></div>`;
}

function verifyPanel(t: I18n, receiptJson: string) {
  const { m } = t;
  return html`${verifyMessages(t)}
<noscript><p>${m['receipt.noScript']}</p><pre><code>npx tuidang verify --receipt receipt.json --log ${'<url>'}</code></pre></noscript>
<textarea id="receipt-json" class="mono" name="receipt" rows="8" readonly aria-label="${m['receipt.json']}">${receiptJson}</textarea>`;
}

export function receiptPage(t: I18n, receipts: readonly Receipt[]): Page {
  const { m } = t;
  const json = JSON.stringify({ receipts }, null, 2);
  return {
    title: m['receipt.title'],
    path: '/receipt',
    script: 'verify',
    body: html`<h1>${m['receipt.title']}</h1>
<p class="notice">${m['receipt.keep']}</p>
<table><thead><tr><th scope="col">${m['receipt.entry']}</th><th scope="col">${m['receipt.day']}</th><th scope="col">${m['receipt.orgs']}</th></tr></thead>
<tbody>${receipts.map((r) => {
      const e = decodeEntry(decodeBase64(r.entry) ?? new Uint8Array());
      return html`<tr><td class="num">${t.number(r.index)}</td><td>${e.day}</td><td>${e.kind === 'declaration' ? e.orgs.map((o) => m[`org.${o}`]).join(', ') : ''}</td></tr>`;
    })}</tbody></table>
<form method="post" action="${t.path('/receipt/download')}">
<label for="receipt-json">${m['receipt.json']}</label>
${verifyPanel(t, json)}
<p><button type="submit">${m['receipt.download']}</button></p>
</form>
<p><a href="${t.path('/erase')}">${m['erase.link']}</a></p>`,
  };
}

/** The page to paste a receipt and check it (in the browser; or with the CLI it explains). */
export function receiptCheckPage(t: I18n): Page {
  const { m } = t;
  return {
    title: m['receipt.checkTitle'],
    path: '/receipt',
    script: 'verify',
    body: html`<h1>${m['receipt.checkTitle']}</h1>
<p>${m['receipt.checkIntro']}</p>
<form id="check-form" method="get" action="${t.path('/receipt')}">
${verifyMessages(t)}
<label for="receipt-input">${m['receipt.json']}</label>
<textarea id="receipt-input" class="mono" name="receipt" rows="10"></textarea>
<p><button type="submit">${m['receipt.checkButton']}</button></p>
</form>
<p>${m['receipt.noScript']}</p><pre><code>npx tuidang verify --receipt receipt.json --log https://…</code></pre>`,
  };
}
