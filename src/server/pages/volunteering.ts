// What the volunteers' handlers share (volunteer.ts, volunteer-csv.ts): the store's parts, the
// sequencer, the budgets and the clock, and the steps both forms take (the channel, the budget's
// refusal, the batch's recorded rows, the audit on the hour, the settled count).
import {
  type Declarant,
  parseSubmission,
  type Submission,
  ValidationError,
} from '../../registry/index.ts';
import { keyIdOf } from '../../sequencer/index.ts';
import type {
  BudgetCounts,
  VolunteerBatch,
  VolunteerBudget,
  VolunteerLedger,
} from '../../store/index.ts';
import {
  declarantOf,
  type I18n,
  VOLUNTEER_CHANNELS,
  type VolunteerChannel,
} from '../../web/index.ts';
import type { StaffOptions } from './options.ts';
import type { SubmissionKeys } from './submit-form.ts';
import { type Budgets, type parseDone, rowKey } from './volunteer-batch.ts';

/** The channel a form names; none when the volunteer did not choose (never assumed). */
export const channelOf = (v: string | null | undefined): VolunteerChannel | undefined =>
  VOLUNTEER_CHANNELS.includes(v as VolunteerChannel) ? (v as VolunteerChannel) : undefined;

/** The sentence that refuses a declaration over the account's budget. */
export function overBudget(t: I18n, budget: VolunteerBudget, counts: BudgetCounts): string {
  const left = (limit: number, used: number) =>
    limit === 0 ? Infinity : Math.max(0, limit - used);
  const n = Math.min(left(budget.perHour, counts.hour), left(budget.perDay, counts.day));
  const limit = (x: number) => (x === 0 ? '∞' : t.number(x));
  return t.m['volunteer.overBudget'](limit(budget.perHour), limit(budget.perDay), t.number(n));
}

/** A batch's recorded rows that a page sent back, checked against the batch: each with its key. */
export function recordedRows(
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
        channelOf(batch.channel) ?? 'volunteer',
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

/** What the volunteers' handlers share: the store's parts, the sequencer, budgets and the clock. */
export interface Volunteering {
  readonly store: StaffOptions['store'];
  readonly sequencer: StaffOptions['sequencer'];
  readonly now: () => number;
  readonly siteUrl: () => string;
  readonly keys: SubmissionKeys;
  readonly ledger: VolunteerLedger;
  readonly budgets: Budgets;
}

/**
 * The hour now, POSIX seconds: the audit log and the counts say who declared which entries, but
 * not the second they were made, which the public log does not show either
 * (docs/timing-privacy.md).
 */
export function hourNow(v: Volunteering): number {
  return Math.floor(v.now() / 3_600_000) * 3600;
}

/** Audits a declaration by an account, on the hour. */
export function declared(v: Volunteering, username: string, indexes: readonly number[]) {
  return v.store.site.recordAudit({
    at: hourNow(v),
    username,
    action: 'declare',
    target: indexes.join(','),
  });
}

/** The account's count ends up as what was recorded: a refund, or a count spent late. */
export async function settle(
  v: Volunteering,
  username: string,
  hour: number,
  spent: number,
  added: number,
): Promise<void> {
  if (spent > added) await v.budgets.refund(username, hour, spent - added);
  else if (added > spent) await v.ledger.spend(username, hour, added - spent);
}
