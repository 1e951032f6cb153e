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

/** A row of the upload that is valid, and the line of the file where it ends. */
export interface CsvRow {
  readonly line: number;
  readonly submission: Submission;
}

export type CsvDeclarations =
  | { readonly error: string }
  | { readonly rows: readonly CsvRow[]; readonly problems: readonly string[] };

/**
 * The submissions of an uploaded CSV text, or why none is taken: too large, too many rows, or
 * not CSV (the parser's message). Nothing is recorded here.
 */
export function csvDeclarations(t: I18n, text: string, channel: VolunteerChannel): CsvDeclarations {
  if (Buffer.byteLength(text) > CSV_MAX_BYTES)
    return { error: t.m['volunteer.tooLarge'](t.number(CSV_MAX_BYTES / 1024)) };
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(text, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      // One more than allowed, to tell that there are too many without parsing them all.
      to: CSV_MAX_ROWS + 1,
    });
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (records.length > CSV_MAX_ROWS)
    return { error: t.m['volunteer.tooManyRows'](t.number(CSV_MAX_ROWS)) };
  const problems: string[] = [];
  const rows = records.flatMap(({ record: r, info }) => {
    const d = {
      name: r.name ?? '',
      nameKind: r.nameKind || 'alias',
      orgs: (r.orgs ?? '').split(/[;|,\s]+/).filter(Boolean),
      ...(r.region ? { region: r.region } : {}),
      ...(r.statement ? { statement: r.statement } : {}),
      publish: ['true', 'yes', '1'].includes((r.publish ?? '').toLowerCase()),
    };
    try {
      return [
        {
          line: info.lines,
          submission: parseSubmission({ language: t.locale, declarants: [d] }, channel),
        },
      ];
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.push(t.m['volunteer.rejected'](info.lines, e.message));
      return [];
    }
  });
  return { rows, problems };
}
