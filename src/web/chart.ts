// Server-rendered SVG bar charts with a title and description for screen readers, and the same
// data as a table beside them (in a <details> element) for anyone who cannot see the chart.
import { type Html, html } from './html.ts';

export interface ChartData {
  readonly title: string;
  readonly description: string;
  readonly labelHeader: string;
  readonly valueHeader: string;
  readonly rows: ReadonlyArray<readonly [string, number]>;
  readonly format: (n: number) => string;
}

let chartIds = 0;

export function barChart(d: ChartData): Html {
  const id = `chart-${++chartIds}`;
  const width = 640;
  const height = 200;
  const max = Math.max(1, ...d.rows.map(([, v]) => v));
  // At least twelve slots, so that a young log shows narrow bars, not one wide block.
  const step = width / Math.max(12, d.rows.length);
  const bars = d.rows.map(([label, v], i) => {
    const h = Math.round((v / max) * (height - 30));
    return html`<rect class="bar" x="${(i * step + step * 0.1).toFixed(1)}" y="${height - 20 - h}" width="${(step * 0.8).toFixed(1)}" height="${h}"><title>${label}: ${d.format(v)}</title></rect>`;
  });
  // A label under each bar while they fit; past twelve, under the first and the last only.
  const labelled = d.rows.length <= 12 ? d.rows.map((_, i) => i) : [0, d.rows.length - 1];
  const labels = labelled.map(
    (i) =>
      html`<text x="${((i + 0.5) * step).toFixed(1)}" y="${height - 4}" text-anchor="middle">${d.rows[i]?.[0] ?? ''}</text>`,
  );
  return figure(
    d,
    id,
    width,
    height,
    html`${bars}
${labels}`,
  );
}

/**
 * Categories (organisations, provinces): one horizontal bar per row with its label above it, so
 * that long names stay legible on a narrow screen, and the figure at the end of the bar.
 */
export function categoryChart(d: ChartData): Html {
  const id = `chart-${++chartIds}`;
  const width = 400;
  const row = 36;
  const height = d.rows.length * row + 4;
  const max = Math.max(1, ...d.rows.map(([, v]) => v));
  const room = width - 70; // space for the longest bar and its figure after it
  const body = d.rows.map(([label, v], i) => {
    const w = Math.max(1, Math.round((v / max) * room));
    const y = i * row;
    return html`<text x="0" y="${y + 13}">${label}</text><rect class="bar" x="0" y="${y + 18}" width="${w}" height="12"><title>${label}: ${d.format(v)}</title></rect><text x="${w + 6}" y="${y + 29}">${d.format(v)}</text>`;
  });
  return figure(d, id, width, height, html`${body}`, 'chart categories');
}

function figure(
  d: ChartData,
  id: string,
  width: number,
  height: number,
  content: Html,
  kind = 'chart',
): Html {
  return html`<figure>
<svg class="${kind}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">
<title id="${id}-title">${d.title}</title>
<desc id="${id}-desc">${d.description}</desc>
${content}
</svg>
<figcaption>${d.title}</figcaption>
<details><summary>${d.labelHeader} / ${d.valueHeader}</summary>
<table><thead><tr><th scope="col">${d.labelHeader}</th><th scope="col" class="num">${d.valueHeader}</th></tr></thead>
<tbody>${d.rows.map(([label, v]) => html`<tr><td>${label}</td><td class="num">${d.format(v)}</td></tr>`)}</tbody></table>
</details>
</figure>`;
}
