import { html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';

export function aboutPage(t: I18n, site: string): Page {
  const { m } = t;
  return {
    title: m['about.title'],
    path: '/about',
    body: html`<h1>${m['about.title']}</h1>
<h2>${m['about.how']}</h2>
<p>${m['about.howText']}</p>
<h2>${m['about.verify']}</h2>
<p>${m['about.verifyText']}</p>
<pre><code>npx tuidang verify https://${site}
npx tuidang verify --receipt receipt.json --log https://${site}
npx tuidang mirror https://${site} ./mirror</code></pre>
<p><a href="${t.path('/receipt')}">${m['nav.receipt']}</a> · <a href="/api/openapi.json">API</a> · <a href="/log/checkpoint">checkpoint</a></p>
<h2>${m['about.stored']}</h2>
<p>${m['about.storedText']}</p>
<p><a href="${t.path('/erase')}">${m['erase.link']}</a></p>
<h2>${m['about.threats']}</h2>
<p>${m['about.threatsText']}</p>`,
  };
}
