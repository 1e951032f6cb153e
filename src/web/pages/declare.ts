// The declaration form. It works without JavaScript: "add a family member" and "remove" submit the
// form, which comes back with one row more or less, everything typed kept, scrolled to the person
// concerned (the button's formaction ends in #person-N). Errors stand next to their field, and a
// summary at the top links to each (the GOV.UK pattern). Rows left empty are ignored. Each
// rendered form carries a fresh random submission key: sending the same form again (a reload, a
// double click, the back button) answers the same receipts and adds nothing.
import { randomBytes } from 'node:crypto';
import { MAX_DECLARANTS, MAX_NAME, ORGS } from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { regionGroups, regionName } from '../regions-names.ts';

export interface DeclarantForm {
  name: string;
  /** Empty until the person chooses: neither is preselected. */
  nameKind: 'real' | 'alias' | '';
  orgs: string[];
  region: string;
  statement: string;
  publish: boolean;
}

export function emptyDeclarant(): DeclarantForm {
  return { name: '', nameKind: '', orgs: [], region: '', statement: '', publish: false };
}

/** Whether a row was left as it came: such rows are dropped, not refused. */
export function isEmptyRow(d: DeclarantForm): boolean {
  return (
    d.name.trim() === '' &&
    d.nameKind === '' &&
    d.orgs.length === 0 &&
    d.region === '' &&
    d.statement.trim() === '' &&
    !d.publish
  );
}

// A submission key: when the form was made (seconds, base 36) and 16 random bytes. The time lets a
// form older than the server remembers keys be told apart from a new one (see FORM_KEY_SECONDS).
const KEY_FORMAT = /^k1\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

/** How long a form's key is honoured: the server keeps what it needs to answer it again this long. */
export const FORM_KEY_SECONDS = 24 * 3600;

export function newFormKey(now: number = Date.now()): string {
  return `k1.${Math.floor(now / 1000).toString(36)}.${randomBytes(16).toString('base64url')}`;
}

/** The time (seconds) a key was made, or undefined when it is not a key this site makes. */
export function formKeyTime(key: string): number | undefined {
  const m = KEY_FORMAT.exec(key);
  return m ? Number.parseInt(m[1] as string, 36) : undefined;
}

export type FormAction =
  | { readonly kind: 'declare' }
  | { readonly kind: 'add' }
  | { readonly kind: 'remove'; readonly row: number };

export interface FilledForm {
  rows: DeclarantForm[];
  action: FormAction;
  /** The form's submission key (empty when the form had none). */
  key: string;
  honeypot: string;
  ticket: string;
  altcha: string;
}

/** The form's fields, read from an urlencoded body: `d0.name`, `d0.orgs`, … and `rows`. */
export function readForm(body: URLSearchParams): FilledForm {
  const count = Math.min(
    MAX_DECLARANTS,
    Math.max(1, Number.parseInt(body.get('rows') ?? '1', 10) || 1),
  );
  const rows: DeclarantForm[] = [];
  for (let i = 0; i < count; i++) {
    const kind = body.get(`d${i}.nameKind`);
    rows.push({
      name: body.get(`d${i}.name`) ?? '',
      nameKind: kind === 'alias' || kind === 'real' ? kind : '',
      orgs: body.getAll(`d${i}.orgs`),
      region: body.get(`d${i}.region`) ?? '',
      statement: body.get(`d${i}.statement`) ?? '',
      publish: body.get(`d${i}.publish`) === 'yes',
    });
  }
  const a = body.get('action') ?? 'declare';
  const remove = /^remove-(\d+)$/.exec(a);
  const action: FormAction =
    a === 'add'
      ? { kind: 'add' }
      : remove
        ? { kind: 'remove', row: Number(remove[1]) }
        : { kind: 'declare' };
  return {
    rows,
    action,
    key: body.get('key') ?? '',
    honeypot: body.get('website') ?? '',
    ticket: body.get('ticket') ?? '',
    altcha: body.get('altcha') ?? '',
  };
}

/** The rows to declare: those left empty are dropped (one stays, for its errors, if all are). */
export function filledRows(rows: readonly DeclarantForm[]): DeclarantForm[] {
  const filled = rows.filter((d) => !isEmptyRow(d));
  return filled.length > 0 ? filled : rows.slice(0, 1);
}

/** Error messages by field name (`d0.name`), already in the page's language. */
export type FieldErrors = Record<string, string>;

const FIELDS = ['name', 'nameKind', 'orgs', 'region', 'statement', 'publish'] as const;

/** The id a field's error links to: the field itself, or the first choice of a group. */
function fieldId(i: number, field: string): string {
  if (field === 'orgs') return `d${i}.orgs-${ORGS[0]}`;
  if (field === 'nameKind') return `d${i}.nameKind-real`;
  return `d${i}.${field}`;
}

/** The GOV.UK error summary: a heading and a link to each field with a problem, in form order. */
export function errorSummary(t: I18n, errors: FieldErrors, rows: number): Html {
  const links: Html[] = [];
  for (let i = 0; i < rows; i++)
    for (const field of FIELDS) {
      const e = errors[`d${i}.${field}`];
      if (e)
        links.push(
          html`<li><a href="#${fieldId(i, field)}">${t.m['form.errorAt'](i + 1, e)}</a></li>`,
        );
    }
  if (links.length === 0) return html``;
  return html`<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${t.m['form.errorTitle']}</h2>
<ul>${links}</ul>
</div>`;
}

export interface RowOptions {
  /** The volunteers' form: the consent is the caller's, asked by the volunteer. */
  readonly volunteer?: boolean;
  /** The form's own address, for the formaction of "remove" (which scrolls back to a person). */
  readonly action: string;
  /** How many rows the form has: "remove" is offered when there are several. */
  readonly count: number;
}

/**
 * The region choices in the page's language: the mainland in one group, Taiwan, Hong Kong and
 * Macau in a group of their own, then "overseas or other".
 */
function regionOptions(t: I18n, selected: string): Html {
  const { mainland, apart, other } = regionGroups(t.locale);
  const option = (c: string) =>
    html`<option value="${c}"${selected === c ? html` selected` : ''}>${regionName(c, t.locale)}</option>`;
  return html`<optgroup label="${t.m['region.mainland']}">${mainland.map(option)}</optgroup><optgroup label="${t.m['region.apart']}">${apart.map(option)}</optgroup>${option(other)}`;
}

/** One declarant's fieldset; shared by the public form and the volunteers' form. */
export function declarantRow(
  t: I18n,
  d: DeclarantForm,
  i: number,
  errors: FieldErrors,
  opts: RowOptions,
): Html {
  const { m } = t;
  const f = (name: string) => `d${i}.${name}`;
  const err = (name: string) => {
    const e = errors[f(name)];
    return e ? html`<p class="error" id="${f(name)}-error">${e}</p>` : '';
  };
  const described = (name: string) =>
    errors[f(name)] ? html` aria-describedby="${f(name)}-error" aria-invalid="true"` : '';
  const checked = (on: boolean) => (on ? html` checked` : '');
  // The browser counts UTF-16 units, the server characters: a name the field takes is never too
  // long for the server (a rare character beyond the BMP counts twice here).
  return html`<fieldset class="person" id="person-${i + 1}">
<legend>${m['declare.person'](i + 1)}</legend>
<label for="${f('name')}">${m['declare.name']}</label>
<input type="text" id="${f('name')}" name="${f('name')}" value="${d.name}" maxlength="${MAX_NAME}" autocomplete="off"${described('name')}>
${err('name')}
<fieldset class="choices"${described('nameKind')}><legend>${m['declare.nameKind']}</legend>
<label><input type="radio" id="${f('nameKind')}-real" name="${f('nameKind')}" value="real"${checked(d.nameKind === 'real')}> ${m['declare.real']}</label>
<label><input type="radio" id="${f('nameKind')}-alias" name="${f('nameKind')}" value="alias"${checked(d.nameKind === 'alias')}> ${m['declare.alias']}</label>
${err('nameKind')}
</fieldset>
<fieldset class="choices"${described('orgs')}><legend>${m['declare.orgs']}</legend>
${ORGS.map((o) => html`<label><input type="checkbox" id="${f('orgs')}-${o}" name="${f('orgs')}" value="${o}"${checked(d.orgs.includes(o))}> ${m[`org.${o}`]}</label>`)}
${err('orgs')}
</fieldset>
<label for="${f('region')}">${m['form.region']}</label>
<select id="${f('region')}" name="${f('region')}"${described('region')}><option value="">${m['region.none']}</option>${regionOptions(t, d.region)}</select>
${err('region')}
<label for="${f('statement')}">${m['declare.statement']}</label>
<textarea id="${f('statement')}" name="${f('statement')}" rows="4"${described('statement')}>${d.statement}</textarea>
${err('statement')}
<label class="check" for="${f('publish')}"><input type="checkbox" id="${f('publish')}" name="${f('publish')}" value="yes"${checked(d.publish)}> ${opts.volunteer ? m['form.publishCaller'] : m['form.publishPerson']}</label>
${opts.count > 1 ? html`<p class="remove"><button type="submit" class="secondary" name="action" value="remove-${i}" formaction="${opts.action}#person-${Math.max(1, i)}">${m['form.remove'](i + 1)}</button></p>` : ''}
</fieldset>`;
}

/** The rows of a form, "add a family member", and the hidden fields that keep it one form. */
export function familyFields(
  t: I18n,
  rows: readonly DeclarantForm[],
  errors: FieldErrors,
  opts: { action: string; key: string; volunteer?: boolean },
): Html {
  const row = { action: opts.action, count: rows.length, volunteer: opts.volunteer ?? false };
  return html`<input type="hidden" name="rows" value="${rows.length}">
<input type="hidden" name="key" value="${opts.key}">
${rows.map((d, i) => declarantRow(t, d, i, errors, row))}
${rows.length < MAX_DECLARANTS ? html`<p class="add"><button type="submit" name="action" value="add" class="secondary" formaction="${opts.action}#person-${rows.length + 1}">${t.m['declare.add']}</button></p>` : ''}`;
}

/** The anti-flood fields of the form: a ticket for browsers without JavaScript, a challenge for those with it. */
export interface FormGuard {
  readonly ticket: string;
}

export function declarePage(
  t: I18n,
  rows: readonly DeclarantForm[],
  errors: FieldErrors = {},
  notice?: string,
  guard?: FormGuard,
  key: string = newFormKey(),
): Page {
  const { m } = t;
  const action = t.path('/declare');
  return {
    title: m['title.form'],
    neutralTitle: true,
    exit: true,
    path: '/declare',
    script: 'declare',
    cache: 'private, no-cache',
    body: html`<h1>${m['declare.title']}</h1>
${errorSummary(t, errors, rows.length)}
${notice ? html`<p class="notice" role="alert">${notice}</p>` : ''}
<p>${m['declare.intro']}</p>
<p class="privacy">${m['declare.privacy']}</p>
<form method="post" action="${action}" accept-charset="utf-8" novalidate data-person="${m['declare.person'](-1).replace('-1', '{n}')}" data-remove="${m['form.remove'](-1).replace('-1', '{n}')}" data-max="${MAX_DECLARANTS}"${guard ? html` data-challenge="/api/v1/challenge" data-working="${m['declare.working']}"` : ''}>
${guard ? html`<input type="hidden" name="ticket" value="${guard.ticket}"><input type="hidden" name="altcha" value="">` : ''}
<div class="hp" aria-hidden="true"><label for="website">${m['declare.honeypot']}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
${familyFields(t, rows, errors, { action, key })}
<p><button type="submit" name="action" value="declare">${m['declare.submit']}</button></p>
</form>`,
  };
}
