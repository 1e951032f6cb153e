// The second factor's pages: the code after a right password, the setup of an authenticator app
// (the key as a QR code and as text, confirmed by a code before it counts) and the recovery codes,
// shown once. Plain forms; nothing needs JavaScript.
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { qrSvg } from '../qr.ts';
import { csrfField, notices, type StaffView, staffNav } from './staff.ts';

const codeInput = (t: I18n) => html`<label for="code">${t.m['twoFactor.code']}</label>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" spellcheck="false" required>`;

/** The second step of a sign-in: the code of the authenticator app, or a recovery code. */
export function codePage(t: I18n, csrf: string, notice?: string): Page {
  const { m } = t;
  return {
    title: m['twoFactor.codeTitle'],
    path: '/',
    body: html`<h1>${m['twoFactor.codeTitle']}</h1>
${notices(notice, 'alert')}
<p>${m['twoFactor.codeIntro']}</p>
<form method="post" action="/staff/login/code">
${csrfField(csrf)}
${codeInput(t)}
<p><button type="submit">${m['staff.login']}</button></p>
</form>`,
  };
}

export interface Enrolment {
  readonly csrf: string;
  /** The new key, base32. */
  readonly key: string;
  /** The otpauth:// link of the key (the QR code). */
  readonly uri: string;
  /** The key sealed by the server, sent back with the code. */
  readonly sealed: string;
  /** Whether the account has a second factor already (a new one replaces it). */
  readonly enrolled: boolean;
}

/** The setup of an authenticator app; `v` is the signed-in staff member, if signed in. */
export function enrolPage(t: I18n, e: Enrolment, v?: StaffView, notice?: string): Page {
  const { m } = t;
  const grouped = (e.key.match(/.{1,4}/g) ?? []).join(' ');
  const status = v
    ? m[e.enrolled ? 'twoFactor.status.on' : 'twoFactor.status.off']
    : m['twoFactor.required'];
  return {
    title: m['twoFactor.title'],
    path: '/',
    body: html`${v ? staffNav(t, v, 'twoFactor') : ''}
<h1>${m['twoFactor.title']}</h1>
${notices(notice, 'alert')}
<p>${status}</p>
<ol>
<li><p>${m['twoFactor.step1']}</p><div class="qr-box">${qrSvg(e.uri, m['twoFactor.qrLabel'])}</div></li>
<li><p>${m['twoFactor.step2']}</p><p class="mono" lang="en">${grouped}</p></li>
<li><form method="post" action="/staff/two-factor">
${csrfField(e.csrf)}
<input type="hidden" name="enrolment" value="${e.sealed}">
<p>${m['twoFactor.step3']}</p>
${codeInput(t)}
<p><button type="submit">${m['twoFactor.confirm']}</button></p>
</form></li>
</ol>`,
  };
}

/** The recovery codes of a new second factor, shown this once. */
export function recoveryCodesPage(t: I18n, codes: readonly string[], v?: StaffView): Page {
  const { m } = t;
  const list: Html = html`<ol class="mono" lang="en">${codes.map((c) => html`<li>${c}</li>`)}</ol>`;
  return {
    title: m['twoFactor.recoveryTitle'],
    path: '/',
    body: html`${v ? staffNav(t, v, 'twoFactor') : ''}
<h1>${m['twoFactor.recoveryTitle']}</h1>
<p class="notice" role="status">${m['twoFactor.recoveryIntro']}</p>
${list}
<p><a href="/staff/">${m['twoFactor.continue']}</a></p>`,
  };
}
