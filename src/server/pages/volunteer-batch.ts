// What makes a staff form safe to send again: every rendered form has a random key (its batch),
// and each CSV row's idempotency key is derived from the form's key and the row itself, so the
// same row sent again under the same form (a second send, a reload of the answer, the whole file
// pasted again with corrections, two tabs at once) gets the same key and is recorded once. The
// server never stores the form's key: the batch is stored under its hash, the rows under the hash
// of their keys (src/store/volunteers.ts), and the receipts sealed under the row keys (src/sequencer/
// idempotency.ts). What each account declares is spent from a budget, per hour and per 24 hours.
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Declarant } from '../../registry/index.ts';
import type { BudgetCounts, VolunteerBudget, VolunteerLedger } from '../../store/index.ts';

const ROW_TAG = 'tuidang/staff-row/v1\n';

/** The idempotency key of a row of a form: its `occurrence`-th identical row is another person. */
export function rowKey(formKey: string, d: Declarant, occurrence: number): string {
  const row = [d.name, d.nameKind, [...d.orgs], d.region ?? null, d.statement ?? null, d.publish];
  return createHmac('sha256', formKey)
    .update(`${ROW_TAG}${JSON.stringify(row)}\n${occurrence}`)
    .digest('hex');
}

/**
 * The keys of rows in the order given, and which of identical rows each is (identical rows are
 * told apart by how many came before: two people may share an alias).
 */
export function rowKeys(
  formKey: string,
  declarants: readonly Declarant[],
): Array<{ key: string; n: number }> {
  const seen = new Map<string, number>();
  return declarants.map((d) => {
    const id = JSON.stringify(d);
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    return { key: rowKey(formKey, d, n), n };
  });
}

/** "2–5, 8, 10–11" (in Chinese "2–5、8、10–11"): line numbers as short ranges. */
export function lineRanges(lines: readonly number[], separator = ', '): string {
  const sorted = [...lines].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return out.join(separator);
}

/**
 * A row of the form recorded, as the answer's page keeps it for printing the receipts: the
 * declarant and which of identical rows it was. The page sends it back; the server checks each
 * against the batch's recorded rows, so a changed copy shows nothing that was not recorded.
 */
export interface DoneRow {
  readonly d: Declarant;
  readonly n: number;
}

/** The rows a page sent back (attacker-controlled: anything malformed is left out). */
export function parseDone(text: string | null): Array<{ d: Record<string, unknown>; n: number }> {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.flatMap((r: unknown) => {
    if (typeof r !== 'object' || r === null) return [];
    const { d, n } = r as { d?: unknown; n?: unknown };
    if (typeof d !== 'object' || d === null || !Number.isSafeInteger(n) || (n as number) < 0)
      return [];
    return [{ d: d as Record<string, unknown>, n: n as number }];
  });
}

/** The default budget of one account: a full CSV upload an hour, two a day. */
export const DEFAULT_BUDGET: VolunteerBudget = { perHour: 1000, perDay: 2000 };
/** The share of a budget after which an account is reported as nearing it. */
export const NEAR_SHARE = 0.8;

type Window = 'hour' | 'day';

/** Spends accounts' budgets, and says so (log line and metric) when one nears or passes it. */
export class Budgets {
  readonly #ledger: VolunteerLedger;
  readonly #budget: VolunteerBudget;
  readonly #logger: Logger | undefined;
  readonly #events: Counter<'window' | 'event'>;

  constructor(
    ledger: VolunteerLedger,
    budget: VolunteerBudget,
    logger: Logger | undefined,
    registry: Registry | undefined,
  ) {
    this.#ledger = ledger;
    this.#budget = budget;
    this.#logger = logger;
    this.#events = new Counter({
      name: 'tuidang_staff_budget_events_total',
      help: 'Staff accounts that neared (80 %) or would have passed their declaration budget, by window',
      labelNames: ['window', 'event'],
      registers: registry ? [registry] : [],
    });
  }

  get budget(): VolunteerBudget {
    return this.#budget;
  }

  /** Spends `n` of the account's budget at `hour`: the counts, and whether it was allowed. */
  async spend(username: string, hour: number, n: number): Promise<{ ok: boolean } & BudgetCounts> {
    if (n <= 0) return { ok: true, hour: 0, day: 0 };
    const r = await this.#ledger.spend(username, hour, n, this.#budget);
    const limits: Array<[Window, number, number]> = [
      ['hour', r.hour, this.#budget.perHour],
      ['day', r.day, this.#budget.perDay],
    ];
    for (const [window, count, limit] of limits) {
      if (limit === 0) continue;
      if (!r.ok && count + n > limit) {
        this.#events.inc({ window, event: 'over' });
        this.#logger?.warn(
          { account: username, window, declared: count, asked: n, budget: limit },
          'a staff account was refused: its declarations would pass its budget',
        );
      } else if (r.ok && count >= limit * NEAR_SHARE && count - n < limit * NEAR_SHARE) {
        this.#events.inc({ window, event: 'near' });
        this.#logger?.warn(
          { account: username, window, declared: count, budget: limit },
          'a staff account nears its declaration budget: check that these declarations are real',
        );
      }
    }
    return r;
  }

  /** Gives back what was spent and not recorded. */
  async refund(username: string, hour: number, n: number): Promise<void> {
    if (n > 0) await this.#ledger.spend(username, hour, -n);
  }
}
