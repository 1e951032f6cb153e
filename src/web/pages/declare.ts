// The declaration form. It works without JavaScript: "add a family member" submits the form,
// which comes back with one more row and everything typed kept. Errors stand next to their field.
import { MAX_DECLARANTS, MAX_NAME, ORGS, REGIONS } from '../../registry/index.ts';
import { type Html, html } from '../html.ts';
import type { I18n } from '../i18n.ts';
import type { Page } from '../layout.ts';
import { regionName } from '../regions-names.ts';

export interface DeclarantForm {
  name: string;
  nameKind: 'real' | 'alias';
  orgs: string[];
  region: string;
  statement: string;
  publish: boolean;
}

export function emptyDeclarant(): DeclarantForm {
  return { name: '', nameKind: 'real', orgs: [], region: '', statement: '', publish: false };
}

/** The form's fields, read from an urlencoded body: `d0.name`, `d0.orgs`, … and `rows`. */
export function readForm(body: URLSearchParams): {
  rows: DeclarantForm[];
  action: string;
  language: string;
  honeypot: string;
  ticket: string;
  altcha: string;
} {
  const count = Math.min(
    MAX_DECLARANTS,
    Math.max(1, Number.parseInt(body.get('rows') ?? '1', 10) || 1),
  );
  const rows: DeclarantForm[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      name: body.get(`d${i}.name`) ?? '',
      nameKind: body.get(`d${i}.nameKind`) === 'alias' ? 'alias' : 'real',
      orgs: body.getAll(`d${i}.orgs`),
      region: body.get(`d${i}.region`) ?? '',
      statement: body.get(`d${i}.statement`) ?? '',
      publish: body.get(`d${i}.publish`) === 'yes',
    });
  }
  return {
    rows,
    action: body.get('action') ?? 'declare',
    language: body.get('language') ?? '',
    honeypot: body.get('website') ?? '',
    ticket: body.get('ticket') ?? '',
    altcha: body.get('altcha') ?? '',
  };
}

/** Error messages by field name (`d0.name`), already in the page's language. */
export type FieldErrors = Record<string, string>;

/** One declarant's fieldset; shared by the public form and the volunteers' form. */
export function declarantRow(t: I18n, d: DeclarantForm, i: number, errors: FieldErrors): Html {
  const { m } = t;
  const f = (name: string) => `d${i}.${name}`;
  const err = (name: string) => {
    const e = errors[f(name)];
    return e ? html`<p class="error" id="${f(name)}-error">${e}</p>` : '';
  };
  const described = (name: string) =>
    errors[f(name)] ? html` aria-describedby="${f(name)}-error" aria-invalid="true"` : '';
  return html`<fieldset>
<legend>${m['declare.person'](i + 1)}</legend>
<label for="${f('name')}">${m['declare.name']}</label>
<input type="text" id="${f('name')}" name="${f('name')}" value="${d.name}" maxlength="${MAX_NAME * 2}" autocomplete="off"${described('name')}>
${err('name')}
<fieldset class="choices"><legend>${m['declare.nameKind']}</legend>
<label><input type="radio" name="${f('nameKind')}" value="real"${d.nameKind === 'real' ? html` checked` : ''}> ${m['declare.real']}</label>
<label><input type="radio" name="${f('nameKind')}" value="alias"${d.nameKind === 'alias' ? html` checked` : ''}> ${m['declare.alias']}</label>
</fieldset>
<fieldset class="choices"${described('orgs')}><legend>${m['declare.orgs']}</legend>
${ORGS.map((o) => html`<label><input type="checkbox" name="${f('orgs')}" value="${o}"${d.orgs.includes(o) ? html` checked` : ''}> ${m[`org.${o}`]}</label>`)}
${err('orgs')}
</fieldset>
<label for="${f('region')}">${m['declare.region']}</label>
<select id="${f('region')}" name="${f('region')}"${described('region')}><option value="">${m['region.none']}</option>${REGIONS.map(([c]) => html`<option value="${c}"${d.region === c ? html` selected` : ''}>${regionName(c, t.locale)}</option>`)}</select>
${err('region')}
<label for="${f('statement')}">${m['declare.statement']}</label>
<textarea id="${f('statement')}" name="${f('statement')}" rows="4"${described('statement')}>${d.statement}</textarea>
${err('statement')}
<label class="check"><input type="checkbox" name="${f('publish')}" value="yes"${d.publish ? html` checked` : ''}> ${m['declare.publish']}</label>
</fieldset>`;
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
): Page {
  const { m } = t;
  return {
    title: m['declare.title'],
    path: '/declare',
    script: 'declare',
    body: html`<h1>${m['declare.title']}</h1>
<p>${m['declare.intro']}</p>
<p class="privacy">${m['declare.privacy']}</p>
${notice ? html`<p class="notice" role="alert">${notice}</p>` : ''}
<form method="post" action="${t.path('/declare')}" accept-charset="utf-8" novalidate data-person="${m['declare.person'](-1).replace('-1', '{n}')}" data-max="${MAX_DECLARANTS}"${guard ? html` data-challenge="/api/v1/challenge" data-working="${m['declare.working']}"` : ''}>
<input type="hidden" name="rows" value="${rows.length}">
${guard ? html`<input type="hidden" name="ticket" value="${guard.ticket}"><input type="hidden" name="altcha" value="">` : ''}
<div class="hp" aria-hidden="true"><label for="website">${m['declare.honeypot']}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
${guard ? html`<input type="hidden" name="ticket" value="${guard.ticket}"><input type="hidden" name="altcha" value="">` : ''}
<div class="hp" aria-hidden="true"><label for="website">${m['declare.honeypot']}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
${rows.map((d, i) => declarantRow(t, d, i, errors))}
${rows.length < MAX_DECLARANTS ? html`<p><button type="submit" name="action" value="add" class="secondary">${m['declare.add']}</button></p>` : ''}
<p><button type="submit" name="action" value="declare">${m['declare.submit']}</button></p>
</form>`,
  };
}
