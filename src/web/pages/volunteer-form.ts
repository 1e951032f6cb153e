// The volunteers' CSV upload as data: one submission per row (a header row names the columns:
// name, nameKind, orgs, region, statement, publish), and a sentence for each row that was refused.
// An upload has a stated maximum in bytes and in rows, checked before anything is recorded, so
// that one upload can neither hold the sequencer's pool nor the server's memory.
import { parse as parseCsv } from 'csv-parse/sync';
import { parseSubmission, type Submission, ValidationError } from '../../registry/index.ts';
import type { I18n } from '../i18n.ts';
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

/** A row that is not valid: where, what is wrong, and its text. */
export interface CsvProblem {
  readonly line: number;
  readonly text: string;
  readonly raw: string;
}

export type CsvDeclarations =
  | { readonly error: string }
  | {
      /** The header line, as written. */
      readonly header: string;
      readonly rows: readonly CsvRow[];
      readonly problems: readonly CsvProblem[];
    };

/**
 * The submissions of an uploaded CSV text, or why none is taken: too large, too many rows, or
 * not CSV (the parser's message). Nothing is recorded here.
 */
export function csvDeclarations(
  t: I18n,
  text: string,
  channel: VolunteerChannel,
  language: string = t.locale,
): CsvDeclarations {
  if (Buffer.byteLength(text) > CSV_MAX_BYTES)
    return { error: t.m['volunteer.tooLarge'](t.number(CSV_MAX_BYTES / 1024)) };
  let records: Array<{ record: Record<string, string>; info: { lines: number }; raw: string }>;
  try {
    records = parseCsv(text, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      raw: true,
      // One more than allowed, to tell that there are too many without parsing them all.
      to: CSV_MAX_ROWS + 1,
    });
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (records.length > CSV_MAX_ROWS)
    return { error: t.m['volunteer.tooManyRows'](t.number(CSV_MAX_ROWS)) };
  const problems: CsvProblem[] = [];
  const rows = records.flatMap(({ record: r, info, raw: written }) => {
    const raw = `${written.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '')}\n`;
    try {
      return [
        {
          line: info.lines,
          raw,
          submission: parseSubmission({ language, declarants: [declarantOf(r)] }, channel),
        },
      ];
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.push({
        line: info.lines,
        raw,
        text: t.m['volunteer.rejected'](info.lines, e.message),
      });
      return [];
    }
  });
  const header = `${(/^\uFEFF?([^\r\n]*)/.exec(text)?.[1] ?? '').trim()}\n`;
  return { header, rows, problems };
}

/** A declarant as the registry reads one, from a CSV record or a stored copy of one. */
export function declarantOf(r: Record<string, unknown>) {
  const text = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
  const orgs = Array.isArray(r.orgs) ? r.orgs.map(String) : text('orgs').split(/[;|,\s]+/);
  return {
    name: text('name'),
    nameKind: text('nameKind') || 'alias',
    orgs: orgs.filter(Boolean),
    ...(text('region') ? { region: text('region') } : {}),
    ...(text('statement') ? { statement: text('statement') } : {}),
    publish: r.publish === true || ['true', 'yes', '1'].includes(text('publish').toLowerCase()),
  };
}
