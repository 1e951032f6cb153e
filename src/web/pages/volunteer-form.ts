// The volunteers' CSV upload as data: one submission per row (a header row names the columns:
// name, nameKind, orgs, region, statement, publish), and a sentence for each row that was refused.
import { parse as parseCsv } from 'csv-parse/sync';
import { parseSubmission, type Submission, ValidationError } from '../../registry/index.ts';
import type { I18n } from '../i18n.ts';
import type { VolunteerChannel } from './volunteer.ts';

export type CsvDeclarations =
  | { readonly error: string }
  | { readonly submissions: readonly Submission[]; readonly problems: readonly string[] };

/** The submissions of an uploaded CSV text, or the parser's message when it is not CSV. */
export function csvDeclarations(t: I18n, text: string, channel: VolunteerChannel): CsvDeclarations {
  let records: Array<Record<string, string>>;
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    return { error: (e as Error).message };
  }
  const problems: string[] = [];
  const submissions = records.flatMap((r, i) => {
    const d = {
      name: r.name ?? '',
      nameKind: r.nameKind || 'alias',
      orgs: (r.orgs ?? '').split(/[;|,\s]+/).filter(Boolean),
      ...(r.region ? { region: r.region } : {}),
      ...(r.statement ? { statement: r.statement } : {}),
      publish: ['true', 'yes', '1'].includes((r.publish ?? '').toLowerCase()),
    };
    try {
      return [parseSubmission({ language: t.locale, declarants: [d] }, channel)];
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.push(t.m['volunteer.rejected'](i + 2, e.message));
      return [];
    }
  });
  return { submissions, problems };
}
