// Everything a registry publishes about the count, checked against the recount: /api/v1/stats,
// each language's /stats.csv, and the figures of its home and statistics pages, read from their
// HTML (each figure carries its name in a data-figure attribute: docs/statistics.md). A figure
// that differs, is missing, or is not a figure at all is one row of differences.
import {
  CHANNELS,
  headline,
  ORGS,
  REGIONS,
  type Tally,
  type Totals,
  VOID_REASONS,
} from '../registry/index.ts';

/** One difference: where and which figure, what was published, what the log gives. */
export type Difference = readonly [figure: string, published: string, recounted: string];

/** The path segments of the site's languages, each with a home page, /stats and /stats.csv. */
export const LANGUAGE_PREFIXES = ['zh-hans', 'zh-hant', 'en'] as const;

const REGION_KEYS = [...REGIONS.map(([c]) => c), 'none'];
const DIMENSIONS: Record<string, readonly string[]> = {
  orgs: ORGS,
  channels: CHANNELS,
  regions: REGION_KEYS,
};

/**
 * The value of a named figure (docs/statistics.md, "Figures on the pages") in the totals of a
 * log of `treeSize` entries; undefined if the name is not one.
 */
export function figureValue(name: string, totals: Totals, treeSize: number): number | undefined {
  if (name === 'total') return headline(totals);
  if (name === 'treeSize') return treeSize;
  if (name === 'entries') return totals.entries;
  const parts = name.split('.');
  if (parts[0] === 'voided')
    return parts.length === 2 && (VOID_REASONS as readonly string[]).includes(parts[1] as string)
      ? (totals.voided[parts[1] as string] ?? 0)
      : undefined;
  let tallies: Tally[] = [totals.registered, totals.imported];
  if (parts[0] === 'registered' || parts[0] === 'imported') {
    tallies = [totals[parts[0]]];
    parts.shift();
  }
  const sum = (f: (t: Tally) => number) => tallies.reduce((n, t) => n + f(t), 0);
  const [dimension, key, ...rest] = parts;
  if (dimension === 'declarants' && key === undefined) return sum((t) => t.declarants);
  if (dimension === undefined || key === undefined || rest.length > 0) return undefined;
  if (dimension === 'overTime') {
    if (!/^\d{4}(-\d{2})?$/.test(key)) return undefined;
    return sum((t) =>
      Object.entries(t.days).reduce((n, [day, c]) => (day.startsWith(key) ? n + c : n), 0),
    );
  }
  const keys = DIMENSIONS[dimension];
  if (keys === undefined || !keys.includes(key)) return undefined;
  return sum((t) => t[dimension as 'orgs' | 'channels' | 'regions'][key] ?? 0);
}

/** The figures a page must show: those of every registry, and the non-zero ones of this one. */
export function requiredFigures(page: 'home' | 'stats', totals: Totals): string[] {
  const names = ['total', 'registered.declarants', 'imported.declarants'];
  if (page === 'home') return [...names, ...ORGS.map((o) => `orgs.${o}`)];
  names.push('treeSize');
  for (const part of ['registered', 'imported']) {
    for (const o of ORGS) names.push(`${part}.orgs.${o}`);
    for (const c of CHANNELS) names.push(`${part}.channels.${c}`);
    for (const r of REGION_KEYS)
      if ((totals.registered.regions[r] ?? 0) + (totals.imported.regions[r] ?? 0) > 0)
        names.push(`${part}.regions.${r}`);
  }
  for (const r of VOID_REASONS) if (totals.voided[r]) names.push(`voided.${r}`);
  return names;
}

/** The published statistics (the body of /api/v1/stats) against the recount. */
export function statsDifferences(
  body: unknown,
  totals: Totals,
  treeSize: number,
  where = '/api/v1/stats',
): Difference[] {
  const out: Difference[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return [[where, 'not a JSON object', 'the statistics']];
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b))
    if (!['treeSize', 'total', 'totals', 'checkpoint'].includes(key))
      out.push([`${where} ${key}`, JSON.stringify(b[key]), '(no such figure)']);
  const same = (figure: string, published: unknown, recounted: number) => {
    if (published !== recounted)
      out.push([`${where} ${figure}`, JSON.stringify(published) ?? '(missing)', String(recounted)]);
  };
  same('treeSize', b.treeSize, treeSize);
  same('total', b.total, headline(totals));
  // An empty log may have its signed checkpoint of size 0 already, or none yet (null).
  if (b.checkpoint === null && treeSize !== 0)
    out.push([`${where} checkpoint`, 'null', 'the checkpoint']);
  for (const [k, published, recounted] of totalsDifferences(b.totals, totals, true))
    out.push([`${where} totals.${k}`, published, recounted]);
  return out;
}

/**
 * Every leaf value where two totals differ, as rows `[path, published, recount]`. A tally key at
 * zero and a missing key mean the same, except that with `strict` the fixed keys (organisations,
 * channels) must be present and no other key may be zero (docs/statistics.md).
 */
export function totalsDifferences(
  published: unknown,
  recount: unknown,
  strict = false,
): Array<[string, string, string]> {
  const flat = (v: unknown, at: string, out: Map<string, string>) => {
    if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) flat(x, at ? `${at}.${k}` : k, out);
    else out.set(at, JSON.stringify(v));
    return out;
  };
  const a = flat(published, '', new Map());
  const b = flat(recount, '', new Map());
  const rows: Array<[string, string, string]> = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (strict && x !== y && (x === undefined || y === undefined || x === '0'))
      rows.push([key, x ?? '(missing)', y ?? '(no such figure)']);
    else if ((x ?? '0') !== (y ?? '0')) rows.push([key, x ?? '0', y ?? '0']);
  }
  return rows;
}

/** The figures of an HTML page: each element with a data-figure attribute, and its text. */
export function pageFigures(htmlText: string): {
  figures: Array<{ name: string; text: string; attrs: string }>;
  treeSize: number | undefined;
} {
  const figures: Array<{ name: string; text: string; attrs: string }> = [];
  // The site writes each figure as an element holding only the formatted number.
  const element = /<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*?)\sdata-figure="([^"]*)"([^>]*)>([^<]*)<\/\1>/g;
  for (const m of htmlText.matchAll(element))
    figures.push({ name: m[3] as string, text: m[5] as string, attrs: `${m[2]} ${m[4]}` });
  const size = /\sdata-tree-size="(\d+)"/.exec(htmlText);
  return { figures, treeSize: size ? Number(size[1]) : undefined };
}

/** The figures of a home or statistics page against the recount. */
export function pageDifferences(
  htmlText: string,
  page: 'home' | 'stats',
  totals: Totals,
  treeSize: number,
  where: string,
): Difference[] {
  const out: Difference[] = [];
  const { figures } = pageFigures(htmlText);
  const seen = new Set<string>();
  for (const { name, text, attrs } of figures) {
    seen.add(name);
    const value = figureValue(name, totals, treeSize);
    const digits = text.replace(/[^0-9]/g, '');
    if (value === undefined) out.push([`${where} ${name}`, text, '(no such figure)']);
    else if (digits === '' || Number(digits) !== value)
      out.push([`${where} ${name}`, text.trim(), String(value)]);
    const exact = /\sdata-total="([^"]*)"/.exec(` ${attrs}`);
    if (name === 'total' && exact && Number(exact[1]) !== value)
      out.push([`${where} total (data-total)`, exact[1] as string, String(value)]);
  }
  for (const name of requiredFigures(page, totals))
    if (!seen.has(name))
      out.push([
        `${where} ${name}`,
        '(missing)',
        String(figureValue(name, totals, treeSize) ?? ''),
      ]);
  return out;
}

const CSV_DIMENSIONS: Record<string, string> = {
  organisation: 'orgs',
  channel: 'channels',
  region: 'regions',
  day: 'days',
};

/** A language's /stats.csv (docs/statistics.md, "stats.csv") against the recount. */
export function csvDifferences(
  csv: string,
  totals: Totals,
  treeSize: number,
  where: string,
): Difference[] {
  const out: Difference[] = [];
  const lines = csv.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = 'dimension,key,registered,imported,all';
  if (lines[0] !== header) out.push([`${where} header`, lines[0] ?? '(empty)', header]);
  const expected = new Map<string, string>();
  expected.set('log,treeSize', `,,${treeSize}`);
  expected.set('log,entries', `,,${totals.entries}`);
  const both = (key: string, a: number, b: number) => expected.set(key, `${a},${b},${a + b}`);
  const r = totals.registered;
  const i = totals.imported;
  both('total,declarants', r.declarants, i.declarants);
  for (const [dimension, field] of Object.entries(CSV_DIMENSIONS)) {
    const f = field as 'orgs' | 'channels' | 'regions' | 'days';
    const fixed = f === 'orgs' || f === 'channels';
    const keys =
      f === 'orgs'
        ? ORGS
        : f === 'channels'
          ? CHANNELS
          : [...new Set([...Object.keys(r[f]), ...Object.keys(i[f])])];
    for (const k of keys) {
      const a = r[f][k] ?? 0;
      const b = i[f][k] ?? 0;
      if (fixed || a + b > 0) both(`${dimension},${k}`, a, b);
    }
  }
  for (const reason of VOID_REASONS)
    if (totals.voided[reason]) expected.set(`voided,${reason}`, `,,${totals.voided[reason]}`);
  const seen = new Set<string>();
  for (const line of lines.slice(1)) {
    const [dimension = '', key = '', ...values] = line.split(',');
    const id = `${dimension},${key}`;
    const want = expected.get(id);
    if (seen.has(id)) out.push([`${where} ${id}`, values.join(','), '(once only)']);
    else if (want === undefined) out.push([`${where} ${id}`, values.join(','), '(no such row)']);
    else if (values.join(',') !== want) out.push([`${where} ${id}`, values.join(','), want]);
    seen.add(id);
  }
  for (const [id, want] of expected)
    if (!seen.has(id)) out.push([`${where} ${id}`, '(missing)', want]);
  return out;
}

/** What a registry's pages say, checked against the recount of a log of `treeSize` entries. */
export interface PublishedCheck {
  readonly differences: Difference[];
  /** Pages computed at another tree size: a publication landed while they were read. */
  readonly moved: string[];
}

/**
 * Reads each language's home page, statistics page and stats.csv, and checks every figure in
 * them. A page that names another tree size than the verified one is not compared but listed in
 * `moved`: the caller reads the statistics and the pages of the next publication again.
 */
export async function checkPublished(
  page: (path: string) => Promise<{ status: number; text: string }>,
  totals: Totals,
  treeSize: number,
): Promise<PublishedCheck> {
  const differences: Difference[] = [];
  const moved: string[] = [];
  for (const lang of LANGUAGE_PREFIXES) {
    for (const [path, kind] of [
      [`/${lang}/`, 'home'],
      [`/${lang}/stats`, 'stats'],
      [`/${lang}/stats.csv`, 'csv'],
    ] as const) {
      const res = await page(path);
      if (res.status !== 200) {
        differences.push([path, `answered ${res.status}`, 'the page']);
        continue;
      }
      const size =
        kind === 'csv'
          ? /^log,treeSize,,,(\d+)$/m.exec(res.text)?.[1]
          : pageFigures(res.text).treeSize;
      if (size === undefined) {
        differences.push([`${path} treeSize`, '(missing)', String(treeSize)]);
        continue;
      }
      if (Number(size) !== treeSize) {
        moved.push(path);
        continue;
      }
      differences.push(
        ...(kind === 'csv'
          ? csvDifferences(res.text, totals, treeSize, path)
          : pageDifferences(res.text, kind, totals, treeSize, path)),
      );
    }
  }
  return { differences, moved };
}
