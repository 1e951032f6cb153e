// A historical record to import: one declarant with the day they declared. Records come from old
// files, attacker-controlled or just messy: each problem is reported with a reason, never skipped.

import { TuidangError } from '../errors/index.ts';
import { MAX_NAME, MAX_STATEMENT } from './declaration.ts';
import { dayNumber, EntryFormatError, FIRST_DAY, ORGS, type Org } from './entry.ts';
import { parseRegion, type Region } from './regions.ts';
import { MAX_MARKS, textProblem } from './text.ts';

export interface ImportRecord {
  readonly day: string;
  readonly orgs: readonly Org[];
  readonly region?: Region | undefined;
  readonly name?: string | undefined;
  readonly nameKind: 'real' | 'alias';
  readonly statement?: string | undefined;
  readonly publish: boolean;
}

export class RecordError extends TuidangError<'invalid-record'> {
  override name = 'RecordError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-record', message, options);
  }
}

const FIELDS = ['day', 'orgs', 'region', 'name', 'nameKind', 'statement', 'publish'];

/** A name or statement, held to the rules of the declaration form (src/registry/text.ts). */
function text(v: unknown, field: 'name' | 'statement', max: number): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new RecordError(`${field} must be text`);
  const s = v.normalize('NFC').trim();
  if (s === '') return undefined;
  const problem = s.isWellFormed() ? textProblem(s, field) : 'characters';
  if (problem === 'characters')
    throw new RecordError(
      `${field} contains characters that cannot be shown or used (control, invisible or private-use characters)`,
    );
  if (problem === 'marks')
    throw new RecordError(
      `${field} stacks more than ${MAX_MARKS} accents or marks on one character`,
    );
  if (problem === 'letter')
    throw new RecordError(`${field} must contain at least one letter or character`);
  if ([...s].length > max) throw new RecordError(`${field} is longer than ${max} characters`);
  return s;
}

/**
 * Validates one record (a parsed NDJSON object, or a CSV row as strings). `today` bounds the day.
 * Orgs may be an array or text separated by `;`, `|`, `,` or spaces.
 */
export function parseImportRecord(raw: unknown, today: string): ImportRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RecordError('not an object');
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) throw new RecordError(`unknown field ${unknown.join(', ')}`);
  if (typeof r.day !== 'string') throw new RecordError('day is required (YYYY-MM-DD)');
  try {
    dayNumber(r.day);
  } catch (e) {
    throw new RecordError(e instanceof EntryFormatError ? e.message : 'day is not a date');
  }
  if (r.day < FIRST_DAY || r.day > today)
    throw new RecordError(`day ${r.day} is outside ${FIRST_DAY} … ${today}`);
  const list = Array.isArray(r.orgs)
    ? r.orgs
    : typeof r.orgs === 'string'
      ? r.orgs.split(/[;|,\s]+/).filter(Boolean)
      : [];
  if (list.length === 0) throw new RecordError('orgs is required: party, league and/or pioneers');
  const orgs = [...new Set(list)].map((o) => {
    if (typeof o !== 'string' || !ORGS.includes(o as Org))
      throw new RecordError(`unknown organisation ${JSON.stringify(o)}`);
    return o as Org;
  });
  orgs.sort((a, b) => ORGS.indexOf(a) - ORGS.indexOf(b));
  let region: Region | undefined;
  if (r.region !== undefined && r.region !== null && r.region !== '') {
    region = typeof r.region === 'string' ? parseRegion(r.region) : undefined;
    if (region === undefined) throw new RecordError(`unknown region ${JSON.stringify(r.region)}`);
  }
  const nameKind = r.nameKind ?? 'alias';
  if (nameKind !== 'real' && nameKind !== 'alias' && nameKind !== '')
    throw new RecordError('nameKind must be real or alias');
  const publish =
    r.publish === true || r.publish === 'true' || r.publish === '1' || r.publish === 'yes';
  if (
    r.publish !== undefined &&
    r.publish !== '' &&
    !publish &&
    r.publish !== false &&
    r.publish !== 'false' &&
    r.publish !== '0' &&
    r.publish !== 'no'
  ) {
    throw new RecordError('publish must be true or false');
  }
  return {
    day: r.day,
    orgs,
    region,
    name: text(r.name, 'name', MAX_NAME),
    nameKind: nameKind === 'real' ? 'real' : 'alias',
    statement: text(r.statement, 'statement', MAX_STATEMENT),
    publish,
  };
}
