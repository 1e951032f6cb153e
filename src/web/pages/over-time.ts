// Declarations over time for the charts: per month while the counted months span two years or
// less, else per year (imported history reaches back to 2004), imported history and declarations
// made here apart.
import type { Totals } from '../../registry/index.ts';
import { barChart, type ChartData } from '../chart.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';

export interface OverTime {
  readonly unit: 'month' | 'year';
  /** [month or year, made here, imported], oldest first, from the first period with declarations. */
  readonly rows: ReadonlyArray<readonly [string, number, number]>;
}

const MONTHS_SHOWN = 24;

function monthsBetween(a: string, b: string): number {
  return (
    (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 +
    Number(b.slice(5, 7)) -
    Number(a.slice(5, 7))
  );
}

/** Each period from the first to the last with declarations, empty ones included. */
function periods(first: string, last: string, unit: 'month' | 'year'): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = unit === 'month' ? Number(first.slice(5, 7)) : 1;
  for (;;) {
    const p = unit === 'month' ? `${y}-${String(m).padStart(2, '0')}` : String(y);
    out.push(p);
    if (p >= last) return out;
    if (unit === 'year' || m === 12) {
      y++;
      m = 1;
    } else m++;
  }
}

/**
 * Declarations per period, by series. The store hands out one frozen totals object per tree size,
 * so the sums over some 8,000 days of history are made once per size, not on every page view.
 */
const computed = new WeakMap<Totals, OverTime>();

export function overTime(totals: Totals): OverTime {
  let done = computed.get(totals);
  if (done === undefined) {
    done = sumOverTime(totals);
    computed.set(totals, done);
  }
  return done;
}

function sumOverTime(totals: Totals): OverTime {
  const months = new Map<string, [number, number]>();
  const add = (days: Record<string, number>, at: 0 | 1) => {
    for (const [day, n] of Object.entries(days)) {
      const m = months.get(day.slice(0, 7)) ?? [0, 0];
      m[at] += n;
      months.set(day.slice(0, 7), m);
    }
  };
  add(totals.registered.days, 0);
  add(totals.imported.days, 1);
  const sorted = [...months.keys()].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return { unit: 'month', rows: [] };
  const unit = monthsBetween(first, last) < MONTHS_SHOWN ? 'month' : 'year';
  const sums = new Map<string, [number, number]>();
  for (const [m, [a, b]] of months) {
    const key = unit === 'month' ? m : m.slice(0, 4);
    const s = sums.get(key) ?? [0, 0];
    sums.set(key, [s[0] + a, s[1] + b]);
  }
  const span = periods(
    unit === 'month' ? first : first.slice(0, 4),
    unit === 'month' ? last : last.slice(0, 4),
    unit,
  );
  return { unit, rows: span.map((p) => [p, ...(sums.get(p) ?? [0, 0])] as const) };
}

/** The chart of declarations over time, with the series that have any declarations. */
export function overTimeChart(t: I18n, totals: Totals): Html {
  const { unit, rows } = overTime(totals);
  if (rows.length === 0) return html``;
  const { m } = t;
  const kept = [0, 1].filter((s) => rows.some((r) => (r[s + 1] as number) > 0));
  return barChart({
    title: unit === 'month' ? m['home.chart'] : m['home.chartYears'],
    description:
      unit === 'month' ? m['home.chartDesc'](rows.length) : m['home.chartYearsDesc'](rows.length),
    labelHeader: unit === 'month' ? m['chart.month'] : m['chart.year'],
    tableSummary: m['chart.table'],
    series: kept.map((s) => SERIES(t)[s] as ChartData['series'][number]),
    rows: rows.map(
      ([label, ...values]) => [label, ...kept.map((s) => values[s] as number)] as const,
    ),
    format: t.number,
    figures: {
      rows: rows.map(([label]) => `overTime.${label}`),
      series: kept.map((s) => (s === 0 ? 'registered' : 'imported')),
    },
  });
}

/** Declarations made here and imported history, in the order of the rows' values. */
export const SERIES = (t: I18n): ChartData['series'] => [
  { name: t.m['stats.registered'], tone: 'here' },
  { name: t.m['stats.imported'], tone: 'history' },
];
