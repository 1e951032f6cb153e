// Volunteers declare on behalf of people who reached them by phone, in a centre or in person: the
// declaration form (several people at once), or a CSV file of them. Each rendered form is a batch
// (volunteer-batch.ts): sent again in any way, it records nobody twice and answers the same. Each
// account spends a budget per hour and per 24 hours; each declaration is audited, on the hour.
import {
  type Declarant,
  parseSubmission,
  type Submission,
  ValidationError,
} from '../../registry/index.ts';
import { keyIdOf, replayReceipts } from '../../sequencer/index.ts';
import type { BudgetCounts, VolunteerBatch, VolunteerBudget } from '../../store/index.ts';
import {
  CSV_MAX_BYTES,
  type CsvForm,
  csvDeclarations,
  csvResultPage,
  declarantOf,
  emptyDeclarant,
  FORM_KEY_SECONDS,
  formKeyTime,
  type Html,
  html,
  type I18n,
  newFormKey,
  type PersonReceipt,
  parseIndex,
  printNav,
  RECEIPTS_PER_PAGE,
  readForm,
  receiptPage,
  staffMessagePage,
  VOLUNTEER_CHANNELS,
  type VolunteerChannel,
  volunteerPage,
} from '../../web/index.ts';
import type { StaffOptions } from './options.ts';
import { rendered } from './page.ts';
import type { StaffPages } from './staff-session.ts';
import { SubmissionKeys, submitForm } from './submit-form.ts';
import {
  Budgets,
  DEFAULT_BUDGET,
  lineRanges,
  parseDone,
  rowKey,
  rowKeys,
} from './volunteer-batch.ts';

/**
 * The largest CSV form: the box (at most CSV_MAX_BYTES, three times that once URL-encoded) and the
 * copy of the rows the form recorded, which grows as large. Read before the session is checked, so
 * bounded as tightly as that allows.
 */
const CSV_FORM_BODY_LIMIT = 8 * CSV_MAX_BYTES;

const channelOf = (v: string | null | undefined): VolunteerChannel =>
  VOLUNTEER_CHANNELS.includes(v as VolunteerChannel) ? (v as VolunteerChannel) : 'phone';

/** The sentence that refuses a declaration over the account's budget. */
export function overBudget(t: I18n, budget: VolunteerBudget, counts: BudgetCounts): string {
  const left = (limit: number, used: number) =>
    limit === 0 ? Infinity : Math.max(0, limit - used);
  const n = Math.min(left(budget.perHour, counts.hour), left(budget.perDay, counts.day));
  const limit = (x: number) => (x === 0 ? '∞' : t.number(x));
  return t.m['volunteer.overBudget'](limit(budget.perHour), limit(budget.perDay), t.number(n));
}

/** A batch's recorded rows that a page sent back, checked against the batch: each with its key. */
function recordedRows(
  formKey: string,
  batch: VolunteerBatch,
  sent: ReturnType<typeof parseDone>,
): Array<{ d: Declarant; n: number; key: string; id: string; submission: Submission }> {
  const recorded = new Set(batch.rows);
  const seen = new Set<string>();
  return sent.flatMap(({ d, n }) => {
    let submission: Submission;
    try {
      submission = parseSubmission(
        { language: batch.language, declarants: [declarantOf(d)] },
        channelOf(batch.channel),
      );
    } catch (e) {
      if (e instanceof ValidationError) return [];
      throw e;
    }
    const declarant = submission.declarants[0] as Declarant;
    const keyed = rowKey(formKey, declarant, n);
    const id = keyIdOf(keyed);
    if (!recorded.has(id) || seen.has(id)) return [];
    seen.add(id);
    return [{ d: declarant, n, key: keyed, id, submission }];
  });
}

export function volunteerRoutes(staff: StaffPages, opts: StaffOptions): void {
  const { store, sequencer, now = Date.now, siteUrl = () => '' } = opts;
  const keys = new SubmissionKeys(store);
  const ledger = store.volunteers;
  const budgets = new Budgets(
    ledger,
    opts.volunteerBudget ?? DEFAULT_BUDGET,
    opts.logger,
    opts.registry,
  );
  // On the hour: the audit log and the counts say who declared which entries, but not the second
  // they were made, which the public log does not show either (docs/timing-privacy.md).
  const hourNow = () => Math.floor(now() / 3_600_000) * 3600;
  const declared = (username: string, indexes: readonly number[]) =>
    store.site.recordAudit({
      at: hourNow(),
      username,
      action: 'declare',
      target: indexes.join(','),
    });
  /** The account's count ends up as what was recorded: a refund, or a count spent late. */
  const settle = async (username: string, hour: number, spent: number, added: number) => {
    if (spent > added) await budgets.refund(username, hour, spent - added);
    else if (added > spent) await ledger.spend(username, hour, added - spent);
  };

  staff.get('/staff/declare', ({ t, session }) =>
    volunteerPage(t, session, 'phone', [emptyDeclarant()]),
  );

  staff.post(
    '/staff/declare',
    ({ t, session, form }) =>
      volunteerPage(
        t,
        session,
        channelOf(form.get('channel')),
        readForm(form).rows,
        {},
        t.m['staff.expired'],
      ),
    async ({ t, session, form }) => {
      const channel = channelOf(form.get('channel'));
      const filled = readForm(form);
      const hour = hourNow();
      let spent = 0;
      // No proof of work for signed-in staff, but a budget; the same form sent again is answered
      // with the same receipts and spends nothing, as on the public form.
      const outcome = await submitForm({ sequencer, keys }, t, filled, channel, async (n) => {
        const r = await budgets.spend(session.username, hour, n);
        if (!r.ok) return { notice: overBudget(t, budgets.budget, r), status: 429 };
        spent = n;
        return undefined;
      });
      if (outcome.kind !== 'receipts') {
        await settle(session.username, hour, spent, 0);
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
        { username: session.username, channel, language: t.locale, hour },
        [{ id: keyId, entries }],
      );
      await settle(session.username, hour, spent, added);
      if (added > 0) await declared(session.username, entries);
      return receiptPage(t, outcome.people, siteUrl());
    },
  );

  staff.post(
    '/staff/declare-csv',
    ({ t, session, form }) =>
      csvResultPage(t, session, {
        key: form.get('key') || newFormKey(now()),
        text: form.get('csv') ?? '',
        channel: channelOf(form.get('channel')),
        notice: t.m['staff.expired'],
      }),
    async ({ t, session, form }) => {
      const key = form.get('key') ?? '';
      const text = form.get('csv') ?? '';
      const asked = channelOf(form.get('channel'));
      // The CSV form alone, its sentence first: on a phone the family form would hide it.
      const answer = (csv: CsvForm, status: number, retryAfter?: number) =>
        rendered(csvResultPage(t, session, csv), status, retryAfter);
      // A new form, the rows kept: nothing of the old one can be recorded any more.
      const anew = (notice: string, status: number) =>
        answer({ key: newFormKey(now()), text, channel: asked, notice }, status);
      const made = formKeyTime(key);
      if (made === undefined) return anew(t.m['form.expired'], 400);
      // Two sends of one form on this node (two tabs, a reload while the first runs) run one
      // after the other; on several nodes, the row keys and the batch's lock keep them apart.
      return keys.one(key, async () => {
        const keyId = keyIdOf(key);
        const batch = await ledger.batchByKey(keyId);
        if (batch !== undefined && batch.username !== session.username)
          return anew(t.m['volunteer.notYours'], 403);
        if (batch?.voided !== undefined) return anew(t.m['volunteer.batchVoided'], 409);
        if (batch === undefined && made * 1000 < now() - FORM_KEY_SECONDS * 1000)
          return anew(t.m['form.expired'], 400);
        const channel = batch ? channelOf(batch.channel) : asked;
        const language = batch?.language ?? t.locale;
        const sentDone = parseDone(form.get('done'));
        const kept = (b: VolunteerBatch | undefined) =>
          b === undefined ? [] : recordedRows(key, b, sentDone);
        const same = {
          key,
          channel,
          fixed: batch !== undefined,
          done: JSON.stringify(kept(batch).map(({ d, n }) => ({ d, n }))),
          recorded: batch?.entries.length ?? 0,
        };
        const csv = csvDeclarations(t, text, channel, language);
        if ('error' in csv) return answer({ ...same, text, notice: csv.error }, 400);

        const declarants = csv.rows.map((r) => r.submission.declarants[0] as Declarant);
        const rows = rowKeys(key, declarants).map((k, i) => ({
          ...k,
          id: keyIdOf(k.key),
          row: csv.rows[i] as (typeof csv.rows)[number],
          d: declarants[i] as Declarant,
        }));
        const known = new Set(batch?.rows ?? []);
        const fresh = rows.filter((r) => !known.has(r.id));
        const hour = hourNow();
        const spend = await budgets.spend(session.username, hour, fresh.length);
        if (!spend.ok)
          return answer({ ...same, text, notice: overBudget(t, budgets.budget, spend) }, 429);
        // Each row is its own submission (not a family), under its own key: a row recorded by
        // an earlier send that did not hear back is answered from its record, not logged again.
        const settled = await Promise.allSettled(
          fresh.map((r) => sequencer.submit(r.row.submission, { idempotencyKey: r.key })),
        );
        const recorded = fresh.flatMap((r, k) => {
          const s = settled[k];
          return s?.status === 'fulfilled' ? [{ ...r, entries: s.value.map((x) => x.index) }] : [];
        });
        const failed = fresh.filter((_, k) => settled[k]?.status === 'rejected');
        let after = batch;
        let added = 0;
        if (recorded.length > 0) {
          const r = await ledger.record(
            keyId,
            { username: session.username, channel, language, hour },
            recorded,
          );
          after = r.batch;
          added = r.added;
        }
        await settle(session.username, hour, fresh.length, added);
        if (added > 0)
          await declared(
            session.username,
            recorded.flatMap((r) => r.entries),
          );

        // The answer: what this send recorded, what was recorded before, what still needs work
        // (only that stays in the box), and the form's recorded rows for printing their receipts.
        const earlier = rows.filter((r) => known.has(r.id));
        const done = after === undefined ? [] : kept(after);
        const doneIds = new Set(done.map((r) => r.id));
        for (const r of [...earlier, ...recorded])
          if (!doneIds.has(r.id) && after?.rows.includes(r.id)) {
            doneIds.add(r.id);
            done.push({ ...r, submission: r.row.submission });
          }
        const total = csv.rows.length + csv.problems.length;
        const stuck = [
          ...failed.map((r) => ({ line: r.row.line, raw: r.row.raw })),
          ...csv.problems,
        ].sort((a, b) => a.line - b.line);
        const lines = (list: ReadonlyArray<{ row: { line: number } }>) =>
          lineRanges(list.map((r) => r.row.line));
        const summary: Array<Html | string> = [
          ...(stuck.length === 0 ? [t.m['volunteer.allDone']] : []),
          t.m['volunteer.recorded'](t.number(recorded.length + earlier.length), t.number(total)),
          ...(recorded.length > 0
            ? [t.m['volunteer.recordedLines'](t.number(recorded.length), lines(recorded))]
            : []),
          ...(earlier.length > 0
            ? [t.m['volunteer.alreadyLines'](t.number(earlier.length), lines(earlier))]
            : []),
          ...failed.map((r) => t.m['volunteer.notRecorded'](r.row.line)),
          ...csv.problems.map((p) => p.text),
          ...(stuck.length > 0 ? [t.m['volunteer.fixBelow']] : []),
          ...(after ? [t.m['volunteer.formTotal'](t.number(after.entries.length))] : []),
        ];
        const page = csvResultPage(t, session, {
          key,
          channel,
          fixed: after !== undefined,
          text: stuck.length === 0 ? '' : csv.header + stuck.map((s) => s.raw).join(''),
          done: JSON.stringify(done.map(({ d, n }) => ({ d, n }))),
          recorded: done.length,
          notice: html`<ul>${summary.map((p) => html`<li>${p}</li>`)}</ul>`,
        });
        const status =
          stuck.length === 0
            ? 200
            : recorded.length + earlier.length > 0
              ? 207
              : failed.length > 0
                ? 503
                : 400;
        return rendered(page, status, status === 503 ? 1 : undefined);
      });
    },
    { bodyLimit: CSV_FORM_BODY_LIMIT },
  );

  // One page of a batch's receipts, from their sealed records: at most RECEIPTS_PER_PAGE receipts
  // are built for one request, whatever the size of the batch. Nothing is ever logged here.
  staff.post(
    '/staff/declare-csv/receipts',
    ({ t, session }) => staffMessagePage(t, session, t.m['volunteer.print'], t.m['staff.expired']),
    async ({ t, session, form }) => {
      const key = form.get('key') ?? '';
      const none = () =>
        rendered(
          staffMessagePage(t, session, t.m['volunteer.print'], t.m['volunteers.noBatch']),
          404,
        );
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
          replayReceipts(store, r.key, r.submission, Math.floor(now() / 1000)).catch(
            () => undefined,
          ),
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
      if (people.length === 0)
        return { ...staffMessagePage(t, session, t.m['volunteer.print'], ''), body: nav };
      const p = receiptPage(t, people, siteUrl());
      return { ...p, body: html`${nav}${p.body}` };
    },
    { bodyLimit: CSV_FORM_BODY_LIMIT },
  );
}
