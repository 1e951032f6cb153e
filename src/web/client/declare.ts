// The declaration form's script: "add a family member" adds a row in place instead of sending the
// form back and forth. Without it, the server adds the row (the same button submits the form).
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
