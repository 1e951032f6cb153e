// Volunteers' CSV form: many people at once, each row its own submission under a key of its own
// (rowKeys), in a batch that records nobody twice however often the form is sent
// (volunteer-batch.ts). Registered by volunteerRoutes (volunteer.ts).
import type { Declarant } from '../../registry/index.ts';
import { keyIdOf } from '../../sequencer/index.ts';
import type { VolunteerBatch, VolunteerLedger } from '../../store/index.ts';
import {
  type CsvDeclarations,
  type CsvForm,
  csvDeclarations,
  csvResultPage,
  FORM_KEY_SECONDS,
  formKeyTime,
  type Html,
  html,
  newFormKey,
  type VolunteerChannel,
} from '../../web/index.ts';
import { type PageResult, type Rendered, rendered } from './page.ts';
import type { StaffContext } from './staff-session.ts';
import { lineRanges, parseDone, rowKeys } from './volunteer-batch.ts';
import {
  channelOf,
  declared,
  hourNow,
  overBudget,
  recordedRows,
  settle,
  type Volunteering,
} from './volunteering.ts';

/** POST /staff/declare-csv: the rows recorded, those recorded before, and those to fix. */
export async function declareCsv(v: Volunteering, c: StaffContext): Promise<PageResult> {
  const { t, form } = c;
  const { keys, now } = v;
  const key = form.get('key') ?? '';
  const text = form.get('csv') ?? '';
  const asked = channelOf(form.get('channel'));
  const anew = (notice: string, status: number) =>
    answer(c, { key: newFormKey(now()), text, channel: asked, notice }, status);
  const made = formKeyTime(key);
  if (made === undefined) return anew(t.m['form.expired'], 400);
  // Two sends of one form on this node (two tabs, a reload while the first runs) run one
  // after the other; on several nodes, the row keys and the batch's lock keep them apart.
  return keys.one(key, () => declareBatch(v, c, { key, text, asked, made }));
}

/** The CSV form alone, its sentence first: on a phone the family form would hide it. */
function answer(
  { t, session }: StaffContext,
  csv: CsvForm,
  status: number,
  retryAfter?: number,
): Rendered {
  return rendered(csvResultPage(t, session, csv), status, retryAfter);
}

/** One send of a CSV form, alone on this node: checks its batch, then records its new rows. */
async function declareBatch(
  v: Volunteering,
  c: StaffContext,
  sent: { key: string; text: string; asked: VolunteerChannel | undefined; made: number },
): Promise<PageResult> {
  const { t, session, form } = c;
  const { ledger, budgets, now } = v;
  const { key, text, asked, made } = sent;
  // A new form, the rows kept: nothing of the old one can be recorded any more.
  const anew = (notice: string, status: number) =>
    answer(c, { key: newFormKey(now()), text, channel: asked, notice }, status);
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
  if (channel === undefined)
    return answer(c, { ...same, text, notice: t.m['volunteer.channelMissing'] }, 400);
  const csv = csvDeclarations(t, text, channel, language);
  if ('error' in csv) return answer(c, { ...same, text, notice: csv.error }, 400);

  const declarants = csv.rows.map((r) => r.submission.declarants[0] as Declarant);
  const rows = rowKeys(key, declarants).map((k, i) => ({
    ...k,
    id: keyIdOf(k.key),
    row: csv.rows[i] as (typeof csv.rows)[number],
    d: declarants[i] as Declarant,
  }));
  const known = new Set(batch?.rows ?? []);
  const fresh = rows.filter((r) => !known.has(r.id));
  const hour = hourNow(v);
  const spend = await budgets.spend(session.username, hour, fresh.length);
  if (!spend.ok)
    return answer(c, { ...same, text, notice: overBudget(t, budgets.budget, spend) }, 429);
  const { recorded, failed, after, added } = await recordRows(v, {
    keyId,
    batch,
    fresh,
    meta: { username: session.username, channel, language, hour },
  });
  await settle(v, session.username, hour, fresh.length, added);
  if (added > 0)
    await declared(
      v,
      session.username,
      recorded.flatMap((r) => r.entries),
    );
  return summaryPage(c, { key, channel, csv, rows, known, recorded, failed, after, kept });
}

type Parsed = Extract<CsvDeclarations, { rows: unknown }>;
/** A row of the CSV with its key (derived from the form's key and the row) and the key's id. */
interface KeyedRow {
  readonly key: string;
  readonly n: number;
  readonly id: string;
  readonly row: Parsed['rows'][number];
  readonly d: Declarant;
}
type RecordedRow = KeyedRow & { readonly entries: number[] };

/**
 * Submits each new row as its own submission (not a family), under its own key: a row recorded by
 * an earlier send that did not hear back is answered from its record, not logged again. Then adds
 * the recorded rows to the batch.
 */
async function recordRows(
  { sequencer, ledger }: Volunteering,
  {
    keyId,
    batch,
    fresh,
    meta,
  }: {
    keyId: string;
    batch: VolunteerBatch | undefined;
    fresh: readonly KeyedRow[];
    meta: Parameters<VolunteerLedger['record']>[1];
  },
): Promise<{
  recorded: RecordedRow[];
  failed: KeyedRow[];
  after: VolunteerBatch | undefined;
  added: number;
}> {
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
    const r = await ledger.record(keyId, meta, recorded);
    after = r.batch;
    added = r.added;
  }
  return { recorded, failed, after, added };
}

/**
 * The answer: what this send recorded, what was recorded before, what still needs work (only that
 * stays in the box), and the form's recorded rows for printing their receipts.
 */
function summaryPage(
  { t, session }: StaffContext,
  {
    key,
    channel,
    csv,
    rows,
    known,
    recorded,
    failed,
    after,
    kept,
  }: {
    key: string;
    channel: VolunteerChannel;
    csv: Parsed;
    rows: readonly KeyedRow[];
    known: ReadonlySet<string>;
    recorded: readonly RecordedRow[];
    failed: readonly KeyedRow[];
    after: VolunteerBatch | undefined;
    kept: (b: VolunteerBatch | undefined) => ReturnType<typeof recordedRows>;
  },
): Rendered {
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
    lineRanges(
      list.map((r) => r.row.line),
      t.locale === 'en' ? ', ' : '、',
    );
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
}
