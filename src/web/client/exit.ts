// "Exit this page" (GOV.UK's pattern): the page is blanked at once and replaced, together with
// its entry in the history, by an everyday site; the back button then does not come back here.
// Without JavaScript the control is a plain link to the same site.
let leaving = false;

/** Whether the visitor is leaving by this control (the receipt page then asks nothing). */
export function exiting(): boolean {
  return leaving;
}

const link = document.querySelector<HTMLAnchorElement>('a.exit-page-link');
link?.addEventListener('click', (e) => {
  e.preventDefault();
  leaving = true;
  document.title = '';
  document.body.replaceChildren();
  window.location.replace(link.href);
});
