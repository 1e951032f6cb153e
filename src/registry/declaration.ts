// A submission as people send it, validated into something the sequencer can log. The input is
// attacker-controlled JSON: every field is checked, unknown fields are refused, and each problem is
// reported with the field it concerns, in words a person understands.

import { TuidangError } from '../errors/index.ts';
import type { NameKind } from './commitment.ts';
import { CHANNELS, type Channel, ORGS, type Org } from './entry.ts';
import { parseRegion, type Region } from './regions.ts';
import { MAX_MARKS, textProblem } from './text.ts';

export const LANGUAGES = ['zh-Hans', 'zh-Hant', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const MAX_DECLARANTS = 50;
export const MAX_NAME = 64;
export const MAX_STATEMENT = 2000;

export interface Declarant {
  readonly name: string;
  readonly nameKind: NameKind;
  readonly orgs: readonly Org[];
  readonly region?: Region | undefined;
  readonly statement?: string | undefined;
  readonly publish: boolean;
}

export interface Submission {
  readonly language: Language;
  readonly channel: Channel;
  readonly declarants: readonly Declarant[];
}

export interface FieldProblem {
  /** JSON pointer of the field, e.g. `/declarants/0/name`. */
  readonly pointer: string;
  readonly detail: string;
  /** What kind of problem, for messages in other languages (default `invalid`). */
  readonly code?: ProblemCode;
  /** For `too-long` and `too-many`: the limit. */
  readonly max?: number;
}

export type ProblemCode =
  | 'required'
  | 'too-long'
  | 'control'
  | 'choose-org'
  | 'too-many'
  | 'marks'
  | 'no-letter'
  | 'invalid';

export class ValidationError extends TuidangError<'invalid-submission'> {
  override name = 'ValidationError';
  readonly problems: readonly FieldProblem[];
  constructor(problems: FieldProblem[]) {
    super('invalid-submission', problems.map((p) => `${p.pointer || '/'}: ${p.detail}`).join('; '));
    this.problems = problems;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownFields(
  o: Record<string, unknown>,
  allowed: readonly string[],
  at: string,
  problems: FieldProblem[],
): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) problems.push({ pointer: `${at}/${k}`, detail: 'unknown field' });
}

function text(
  v: unknown,
  at: string,
  max: number,
  required: boolean,
  problems: FieldProblem[],
  what: string,
): string | undefined {
  if (v === undefined || v === null || v === '') {
    if (required) problems.push({ pointer: at, detail: `${what} is required`, code: 'required' });
    return undefined;
  }
  if (typeof v !== 'string') {
    problems.push({ pointer: at, detail: `${what} must be text` });
    return undefined;
  }
  const s = v.normalize('NFC');
  const length = [...s].length;
  const problem = s.isWellFormed()
    ? textProblem(s, what === 'name' ? 'name' : 'statement')
    : 'characters';
  if (problem === 'characters')
    problems.push({
      pointer: at,
      detail: `${what} contains characters that cannot be shown or used (control, invisible or private-use characters)`,
      code: 'control',
    });
  else if (s.trim() === '' && required)
    problems.push({ pointer: at, detail: `${what} is required`, code: 'required' });
  else if (problem === 'marks')
    problems.push({
      pointer: at,
      detail: `${what} stacks more than ${MAX_MARKS} accents or marks on one character`,
      code: 'marks',
      max: MAX_MARKS,
    });
  else if (problem === 'letter')
    problems.push({
      pointer: at,
      detail: `${what} must contain at least one letter or character`,
      code: 'no-letter',
    });
  else if (length > max)
    problems.push({
      pointer: at,
      detail: `${what} is ${length} characters long; at most ${max} are allowed`,
      code: 'too-long',
      max,
    });
  else return s;
  return undefined;
}

function declarant(v: unknown, at: string, problems: FieldProblem[]): Declarant | undefined {
  if (!isObject(v)) {
    problems.push({ pointer: at, detail: 'each declarant must be an object' });
    return undefined;
  }
  const before = problems.length;
  unknownFields(v, ['name', 'nameKind', 'orgs', 'region', 'statement', 'publish'], at, problems);
  const name = text(v.name, `${at}/name`, MAX_NAME, true, problems, 'name');
  const statement = text(
    v.statement,
    `${at}/statement`,
    MAX_STATEMENT,
    false,
    problems,
    'statement',
  );
  if (v.nameKind !== 'real' && v.nameKind !== 'alias')
    problems.push({ pointer: `${at}/nameKind`, detail: 'nameKind must be "real" or "alias"' });
  const orgs: Org[] = [];
  if (!Array.isArray(v.orgs) || v.orgs.length === 0) {
    problems.push({
      pointer: `${at}/orgs`,
      detail: 'choose at least one organisation: party, league or pioneers',
      code: 'choose-org',
    });
  } else {
    for (const [i, o] of v.orgs.entries()) {
      if (!ORGS.includes(o))
        problems.push({
          pointer: `${at}/orgs/${i}`,
          detail: 'organisation must be party, league or pioneers',
        });
      else if (orgs.includes(o))
        problems.push({ pointer: `${at}/orgs/${i}`, detail: 'organisation listed twice' });
      else orgs.push(o);
    }
  }
  let region: Region | undefined;
  if (v.region !== undefined && v.region !== null && v.region !== '') {
    region = typeof v.region === 'string' ? parseRegion(v.region) : undefined;
    if (region === undefined)
      problems.push({
        pointer: `${at}/region`,
        detail: 'region must be a province-level division code such as CN-GD',
      });
  }
  if (v.publish !== undefined && typeof v.publish !== 'boolean')
    problems.push({ pointer: `${at}/publish`, detail: 'publish must be true or false' });
  if (problems.length > before || name === undefined) return undefined;
  // Canonical order, so that the same declaration always encodes the same way.
  orgs.sort((a, b) => ORGS.indexOf(a) - ORGS.indexOf(b));
  return {
    name,
    nameKind: v.nameKind as NameKind,
    orgs,
    region,
    statement,
    publish: v.publish === true,
  };
}

/** Validates a submission; throws {@link ValidationError} listing every problem found. */
export function parseSubmission(body: unknown, channel: Channel = 'web'): Submission {
  const problems: FieldProblem[] = [];
  if (!isObject(body))
    throw new ValidationError([
      { pointer: '', detail: 'the body must be a JSON object with language and declarants' },
    ]);
  unknownFields(body, ['language', 'declarants'], '', problems);
  // Language tags are case-insensitive (BCP 47): zh-hans, the site's own URL spelling, is zh-Hans.
  const language = LANGUAGES.find(
    (l) => typeof body.language === 'string' && l.toLowerCase() === body.language.toLowerCase(),
  );
  if (language === undefined)
    problems.push({ pointer: '/language', detail: 'language must be zh-Hans, zh-Hant or en' });
  if (!CHANNELS.includes(channel))
    problems.push({ pointer: '/channel', detail: 'unknown channel' });
  const list = body.declarants;
  const declarants: Declarant[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    problems.push({
      pointer: '/declarants',
      detail: 'at least one declarant is required',
      code: 'required',
    });
  } else if (list.length > MAX_DECLARANTS) {
    problems.push({
      pointer: '/declarants',
      detail: `at most ${MAX_DECLARANTS} declarants may declare together`,
      code: 'too-many',
      max: MAX_DECLARANTS,
    });
  } else {
    list.forEach((d, i) => {
      const parsed = declarant(d, `/declarants/${i}`, problems);
      if (parsed) declarants.push(parsed);
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { language: language as Language, channel, declarants };
}
