// Server-rendered SVG bar charts with a title and description for screen readers, and the same
// data as a table beside them (in a <details> element) for anyone who cannot see the chart.
//
// Sizes are in SVG units drawn at about one CSS pixel on a phone (the viewBox is as wide as a
// 390 px screen leaves for it) and at most 1.5 times that on a wide screen (site.css), so that
// text of 13 units is never smaller than 12 px. Series are stacked (declarations made here, then
// imported history) and named in a legend.
import { type Html, html } from './html.ts';

export interface ChartData {
  readonly title: string;
  readonly description: string;
  readonly labelHeader: string;
  /** The summary that opens the table of the same figures. */
  readonly tableSummary: string;
  /** Each series, in the order of the values in a row: its name, and its colour in site.css. */
  readonly series: ReadonlyArray<{ readonly name: string; readonly tone: 'here' | 'history' }>;
  readonly rows: ReadonlyArray<readonly [label: string, ...values: number[]]>;
  readonly format: (n: number) => string;
  /** Show the table open (where it is the page's only table of these figures). */
  readonly open?: boolean;
  /**
   * The figures' names for a verifier (docs/statistics.md, "Figures on the pages"): each row's
   * (`orgs.party`) and each series' (`registered`). A row's sum is marked with the row's name,
   * a table cell with the series' name before it (`registered.orgs.party`).
   */
  readonly figures?: {
    readonly rows: readonly string[];
    readonly series: readonly string[];
  };
}

/** The data-figure attribute of a row's sum (`series` undefined) or of one of its values. */
function figureAttr(d: ChartData, row: number, series?: number): Html {
  const name = d.figures?.rows[row];
  if (name === undefined) return html``;
  const prefix = series === undefined ? undefined : d.figures?.series[series];
  if (series !== undefined && prefix === undefined) return html``;
  return html` data-figure="${prefix === undefined ? name : `${prefix}.${name}`}"`;
}

const WIDTH = 340;
const FONT = 13;
/** Width of a character of the chart's text in SVG units (digits, Latin; a CJK one is about 13). */
const charWidth = (s: string) =>
  [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? FONT : FONT * 0.62), 0);

let chartIds = 0;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const valuesOf = (row: readonly [string, ...number[]]) => row.slice(1) as number[];

/** Stacked rectangles of one bar or row, each with its series and figure in a tooltip. */
function segments(
  d: ChartData,
  row: readonly [string, ...number[]],
  place: (start: number, length: number) => { x: number; y: number; w: number; h: number },
  scale: number,
): Html[] {
  let start = 0;
  return valuesOf(row).map((v, s) => {
    // However small beside the others, a count that is not zero stays visible.
    const length = v === 0 ? 0 : Math.max(2, v * scale);
    const r = place(start, length);
    start += length;
    if (v === 0) return html``;
    const series = d.series[s];
    return html`<rect class="bar ${series?.tone}" x="${r.x.toFixed(1)}" y="${r.y.toFixed(1)}" width="${r.w.toFixed(1)}" height="${r.h.toFixed(1)}"><title>${row[0]}, ${series?.name}: ${d.format(v)}</title></rect>`;
  });
}

/**
 * The series' names with their colours (even a chart of one bar says what it counts), on as many
 * lines as they need; `height` is the room they take above the chart.
 */
function legend(d: ChartData): { markup: Html; height: number } {
  let x = 0;
  let y = 14;
  const items = d.series.map(({ name, tone }) => {
    const w = 17 + charWidth(name);
    if (x > 0 && x + w > WIDTH) {
      x = 0;
      y += 20;
    }
    const item = html`<rect class="bar ${tone}" x="${x.toFixed(1)}" y="${y - 10}" width="12" height="12"/><text x="${(x + 17).toFixed(1)}" y="${y}">${name}</text>`;
    x += w + 16;
    return item;
  });
  return { markup: html`${items}`, height: y + 10 };
}

/** Counts over time: one stacked column per month or year, oldest first. */
export function barChart(d: ChartData): Html {
  const id = `chart-${++chartIds}`;
  const key = legend(d);
  const top = key.height;
  const plot = 130; // height of the tallest bar
  const valueRow = 18; // room above each bar for its figure
  const height = top + valueRow + plot + 22;
  const base = top + valueRow + plot;
  const max = Math.max(1, ...d.rows.map((r) => sum(valuesOf(r))));
  // At least twelve slots, so that a young log shows narrow bars, not one wide block.
  const step = WIDTH / Math.max(12, d.rows.length);
  // A label under a bar, centred and kept inside the chart; from the newest back, each one that
  // would touch the label after it is left out (the table has every figure).
  const labelX = new Map<number, number>();
  let room = WIDTH + 6;
  for (let i = d.rows.length - 1; i >= 0; i--) {
    const w = charWidth(d.rows[i]?.[0] ?? '');
    const x = Math.min(Math.max((i + 0.5) * step, w / 2), WIDTH - w / 2);
    if (x + w / 2 + 6 > room) continue;
    labelX.set(i, x);
    room = x - w / 2;
  }
  // The figure above each labelled bar, when all of them fit.
  const figures = d.rows.every((r) => charWidth(d.format(sum(valuesOf(r)))) <= step * 0.95);
  const columns = d.rows.map((row, i) => {
    const x = i * step + step * 0.1;
    const total = sum(valuesOf(row));
    const lx = labelX.get(i);
    return html`${segments(
      d,
      row,
      (start, length) => ({ x, y: base - start - length, w: step * 0.8, h: length }),
      plot / max,
    )}${
      lx === undefined
        ? ''
        : html`<text x="${lx.toFixed(1)}" y="${height - 4}" text-anchor="middle">${row[0]}</text>`
    }${
      figures || d.rows.length === 1
        ? html`<text class="figure" x="${((i + 0.5) * step).toFixed(1)}" y="${(base - (total / max) * plot - 5).toFixed(1)}" text-anchor="middle"${figureAttr(d, i)}>${d.format(total)}</text>`
        : ''
    }`;
  });
  return figure(d, id, height, html`${key.markup}${columns}`);
}

/**
 * Categories (organisations, provinces): one horizontal bar per row with its label above it, so
 * that long names stay legible on a narrow screen, and the figure at the end of the bar.
 */
export function categoryChart(d: ChartData): Html {
  const id = `chart-${++chartIds}`;
  const key = legend(d);
  const top = key.height;
  const row = 38;
  const height = top + d.rows.length * row + 4;
  const max = Math.max(1, ...d.rows.map((r) => sum(valuesOf(r))));
  const room = WIDTH - 80; // space for the longest bar and its figure after it
  const body = d.rows.map((r, i) => {
    const y = top + i * row;
    const total = sum(valuesOf(r));
    const w = Math.max(1, (total / max) * room);
    return html`<text x="0" y="${y + 14}">${r[0]}</text>${
      total === 0
        ? html`<rect class="bar" x="0" y="${y + 19}" width="1" height="13"><title>${r[0]}: ${d.format(0)}</title></rect>`
        : segments(d, r, (start, length) => ({ x: start, y: y + 19, w: length, h: 13 }), room / max)
    }<text x="${(w + 6).toFixed(1)}" y="${y + 30}"${figureAttr(d, i)}>${d.format(total)}</text>`;
  });
  return figure(d, id, height, html`${key.markup}${body}`, 'chart categories');
}

function figure(d: ChartData, id: string, height: number, content: Html, kind = 'chart'): Html {
  return html`<figure>
<figcaption id="${id}-title">${d.title}</figcaption>
<svg class="${kind}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc">
<desc id="${id}-desc">${d.description}</desc>
${content}
</svg>
<details${d.open ? html` open` : ''}><summary>${d.tableSummary}</summary>
<table><thead><tr><th scope="col">${d.labelHeader}</th>${d.series.map((s) => html`<th scope="col" class="num">${s.name}</th>`)}</tr></thead>
<tbody>${d.rows.map((r, i) => html`<tr><th scope="row">${r[0]}</th>${valuesOf(r).map((v, s) => html`<td class="num"${figureAttr(d, i, s)}>${d.format(v)}</td>`)}</tr>`)}</tbody></table>
</details>
</figure>`;
}
