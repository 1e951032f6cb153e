// The volunteers' CSV upload as data: one submission per row, and a sentence for each row that was
// refused, in the page's language, naming its line and its column. The first line names the
// columns, in English or in Chinese, and the cells may be written in either (src/web/pages/
// csv-values.ts; docs/operations.md). An upload has a stated maximum in bytes and in rows, checked
// before anything is recorded, so that one upload can neither hold the sequencer's pool nor the
// server's memory.
import { parse as parseCsv } from 'csv-parse/sync';
import {
  type FieldProblem,
  parseSubmission,
  type Submission,
  ValidationError,
} from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import {
  CSV_COLUMNS,
  type CsvColumn,
  columnOf,
  nameKindOf,
  orgsOf,
  publishOf,
  REQUIRED_COLUMNS,
  regionOf,
} from './csv-values.ts';
import type { VolunteerChannel } from './volunteer.ts';

/** Most people in one upload. */
export const CSV_MAX_ROWS = 1000;
/**
 * Most bytes of CSV text in one upload: 1,000 people with short statements. Sent as a form it
 * grows to at most three times this (each UTF-8 byte of Chinese as %XX), within the body limit.
 */
export const CSV_MAX_BYTES = 256 * 1024;

/** A row of the upload that is valid, the line of the file where it ends, and its text. */
export interface CsvRow {
  readonly line: number;
  readonly submission: Submission;
  /** The row as it was written (to give back the rows that still need work). */
  readonly raw: string;
}

/** A row that is not valid: where, what is wrong (a sentence in the page's language), its text. */
export interface CsvProblem {
  readonly line: number;
  readonly text: Html;
  readonly raw: string;
}

export type CsvDeclarations =
  | { readonly error: Html | string }
  | {
      /** The header line, as written. */
      readonly header: string;
      readonly rows: readonly CsvRow[];
      readonly problems: readonly CsvProblem[];
    };

// A message built with these in place of its arguments comes back with them as <code>: the
// volunteer's own words (a column's name, a cell) shown as written, apart from the sentence.
const SLOTS = ['\uE000', '\uE001'] as const;
function withCode(message: string, ...codes: string[]): Html {
  const parts: Array<Html | string> = [];
  let rest = message;
  for (;;) {
    const at = SLOTS.map((s) => rest.indexOf(s))
      .map((i, k) => [i, k] as const)
      .filter(([i]) => i >= 0)
      .sort((a, b) => a[0] - b[0])[0];
    if (at === undefined) break;
    parts.push(rest.slice(0, at[0]), html`<code>${codes[at[1]] ?? ''}</code>`);
    rest = rest.slice(at[0] + 1);
  }
  parts.push(rest);
  return html`${parts}`;
}

/**
 * The line on which the quoted cell that is never closed opens. csv-parse reports the line where
 * the file ends, which is not where the volunteer has to look. A quote opens a cell only at its
 * start (spaces aside: cells are trimmed); inside, "" is a quote and a lone " closes the cell.
 */
export function unclosedQuoteLine(text: string): number | undefined {
  let line = 1;
  let opened: number | undefined;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (opened !== undefined) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else {
          opened = undefined;
          atStart = false;
        }
      }
    } else if (c === '"' && atStart) opened = line;
    else if (c === ',') atStart = true;
    else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') atStart = false;
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      if (opened === undefined) atStart = true;
    }
  }
  return opened;
}

/** The sentence for a file the parser could not read, from csv-parse's error code and line. */
function unreadable(t: I18n, e: unknown, text: string): Html | string {
  const { code, lines } = e as { code?: string; lines?: number };
  const at = code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(text) : undefined;
  const line = t.number(at ?? lines ?? 1);
  return code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_INVALID_CLOSING_QUOTE'
    ? withCode(t.m['csv.quote'](line, SLOTS[0], SLOTS[1]), '"', '""')
    : t.m['csv.unreadable'](line);
}

/** The name a page shows for a column: the volunteer's own, else the page language's. */
const shownName = (t: I18n, c: CsvColumn) => t.m[`csv.col.${c}`];

/** A registry problem of one cell, as the part of a sentence after "line N was not declared: ". */
function cellProblem(t: I18n, p: FieldProblem, column: string): Html {
  const { m } = t;
  const max = t.number(p.max ?? 0);
  const why =
    p.code === 'required'
      ? m['csv.why.noName'](SLOTS[0])
      : p.code === 'too-long'
        ? m['csv.why.tooLong'](SLOTS[0], max)
        : p.code === 'control'
          ? m['csv.why.control'](SLOTS[0])
          : p.code === 'marks'
            ? m['csv.why.marks'](SLOTS[0], max)
            : p.code === 'no-letter'
              ? m['csv.why.noLetter'](SLOTS[0])
              : m['csv.why.invalid'](SLOTS[0]);
  return withCode(why, column);
}

/**
 * The submissions of an uploaded CSV text, or why none is taken: empty, too large, too many rows,
 * not CSV, or a first line that does not name the columns. Nothing is recorded here.
 */
export function csvDeclarations(
  t: I18n,
  text: string,
  channel: VolunteerChannel,
  language: string = t.locale,
): CsvDeclarations {
  const { m } = t;
  if (Buffer.byteLength(text) > CSV_MAX_BYTES)
    return { error: m['volunteer.tooLarge'](t.number(CSV_MAX_BYTES / 1024)) };
  let records: Array<{ record: string[]; info: { lines: number }; raw: string }>;
  try {
    records = parseCsv(text, {
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      // A quote inside a cell (他说"退"了) is part of the text, as a volunteer means it.
      relax_quotes: true,
      trim: true,
      bom: true,
      info: true,
      raw: true,
      // The header and one more row than allowed, to tell that there are too many.
      to: CSV_MAX_ROWS + 2,
    }) as unknown as typeof records;
  } catch (e) {
    return { error: unreadable(t, e, text) };
  }
  const [head, ...body] = records;
  if (head === undefined) return { error: m['csv.empty'] };
  if (body.length > CSV_MAX_ROWS)
    return { error: m['volunteer.tooManyRows'](t.number(CSV_MAX_ROWS)) };
  // The first line names the columns: each one known, none twice, the required ones there.
  const columns: CsvColumn[] = [];
  for (const written of head.record) {
    const c = columnOf(written);
    if (c === undefined) return { error: withCode(m['csv.unknownColumn'](SLOTS[0]), written) };
    if (columns.includes(c)) return { error: withCode(m['csv.twiceColumn'](SLOTS[0]), written) };
    columns.push(c);
  }
  for (const c of REQUIRED_COLUMNS)
    if (!columns.includes(c))
      return { error: withCode(m['csv.missingColumn'](SLOTS[0]), shownName(t, c)) };
  if (body.length === 0) return { error: m['csv.noPeople'] };
  const written = (c: CsvColumn) => head.record[columns.indexOf(c)] ?? shownName(t, c);

  const problems: CsvProblem[] = [];
  const rows = body.flatMap(({ record, info, raw: as }): CsvRow[] => {
    const raw = `${as.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '')}\n`;
    const line = info.lines;
    const refuse = (why: Html) => {
      problems.push({ line, raw, text: html`${m['csv.line'](t.number(line))}${why}` });
      return [];
    };
    if (record.length > columns.length)
      return refuse(
        withCode(
          m['csv.why.cells'](t.number(record.length), t.number(columns.length), SLOTS[0]),
          '"',
        ),
      );
    const cell = (c: CsvColumn) => {
      const i = columns.indexOf(c);
      return i < 0 ? '' : (record[i] ?? '');
    };
    const nameKind = nameKindOf(cell('nameKind'));
    if (nameKind === undefined)
      return refuse(
        withCode(m['csv.why.nameKind'](SLOTS[0], SLOTS[1]), written('nameKind'), cell('nameKind')),
      );
    if (cell('orgs') === '')
      return refuse(withCode(m['csv.why.noOrgs'](SLOTS[0]), written('orgs')));
    const orgs = orgsOf(cell('orgs'));
    if ('unknown' in orgs)
      return refuse(withCode(m['csv.why.org'](SLOTS[0], SLOTS[1]), written('orgs'), orgs.unknown));
    const region = regionOf(cell('region'));
    if (region === undefined)
      return refuse(
        withCode(m['csv.why.region'](SLOTS[0], SLOTS[1]), written('region'), cell('region')),
      );
    const publish = publishOf(cell('publish'));
    if (publish === undefined)
      return refuse(
        withCode(m['csv.why.publish'](SLOTS[0], SLOTS[1]), written('publish'), cell('publish')),
      );
    const declarant = {
      name: cell('name'),
      nameKind,
      orgs: orgs.orgs,
      ...(region === null ? {} : { region }),
      ...(cell('statement') ? { statement: cell('statement') } : {}),
      publish,
    };
    try {
      return [
        { line, raw, submission: parseSubmission({ language, declarants: [declarant] }, channel) },
      ];
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // What is left for the registry to refuse: the name and the statement (length, characters).
      const p = e.problems[0] as FieldProblem;
      const field = CSV_COLUMNS.find((c) => p.pointer.endsWith(`/${c}`)) ?? 'name';
      return refuse(cellProblem(t, p, written(field)));
    }
  });
  const header = `${(/^\uFEFF?([^\r\n]*)/.exec(text)?.[1] ?? '').trim()}\n`;
  return { header, rows, problems };
}

/** A declarant as the registry reads one, from a stored copy of a recorded row (its own values). */
export function declarantOf(r: Record<string, unknown>) {
  const text = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
  const orgs = Array.isArray(r.orgs) ? r.orgs.map(String) : text('orgs').split(/[;|,\s]+/);
  return {
    name: text('name'),
    nameKind: text('nameKind') || 'alias',
    orgs: orgs.filter(Boolean),
    ...(text('region') ? { region: text('region') } : {}),
    ...(text('statement') ? { statement: text('statement') } : {}),
    publish: r.publish === true,
  };
}
