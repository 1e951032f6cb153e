// The cluster's pending queue, as a node writes to it: every submission it accepts is persisted
// in the shared `pending` table before anyone sequences it. Group commit of INSERTs: while INSERTs
// run, new submissions gather, and the next INSERT takes them all in one multi-row statement.
import type { ClusterStore } from '../store/index.ts';
import { type IdempotencyInfo, SequencingError } from './declarations.ts';
import { seal } from './idempotency.ts';
import { type Prepared, receiptCores } from './prepare.ts';
import { count, reportFailure, type Telemetry } from './telemetry.ts';

/**
 * INSERTs of accepted submissions at once: a second one starts while the first waits for the
 * disk, so that a submission waits for less than one whole INSERT before its own.
 */
const INSERTS = 2;

interface ToInsert {
  readonly prepared: Prepared;
  readonly idempotency: IdempotencyInfo | undefined;
  readonly resolve: (id: number | undefined) => void;
  readonly reject: (e: unknown) => void;
}

export class PendingInserts {
  readonly #queue: ClusterStore;
  readonly #t: Telemetry;
  readonly #maxBatch: number;
  /** Whether this node sequences: it logs its own rows from memory, so they need no notice. */
  readonly #quiet: () => boolean;
  #toInsert: ToInsert[] = [];
  /** INSERTs under way (at most {@link INSERTS}). */
  #inserting = 0;

  constructor(queue: ClusterStore, t: Telemetry, maxBatch: number, quiet: () => boolean) {
    this.#queue = queue;
    this.#t = t;
    this.#maxBatch = maxBatch;
    this.#quiet = quiet;
  }

  /**
   * Persists a prepared submission in the pending queue: the id of its row, or undefined if
   * another node queued a request with the same idempotency key. Rejects with a
   * {@link SequencingError} (nothing logged) if storing it failed.
   */
  add(prepared: Prepared, idempotency: IdempotencyInfo | undefined): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      this.#toInsert.push({ prepared, idempotency, resolve, reject });
      void this.#insert();
    });
  }

  async #insert(): Promise<void> {
    if (this.#inserting >= INSERTS || this.#toInsert.length === 0) return;
    this.#inserting++;
    while (this.#toInsert.length > 0) {
      const batch = this.#toInsert.splice(0, this.#maxBatch);
      try {
        const ids = await this.#queue.addPending(
          batch.map(({ prepared, idempotency }) => ({
            entries: prepared.entries,
            // The salts go to the shared table only sealed with the client's key, for its retries.
            idem: idempotency && {
              keyId: idempotency.keyId,
              requestHash: idempotency.requestHash,
              sealed: seal(
                idempotency.key,
                receiptCores(
                  prepared.entries,
                  prepared.salts,
                  prepared.entries.map(() => -1),
                ),
              ),
            },
          })),
          { quiet: this.#quiet() },
        );
        batch.forEach((b, i) => {
          b.resolve(ids[i]);
        });
      } catch (e) {
        reportFailure(
          this.#t,
          'pending',
          `storing ${count(batch.length, 'accepted submission', 'accepted submissions')} in the pending queue failed`,
          e,
          'nothing of them was logged; their requests were answered with an error',
        );
        const failed = new SequencingError(false, { cause: e });
        for (const b of batch) b.reject(failed);
      }
    }
    this.#inserting--;
  }
}
