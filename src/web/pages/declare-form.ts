// The declaration form as data: the rows a visitor filled become the same JSON submission the API
// takes (validated by src/registry), and validation problems come back as messages by field.
import { TuidangError } from '../../errors/index.ts';
import { ValidationError } from '../../registry/index.ts';
import type { I18n } from '../i18n.ts';
import type { DeclarantForm, FieldErrors } from './declare.ts';

/** The JSON submission a filled form stands for (validated by src/registry like the API's). */
export function toSubmission(rows: readonly DeclarantForm[], language: string): unknown {
  return {
    language,
    declarants: rows.map((d) => ({
      name: d.name,
      nameKind: d.nameKind,
      orgs: d.orgs,
      ...(d.region ? { region: d.region } : {}),
      ...(d.statement.trim() ? { statement: d.statement } : {}),
      publish: d.publish,
    })),
  };
}

/** A validation problem's message in the page's language, keyed by the form field it concerns. */
export function fieldErrors(t: I18n, e: ValidationError): { errors: FieldErrors; notice?: string } {
  const errors: FieldErrors = {};
  let notice: string | undefined;
  for (const p of e.problems) {
    const m = /^\/declarants\/(\d+)\/(\w+)/.exec(p.pointer);
    const text =
      p.code === 'required'
        ? t.m['error.required']
        : p.code === 'too-long'
          ? t.m['error.tooLong'](p.max ?? 0)
          : p.code === 'control'
            ? t.m['error.control']
            : p.code === 'choose-org'
              ? t.m['error.chooseOrg']
              : p.code === 'too-many'
                ? t.m['error.tooMany'](p.max ?? 0)
                : p.code === 'marks'
                  ? t.m['error.marks'](p.max ?? 0)
                  : p.code === 'no-letter'
                    ? t.m['error.noLetter']
                    : t.m['error.invalid'];
    if (m) errors[`d${m[1]}.${m[2]}`] ??= m[2] === 'nameKind' ? t.m['error.chooseNameKind'] : text;
    else notice = text;
  }
  return notice === undefined ? { errors } : { errors, notice };
}

/**
 * What the form says when a declaration failed in a way the visitor can act on: invalid fields, a
 * busy registry, too many declarations from one connection. Undefined for any other failure.
 */
export function formProblem(
  t: I18n,
  e: unknown,
): { errors: FieldErrors; notice: string } | undefined {
  if (e instanceof ValidationError) {
    const { errors, notice } = fieldErrors(t, e);
    return { errors, notice: notice ?? t.m['declare.errors'] };
  }
  if (!(e instanceof TuidangError)) return undefined;
  if (e.code === 'pool-full') return { errors: {}, notice: t.m['declare.busy'] };
  if (e.code === 'rate-limited')
    return { errors: {}, notice: t.m['declare.tooMany'](e.retryAfterSeconds ?? 60) };
  return undefined;
}
