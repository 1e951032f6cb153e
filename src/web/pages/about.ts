import type { FloodCost } from '../flood-cost.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { checkBlock, commandBlock, type Operator, operatorBlock, type Site } from './check.ts';

/** What this deployment is, as its configuration and its latest checkpoint say: no claim beyond. */
export interface Deployment {
  /** The witnesses configured (TUIDANG_WITNESSES), and whether each cosigned the latest checkpoint. */
  readonly witnesses: ReadonlyArray<{
    readonly url: string;
    readonly vkey: string;
    readonly cosigned: boolean;
  }>;
  /** Whether the newsletter is on (SMTP_URL): then the database holds subscribers' addresses. */
  readonly newsletter: boolean;
  /** Who runs it and where its code is, as configured. */
  readonly operator: Operator;
  /** What a flood costs with this registry's proof of work and rate limit; absent when it asks no
   * work (TUIDANG_POW=off). */
  readonly flood?: FloodCost | undefined;
  /** The log's origin, and whether it is the one every local install has (no public address). */
  readonly origin?: string | undefined;
  readonly localOrigin?: boolean | undefined;
  /** Whether requests came through a reverse proxy that TRUST_PROXY does not declare. */
  readonly undeclaredProxy?: boolean | undefined;
}

/** Who this deployment is, and what its operator must fix: said where anyone can read it. */
function deploymentSection(t: I18n, d: Deployment): Html | string {
  const { m } = t;
  if (d.origin === undefined && !d.undeclaredProxy) return '';
  return html`<h2 id="deployment">${m['about.deployment']}</h2>
${d.origin === undefined ? '' : html`<p>${m['about.origin']}<br><code id="origin">${d.origin}</code></p>`}
${d.localOrigin ? html`<p class="bad" id="local-origin">${m['about.localOrigin']} <code>TUIDANG_PUBLIC_URL</code></p>` : ''}
${d.undeclaredProxy ? html`<p class="bad" id="undeclared-proxy">${m['about.undeclaredProxy']} <code>TRUST_PROXY</code></p>` : ''}`;
}

export function aboutPage(t: I18n, site: Site, deployment: Deployment): Page {
  const { m } = t;
  const { flood } = deployment;
  const holds = [
    m['about.holds.log'],
    m['about.holds.publications'],
    m['about.holds.staff'],
    m['about.holds.sealed'],
    ...(deployment.newsletter ? [m['about.holds.newsletter']] : []),
    m['about.holds.key'],
  ];
  const never = [
    m['about.never.unpublished'],
    m['about.never.receipts'],
    m['about.never.ip'],
    ...(deployment.newsletter ? [] : [m['about.holds.newsletter']]),
  ];
  return {
    title: m['about.title'],
    path: '/about',
    body: html`<h1>${m['about.title']}</h1>
<h2>${m['about.how']}</h2>
<p>${m['about.howText']}</p>
<h2 id="operator-heading">${m['about.operator']}</h2>
${operatorBlock(t, deployment.operator)}
<h2 id="key">${m['about.key']}</h2>
<p>${m['about.keyText']}</p>
<p><code class="key" id="vkey">${site.vkey}</code></p>
<h2 id="source">${m['about.source']}</h2>
${
  deployment.operator.sourceUrl
    ? html`<p>${m['about.sourceText']} <a href="${deployment.operator.sourceUrl}" id="source-url">${deployment.operator.sourceUrl}</a>${
        deployment.operator.sourceCommit
          ? html`<br>${m['about.commit']} <code id="source-commit">${deployment.operator.sourceCommit}</code>`
          : ''
      }</p>`
    : html`<p id="no-source">${m['about.noSource']}</p>`
}
<h2 id="witnesses">${m['about.witnesses']}</h2>
${
  deployment.witnesses.length === 0
    ? html`<p id="no-witness">${m['about.noWitness']}</p>`
    : html`<p>${m['about.witnessesText']}</p>
<ul class="witnesses">${deployment.witnesses.map(
        (w) =>
          html`<li><code>${w.url}</code><br><code class="key">${w.vkey}</code><br><span class="${w.cosigned ? 'ok' : 'bad'}">${w.cosigned ? m['about.witnessCosigned'] : m['about.witnessMissing']}</span></li>`,
      )}</ul>`
}
<h2 id="verify">${m['about.verify']}</h2>
<p>${m['about.verifyText']}</p>
${checkBlock(t, site, true)}
<p>${m['about.verifierHash']}<br><code class="key" id="verifier-sha256">${site.verifier.sha256}</code></p>
<p>${m['about.verifierBuild']}</p>
${commandBlock(['npm run build:verifier'])}
<p><a href="${t.path('/receipt')}">${m['nav.receipt']}</a></p>
<h2>${m['about.stored']}</h2>
<p>${m['about.storedText']}</p>
<p><a href="${t.path('/erase')}">${m['erase.link']}</a></p>
<h2 id="seized">${m['about.seized']}</h2>
<p>${m['about.seizedHolds']}</p>
<ul>${holds.map((h) => html`<li>${h}</li>`)}</ul>
<p>${m['about.seizedNever']}</p>
<ul>${never.map((h) => html`<li>${h}</li>`)}</ul>
<h2>${m['about.threats']}</h2>
<p>${m['about.threatsText']}</p>
<h2 id="flood">${m['about.flood']}</h2>
${
  flood
    ? html`<p>${m['about.floodWork'](...flood.evaluations, flood.phoneSeconds, ...flood.nativePer1000)}</p>
<p>${m['about.floodWait'](flood.waitSeconds)}</p>
${flood.perMinute > 0 ? html`<p>${m['about.floodLimit'](flood.perMinute)}</p>` : ''}`
    : html`<p>${m['about.floodOff']}</p>`
}
<p>${m['about.floodLimits']}</p>
${deploymentSection(t, deployment)}`,
  };
}
