// A declaration sent by a form (the public form and the volunteers'), made safe to send twice.
//
// Each rendered form carries a fresh random submission key (src/web/pages/declare.ts), used as the
// sequencer's idempotency key: the same form sent again (a reload of the receipt page, a double
// click, the back button) answers the very same receipts and adds nothing. A form sent again is
// recognised before the anti-flood checks, whose tickets and solutions are spent on first use, so
// a reload is never refused. The sequencer keeps the receipts sealed under the key, which only the
// browser's form holds, and forgets them after IDEMPOTENCY_TTL_SECONDS (24 hours).
import { type Channel, parseSubmission, ValidationError } from '../../registry/index.ts';
import {
  type Declarations,
  IdempotencyConflictError,
  keyIdOf,
  PoolFullError,
} from '../../sequencer/index.ts';
import type { LogStore } from '../../store/index.ts';
import {
  type DeclarantForm,
  emptyDeclarant,
  type FieldErrors,
  type FilledForm,
  FORM_KEY_SECONDS,
  fieldErrors,
  filledRows,
  formKeyTime,
  type I18n,
  newFormKey,
  type PersonReceipt,
  toSubmission,
} from '../../web/index.ts';

/** What the form's sender sees next: their receipts, or the form again. */
export type FormOutcome =
  | { readonly kind: 'receipts'; readonly people: PersonReceipt[] }
  | {
      readonly kind: 'form';
      readonly rows: DeclarantForm[];
      readonly errors: FieldErrors;
      readonly notice?: string | undefined;
      readonly status: number;
      readonly retryAfter?: number | undefined;
      /** The key the form is rendered with: the same until something is recorded under it. */
      readonly key: string;
    };

/** A refusal by the anti-flood checks, with the sentence to show. */
export interface Refusal {
  readonly notice: string;
  readonly status: number;
  readonly retryAfter?: number | undefined;
}

/**
 * The forms being declared on this node now, by key: a second send of the same form (a double
 * click) waits for the first to finish, then is answered as a form sent before. It never runs the
 * anti-flood checks alongside the first, which would refuse it (the ticket is spent) or, worse, let
 * it through unchecked if the first was refused.
 */
export class SubmissionKeys {
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #store: LogStore;
  constructor(store: LogStore) {
    this.#store = store;
  }
  /** Runs `send` once no other send of the key's form runs; `sentBefore` says if one succeeded. */
  async one<T>(key: string, send: (sentBefore: boolean) => Promise<T>): Promise<T> {
    const id = keyIdOf(key);
    for (let earlier = this.#running.get(id); earlier; earlier = this.#running.get(id))
      await earlier.catch(() => {});
    const run = (async () => send((await this.#store.idempotency(id)) !== undefined))();
    this.#running.set(id, run);
    try {
      return await run;
    } finally {
      if (this.#running.get(id) === run) this.#running.delete(id);
    }
  }
}

export interface SubmitDeps {
  readonly sequencer: Declarations;
  readonly keys: SubmissionKeys;
  readonly now?: () => number;
}

/**
 * Handles a filled form: adds or removes a row, or declares. `gate` runs the anti-flood checks
 * for a form not sent before (proof of work, rate limit), given the number of declarants; it returns
 * a refusal or undefined. `resent`, when given, limits a form sent again: it returns a refusal
 * (a rate limit, nothing else: the answer would be the same receipts) or undefined.
 */
export async function submitForm(
  deps: SubmitDeps,
  t: I18n,
  form: FilledForm,
  channel: Channel,
  gate: (declarants: number) => Promise<Refusal | undefined>,
  resent?: () => Refusal | undefined,
): Promise<FormOutcome> {
  const now = deps.now ?? Date.now;
  const again = (
    rows: DeclarantForm[],
    extra: Partial<Extract<FormOutcome, { kind: 'form' }>> = {},
  ) =>
    ({
      kind: 'form',
      rows,
      errors: {},
      status: 200,
      key: formKeyTime(form.key) === undefined ? newFormKey(now()) : form.key,
      ...extra,
    }) as const;
  if (form.action.kind === 'add') return again([...form.rows, emptyDeclarant()]);
  if (form.action.kind === 'remove') {
    const at = form.action.row;
    const rows = form.rows.filter((_, i) => i !== at);
    return again(rows.length > 0 ? rows : [emptyDeclarant()]);
  }
  const rows = filledRows(form.rows);
  let submission: ReturnType<typeof parseSubmission>;
  try {
    submission = parseSubmission(toSubmission(rows, t.locale), channel);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const { errors, notice } = fieldErrors(t, e);
    return again(rows, { errors, notice: notice ?? t.m['declare.errors'], status: 400 });
  }
  // A form without a key this site makes (a page cached from before keys) declares as before.
  const key = formKeyTime(form.key) === undefined ? undefined : form.key;
  const declare = async (sentBefore: boolean): Promise<FormOutcome> => {
    if (key !== undefined && !sentBefore) {
      const made = formKeyTime(key) as number;
      if (made * 1000 < now() - FORM_KEY_SECONDS * 1000)
        return again(rows, { notice: t.m['form.expired'], status: 400, key: newFormKey(now()) });
    }
    const refused = sentBefore ? resent?.() : await gate(submission.declarants.length);
    if (refused) return again(rows, refused);
    try {
      const receipts = await deps.sequencer.submit(submission, { idempotencyKey: key });
      return {
        kind: 'receipts',
        people: receipts.map((receipt, i) => ({
          name: submission.declarants[i]?.name ?? '',
          receipt,
        })),
      };
    } catch (e) {
      if (e instanceof IdempotencyConflictError)
        return again([emptyDeclarant()], {
          notice: t.m['form.sentTwice'],
          status: 409,
          key: newFormKey(now()),
        });
      if (e instanceof PoolFullError)
        return again(rows, {
          notice: t.m['declare.busy'],
          status: 503,
          retryAfter: e.retryAfterSeconds,
        });
      throw e;
    }
  };
  return key === undefined ? declare(false) : deps.keys.one(key, declare);
}
