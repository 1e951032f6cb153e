// The declaration form's script: "add a family member" and "remove" change the rows in place
// instead of sending the form back and forth (without it, the server does the same: the buttons
// submit the form); before declaring, it solves the proof-of-work challenge, a memory-hard scrypt
// puzzle (scrypt-key.ts; without it, the form's ticket stands in), and it sends the form once
// however often the button is pressed.
import { solveChallenge } from 'altcha-lib';
import './exit.ts';
import { deriveKey } from './scrypt-key.ts';

const form = document.querySelector<HTMLFormElement>('form[data-person]');
const rows = form?.querySelector<HTMLInputElement>('input[name="rows"]');

const people = (f: HTMLFormElement) => [
  ...f.querySelectorAll<HTMLFieldSetElement>(':scope > fieldset.person'),
];

/** Gives row `n` (from 0) its number in every name, id, label, legend and button. */
function renumber(f: HTMLFormElement, set: HTMLFieldSetElement, n: number, count: number): void {
  const rename = (v: string) => v.replace(/^d\d+\./, `d${n}.`);
  for (const el of set.querySelectorAll<HTMLElement>('[name], [id], [for], [aria-describedby]')) {
    for (const attr of ['name', 'id', 'for', 'aria-describedby']) {
      const v = el.getAttribute(attr);
      if (v !== null) el.setAttribute(attr, rename(v));
    }
  }
  set.id = `person-${n + 1}`;
  const legend = set.querySelector(':scope > legend');
  if (legend) legend.textContent = (f.dataset.person ?? '{n}').replace('{n}', String(n + 1));
  let remove = set.querySelector<HTMLButtonElement>('button[value^="remove-"]');
  if (count > 1 && !remove) {
    remove = document.createElement('button');
    remove.type = 'submit';
    remove.name = 'action';
    remove.className = 'secondary';
    const p = document.createElement('p');
    p.className = 'remove';
    p.append(remove);
    set.append(p);
  }
  if (count <= 1) remove?.closest('p')?.remove();
  else if (remove) {
    remove.value = `remove-${n}`;
    remove.textContent = (f.dataset.remove ?? '{n}').replace('{n}', String(n + 1));
  }
}

function renumberAll(f: HTMLFormElement): void {
  const sets = people(f);
  sets.forEach((set, n) => {
    renumber(f, set, n, sets.length);
  });
  if (rows) rows.value = String(sets.length);
  const add = f.querySelector<HTMLElement>('p.add');
  if (add) add.hidden = sets.length >= Number(f.dataset.max ?? 50);
}

function addPerson(f: HTMLFormElement): void {
  const sets = people(f);
  const last = sets[sets.length - 1];
  if (!last) return;
  const copy = last.cloneNode(true) as HTMLFieldSetElement;
  for (const e of copy.querySelectorAll('.error')) e.remove();
  for (const el of copy.querySelectorAll<
    HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement
  >('input, textarea, select')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio'))
      el.checked = false;
    else el.value = '';
  }
  last.after(copy);
  renumberAll(f);
  copy.querySelector<HTMLInputElement>('input[type="text"]')?.focus();
}

function removePerson(f: HTMLFormElement, set: HTMLFieldSetElement): void {
  const sets = people(f);
  if (sets.length <= 1) return;
  const at = sets.indexOf(set);
  set.remove();
  renumberAll(f);
  const focus = people(f)[Math.max(0, at - 1)];
  focus?.querySelector<HTMLInputElement>('input[type="text"]')?.focus();
}

form?.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[name="action"]');
  if (!button || !rows) return;
  if (button.value === 'add') {
    event.preventDefault();
    addPerson(form);
  } else if (button.value.startsWith('remove-')) {
    const set = button.closest<HTMLFieldSetElement>('fieldset.person');
    if (!set) return;
    event.preventDefault();
    removePerson(form, set);
  }
});

// The back button may bring the form back as a new page, with a new submission key. The key of the
// form last sent is kept for the tab (sessionStorage: the key only, nothing typed), and a form
// reached by going back takes it again: sending the same declaration again then answers the same
// receipts, and a different one is told that this form was already sent.
const KEY = 'tuidang.declare.key';
const keyField = form?.querySelector<HTMLInputElement>('input[name="key"]');
const navigation = performance.getEntriesByType('navigation')[0] as
  | PerformanceNavigationTiming
  | undefined;
const sentKey = sessionStorage.getItem(KEY);
if (keyField && sentKey && navigation?.type === 'back_forward') keyField.value = sentKey;

let sent = false;
form?.addEventListener('submit', (event) => {
  const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
  if (submitter?.value !== 'declare') return;
  // A second press sends nothing more (and the form's key would answer the same receipts anyway).
  if (sent) {
    event.preventDefault();
    return;
  }
  sent = true;
  if (keyField) sessionStorage.setItem(KEY, keyField.value);
  const action = document.createElement('input');
  action.type = 'hidden';
  action.name = 'action';
  action.value = 'declare';
  form.append(action);
  submitter.disabled = true;
  const altcha = form.querySelector<HTMLInputElement>('input[name="altcha"]');
  if (!form.dataset.challenge || !altcha) return;
  event.preventDefault();
  submitter.dataset.label = submitter.textContent ?? '';
  submitter.textContent = form.dataset.working ?? '…';
  void (async () => {
    try {
      // The work asked grows with the number of declarants on the form.
      const declarants = Math.max(1, Number(rows?.value ?? 1) || 1);
      const url = `${form.dataset.challenge}?declarants=${declarants}`;
      const challenge = await (await fetch(url)).json();
      const solution = await solveChallenge({ challenge, deriveKey });
      if (solution) altcha.value = btoa(JSON.stringify({ challenge, solution }));
    } catch {
      // Without a solution the form's ticket still stands in, as without JavaScript.
    }
    form.submit();
  })();
});

// Back from the receipt page (the back/forward cache keeps the page as it was): ready again.
window.addEventListener('pageshow', () => {
  sent = false;
  for (const b of form?.querySelectorAll<HTMLButtonElement>('button[value="declare"]') ?? []) {
    b.disabled = false;
    if (b.dataset.label) b.textContent = b.dataset.label;
  }
  for (const a of form?.querySelectorAll('input[type="hidden"][name="action"]') ?? []) a.remove();
});
