// Volunteers declare on behalf of people who reached them by phone, in a centre or in person: the
// declaration form (several people at once), or a CSV file of them. Each rendered form is a batch
// (volunteer-batch.ts): sent again in any way, it records nobody twice and answers the same. Each
// account spends a budget per hour and per 24 hours; each declaration is audited, on the hour.
import { keyIdOf, replayReceipts } from '../../sequencer/index.ts';
import {
  CSV_MAX_BYTES,
  csvResultPage,
  emptyDeclarant,
  formKeyTime,
  html,
  newFormKey,
  type Page,
  type PersonReceipt,
  parseIndex,
  printNav,
  RECEIPTS_PER_PAGE,
  readForm,
  staffMessagePage,
  staffNav,
  volunteerPage,
  volunteerReceiptPage,
} from '../../web/index.ts';
import type { StaffOptions } from './options.ts';
import { type PageResult, rendered } from './page.ts';
import type { StaffContext, StaffPages } from './staff-session.ts';
import { SubmissionKeys, submitForm } from './submit-form.ts';
import { Budgets, DEFAULT_BUDGET, parseDone } from './volunteer-batch.ts';
import { declareCsv } from './volunteer-csv.ts';
import {
  channelOf,
  declared,
  hourNow,
  overBudget,
  recordedRows,
  settle,
  type Volunteering,
} from './volunteering.ts';

/**
 * The largest CSV form: the box (at most CSV_MAX_BYTES, three times that once URL-encoded) and the
 * copy of the rows the form recorded, which grows as large. Read before the session is checked, so
 * bounded as tightly as that allows.
 */
const CSV_FORM_BODY_LIMIT = 8 * CSV_MAX_BYTES;

export function volunteerRoutes(staff: StaffPages, opts: StaffOptions): void {
  const { store, now = Date.now } = opts;
  const v: Volunteering = {
    store,
    sequencer: opts.sequencer,
    now,
    siteUrl: opts.siteUrl ?? (() => ''),
    keys: new SubmissionKeys(store),
    ledger: store.volunteers,
    budgets: new Budgets(
      store.volunteers,
      opts.volunteerBudget ?? DEFAULT_BUDGET,
      opts.logger,
      opts.registry,
    ),
  };
  const limit = { bodyLimit: CSV_FORM_BODY_LIMIT };
  staff.get('/staff/declare', ({ t, session }) =>
    volunteerPage(t, session, undefined, [emptyDeclarant()]),
  );
  staff.post('/staff/declare', declareExpired, (c) => declare(v, c));
  staff.post(
    '/staff/declare-csv',
    (c) => csvExpired(v, c),
    (c) => declareCsv(v, c),
    limit,
  );
  staff.post('/staff/declare-csv/receipts', receiptsExpired, (c) => printReceipts(v, c), limit);
}

function declareExpired({ t, session, form }: StaffContext): Page {
  return volunteerPage(
    t,
    session,
    channelOf(form.get('channel')),
    readForm(form).rows,
    {},
    t.m['staff.expired'],
  );
}

/** POST /staff/declare: the family form, on behalf of the people it names. */
async function declare(v: Volunteering, { t, session, form }: StaffContext): Promise<PageResult> {
  const { sequencer, keys, budgets, ledger } = v;
  const channel = channelOf(form.get('channel'));
  const filled = readForm(form);
  // Adding or removing a person needs no channel yet; declaring does.
  if (channel === undefined && filled.action.kind === 'declare')
    return rendered(
      volunteerPage(
        t,
        session,
        channel,
        filled.rows,
        {},
        t.m['volunteer.channelMissing'],
        formKeyTime(filled.key) === undefined ? newFormKey(v.now()) : filled.key,
      ),
      400,
    );
  const hour = hourNow(v);
  let spent = 0;
  // No proof of work for signed-in staff, but a budget; the same form sent again is answered
  // with the same receipts and spends nothing, as on the public form. Adding or removing a person
  // does not use the channel: only a declaration, refused above without one.
  const via = channel ?? 'volunteer';
  const outcome = await submitForm({ sequencer, keys }, t, filled, via, async (n) => {
    const r = await budgets.spend(session.username, hour, n);
    if (!r.ok) return { notice: overBudget(t, budgets.budget, r), status: 429 };
    spent = n;
    return undefined;
  });
  if (outcome.kind !== 'receipts') {
    await settle(v, session.username, hour, spent, 0);
    const page = volunteerPage(
      t,
      session,
      channel,
      outcome.rows,
      outcome.errors,
      outcome.notice,
      outcome.key,
    );
    return rendered(page, outcome.status, outcome.retryAfter);
  }
  const keyId = keyIdOf(formKeyTime(filled.key) === undefined ? newFormKey() : filled.key);
  const entries = outcome.people.map((p) => p.receipt.index);
  const { added } = await ledger.record(
    keyId,
    { username: session.username, channel: via, language: t.locale, hour },
    [{ id: keyId, entries }],
  );
  await settle(v, session.username, hour, spent, added);
  if (added > 0) await declared(v, session.username, entries);
  return volunteerReceiptPage(t, session, outcome.people, v.siteUrl());
}

function csvExpired(v: Volunteering, { t, session, form }: StaffContext): Page {
  return csvResultPage(t, session, {
    key: form.get('key') || newFormKey(v.now()),
    text: form.get('csv') ?? '',
    channel: channelOf(form.get('channel')),
    notice: t.m['staff.expired'],
  });
}

function receiptsExpired({ t, session }: StaffContext): Page {
  return staffMessagePage(t, session, t.m['volunteer.print'], t.m['staff.expired']);
}

/**
 * POST /staff/declare-csv/receipts: one page of a batch's receipts, from their sealed records: at
 * most RECEIPTS_PER_PAGE receipts are built for one request, whatever the size of the batch.
 * Nothing is ever logged here.
 */
async function printReceipts(
  v: Volunteering,
  { t, session, form }: StaffContext,
): Promise<PageResult> {
  const { ledger, store, now, siteUrl } = v;
  const key = form.get('key') ?? '';
  const none = () =>
    rendered(staffMessagePage(t, session, t.m['volunteer.print'], t.m['volunteers.noBatch']), 404);
  if (formKeyTime(key) === undefined) return none();
  const batch = await ledger.batchByKey(keyIdOf(key));
  if (batch === undefined || batch.username !== session.username) return none();
  // Only this page's rows are checked and rebuilt: a page costs the same in a batch of any size.
  // Rows the batch did not record (a changed copy) are left out, never logged.
  const sent = parseDone(form.get('done'));
  const total = Math.min(sent.length, batch.rows.length);
  if (total === 0) return none();
  const last = Math.ceil(total / RECEIPTS_PER_PAGE) - 1;
  const page = Math.min(parseIndex(form.get('page')) ?? 0, last);
  const slice = recordedRows(
    key,
    batch,
    sent.slice(page * RECEIPTS_PER_PAGE, (page + 1) * RECEIPTS_PER_PAGE),
  );
  if (slice.length === 0) return none();
  const replayed = await Promise.all(
    slice.map((r) =>
      replayReceipts(store, r.key, r.submission, Math.floor(now() / 1000)).catch(() => undefined),
    ),
  );
  const people: PersonReceipt[] = slice.flatMap((r, i) =>
    (replayed[i] ?? []).map((receipt) => ({ name: r.d.name, receipt })),
  );
  const expired = replayed.filter((r) => r === undefined).length;
  const nav = printNav(t, session, {
    key,
    done: form.get('done') ?? '[]',
    page,
    total,
    expired,
  });
  if (people.length === 0) {
    const p = staffMessagePage(t, session, t.m['volunteer.print'], '');
    return { ...p, body: html`${staffNav(t, session, 'declare')}${nav}` };
  }
  return volunteerReceiptPage(t, session, people, siteUrl(), nav);
}
