// What every write path offers the HTTP layer (the `Declarations` interface), the options it is
// built with, the errors it answers with, and what a request waiting for its receipts holds.
// Implemented by `Sequencer` (one machine), `ThreadedSequencer` (the same on a thread of its own)
// and `ClusterSequencer` (several web nodes on one PostgreSQL database).
import type { Logger } from 'pino';
import { TuidangError } from '../errors/index.ts';
import type { NoteSigner } from '../log/index.ts';
import {
  type Receipt,
  type Submission,
  utcDay,
  type VoidEntry,
  type VoidReason,
} from '../registry/index.ts';
import type { Prepared } from './prepare.ts';
import { type Telemetry, telemetry, type WriteMetrics } from './telemetry.ts';

/** What the HTTP layer needs of a sequencer, on one machine or in a cluster. */
export interface Declarations {
  submit(s: Submission, options?: { idempotencyKey?: string | undefined }): Promise<Receipt[]>;
  /**
   * Voids declarations while the log is served: one void entry for each target, with the reason,
   * in one commit after those already waiting. Resolves with the new tree size; rejects with a
   * `VoidError` (nothing written) if a target is not a declaration of the log or is voided already.
   */
  void(targets: readonly number[], reason: VoidReason): Promise<number>;
  close(): Promise<void>;
  /** Declarants accepted by this node and not answered yet. */
  readonly poolDepth: number;
  /** Why this node cannot log declarations now (for /readyz), or undefined when it can. */
  trouble?(): string | undefined;
}

export interface SequencerOptions {
  readonly origin: string;
  readonly signer: NoteSigner;
  /** Most declarants in one commit. */
  readonly maxBatch?: number;
  /** Most declarants waiting; beyond it, submissions are refused with {@link PoolFullError}. */
  readonly maxPool?: number;
  /** Milliseconds a commit may wait to gather more declarants once the pool is not empty. */
  readonly delayMs?: number;
  readonly now?: () => Date;
  /** Where failures are logged (JSON lines on stdout by default). */
  readonly logger?: Logger | undefined;
  /** Told of every commit and every failure (for /metrics). */
  readonly metrics?: Partial<WriteMetrics> | undefined;
}

export type Resolved = Required<Omit<SequencerOptions, 'now' | 'logger' | 'metrics'>> & {
  now: () => Date;
  telemetry: Telemetry;
};

export function withDefaults(opts: SequencerOptions): Resolved {
  return {
    maxBatch: 4096,
    maxPool: 65536,
    delayMs: 2,
    now: () => new Date(),
    ...opts,
    telemetry: telemetry({ logger: opts.logger, metrics: opts.metrics }),
  };
}

/** The options' clock in POSIX seconds. */
export function unixNow(opts: Resolved): number {
  return Math.floor(opts.now().getTime() / 1000);
}

export interface IdempotencyInfo {
  readonly key: string;
  readonly keyId: string;
  readonly requestHash: string;
}

/** A request waiting for its receipts. */
export interface Waiting extends Prepared {
  readonly idempotency: IdempotencyInfo | undefined;
  readonly resolve: (r: Receipt[]) => void;
  readonly reject: (e: unknown) => void;
}

/** The void entries for `targets`, dated today. */
export function voidEntries(
  targets: readonly number[],
  reason: VoidReason,
  now: Date,
): VoidEntry[] {
  const day = utcDay(now);
  return targets.map((target) => ({ kind: 'void', day, target, reason }));
}

/** The Idempotency-Key was used before for another request: the caller should answer 409. */
export class IdempotencyConflictError extends TuidangError<'idempotency-conflict'> {
  override name = 'IdempotencyConflictError';
  constructor() {
    super(
      'idempotency-conflict',
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
  }
}

/**
 * A request could not be answered with its receipts: its commit failed (`recorded` false: nothing
 * of it was logged), or its receipts could not be built after the commit (`recorded` true). The
 * sequencer has logged the failure once, with what it affected; the caller answers (500) without
 * logging it again.
 */
export class SequencingError extends TuidangError<
  'commit-failed' | 'receipts-failed' | 'commit-unavailable'
> {
  override name = 'SequencingError';
  readonly recorded: boolean;
  constructor(recorded: boolean, options: { cause: unknown }) {
    super(
      options.cause instanceof TuidangError && options.cause.code === 'unavailable'
        ? 'commit-unavailable'
        : recorded
          ? 'receipts-failed'
          : 'commit-failed',
      recorded
        ? 'the entries were logged, but their receipts could not be built'
        : 'the commit failed: nothing was logged',
      options,
    );
    this.recorded = recorded;
  }
}

/** The pool is full: the caller should answer 503 with Retry-After. */
export class PoolFullError extends TuidangError<'pool-full'> {
  override name = 'PoolFullError';
  constructor(message: string) {
    super('pool-full', message, { retryAfterSeconds: 1 });
  }
}

/** A void asked of a node that does not sequence the log at the moment: nothing was written. */
export class NotSequencingError extends TuidangError<'not-sequencing'> {
  override name = 'NotSequencingError';
  constructor() {
    super(
      'not-sequencing',
      'this node does not write the log at the moment; nothing was voided: try again',
    );
  }
}
