// What every page that tells people how to check the count needs: the site's public address and
// the single-file verifier it serves. The commands shown work as written, with the address the
// operator configured (TUIDANG_PUBLIC_URL), never with a package name nobody published.
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';

/** Who runs a registry and where its code is, as its operator configured them. */
export interface Operator {
  readonly name: string | undefined;
  /** An email address or an https:// address. */
  readonly contact: string | undefined;
  readonly sourceUrl: string | undefined;
  readonly sourceCommit: string | undefined;
}

export const NO_OPERATOR: Operator = {
  name: undefined,
  contact: undefined,
  sourceUrl: undefined,
  sourceCommit: undefined,
};

/** Who runs the site and how to reach them, in one paragraph; says so when they did not say. */
export function operatorBlock(t: I18n, operator: Operator): Html {
  const { m } = t;
  const contact = operator.contact;
  const href =
    contact?.includes('@') && !contact.startsWith('https://') ? `mailto:${contact}` : contact;
  // Sentences follow each other with a space in English, with none in Chinese.
  const gap = t.locale === 'en' ? ' ' : '';
  return html`<p class="operator" id="operator">${operator.name ? m['operator.runBy'](operator.name) : m['operator.none']}${gap}${
    contact
      ? html`${m['operator.contact']} <a href="${href ?? ''}">${contact}</a>`
      : m['operator.noContact']
  }</p>`;
}

export interface Site {
  /** The public address, e.g. https://registry.example (without a trailing slash). */
  readonly url: string;
  /** The log's verifier key: every command the site prints names it, so none trusts on first use. */
  readonly vkey: string;
  readonly verifier: { readonly path: string; readonly file: string; readonly sha256: string };
}

/** The commands to download the verifier and recount the registry with it. */
export function recountCommands(site: Site): string[] {
  return [
    `curl -fO ${site.url}${site.verifier.path}`,
    `node ${site.verifier.file} --vkey ${site.vkey} ${site.url}`,
  ];
}

/** The same, then checking a receipt against the registry's current log. */
export function receiptCommand(site: Site): string {
  return `node ${site.verifier.file} --vkey ${site.vkey} --receipt receipt.json --log ${site.url}`;
}

/**
 * Commands in a code block that wraps at spaces only: each word is kept whole (an address that is
 * wider than the screen scrolls in the box), so that what is copied is what was shown.
 */
export function commandBlock(lines: readonly string[]): Html {
  return html`<pre class="commands"><code>${lines.map(
    (line, i) =>
      html`${i > 0 ? '\n' : ''}${line.split(' ').map((word, j) => html`${j > 0 ? ' ' : ''}<span>${word}</span>`)}`,
  )}</code></pre>`;
}

/** A download link for the verifier, and the commands in a code block. */
export function checkBlock(t: I18n, site: Site, receipt = false): Html {
  const lines = [...recountCommands(site), ...(receipt ? [receiptCommand(site)] : [])];
  return html`<p><a class="button secondary" href="${site.verifier.path}" download="${site.verifier.file}">${t.m['about.verifier']}</a></p>
${commandBlock(lines)}`;
}
