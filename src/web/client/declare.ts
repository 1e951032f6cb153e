// The declaration form's script: "add a family member" adds a row in place instead of sending the
// form back and forth (without it, the server adds the row: the same button submits the form); and
// before declaring, it solves the proof-of-work challenge (without it, the form's ticket stands in).
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';

const form = document.querySelector<HTMLFormElement>('form[data-person]');
const rows = form?.querySelector<HTMLInputElement>('input[name="rows"]');
form?.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('button[name="action"][value="add"]');
  if (!button || !rows) return;
  const sets = form.querySelectorAll<HTMLFieldSetElement>(':scope > fieldset');
  const last = sets[sets.length - 1];
  if (!last) return;
  event.preventDefault();
  const n = sets.length;
  const copy = last.cloneNode(true) as HTMLFieldSetElement;
  const rename = (v: string | null) => v?.replace(/^d\d+\./, `d${n}.`) ?? null;
  for (const el of copy.querySelectorAll<HTMLElement>('[name], [id], [for], [aria-describedby]')) {
    for (const attr of ['name', 'id', 'for', 'aria-describedby']) {
      const v = el.getAttribute(attr);
      if (v !== null) el.setAttribute(attr, rename(v) as string);
    }
  }
  for (const e of copy.querySelectorAll('.error')) e.remove();
  for (const el of copy.querySelectorAll<
    HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement
  >('input, textarea, select')) {
    el.removeAttribute('aria-invalid');
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio'))
      el.checked = el.type === 'radio' && el.value === 'real';
    else el.value = '';
  }
  const legend = copy.querySelector('legend');
  if (legend) legend.textContent = (form.dataset.person ?? '{n}').replace('{n}', String(n + 1));
  last.after(copy);
  rows.value = String(n + 1);
  copy.querySelector<HTMLInputElement>('input[type="text"]')?.focus();
  if (n + 1 >= Number(form.dataset.max ?? 50)) button.closest('p')?.remove();
});

let solved = false;
form?.addEventListener('submit', (event) => {
  const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
  const altcha = form.querySelector<HTMLInputElement>('input[name="altcha"]');
  if (solved || !form.dataset.challenge || !altcha || submitter?.value !== 'declare') return;
  event.preventDefault();
  if (submitter) {
    submitter.disabled = true;
    submitter.textContent = form.dataset.working ?? '…';
  }
  void (async () => {
    try {
      const challenge = await (await fetch(form.dataset.challenge as string)).json();
      const solution = await solveChallenge({ challenge, deriveKey });
      if (solution) altcha.value = btoa(JSON.stringify({ challenge, solution }));
    } catch {
      // Without a solution the form's ticket still stands in, as without JavaScript.
    }
    solved = true;
    const action = document.createElement('input');
    action.type = 'hidden';
    action.name = 'action';
    action.value = 'declare';
    form.append(action);
    form.submit();
  })();
});
