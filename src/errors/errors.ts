// One error model for the whole program, in sigstore-js's shape: every error thrown on purpose is
// a TuidangError whose `code` says what failed, whose message says it in words a person can act
// on, and whose `cause` is the error it wraps. Callers switch on `code`, never on the message.
//
// What a code means at the edges is this one table: the HTTP status (and Retry-After) of the API
// and of the pages (src/server/problem.ts), and the exit code and one-line message of the CLI
// (src/cli/main.ts, src/cli/verify.ts). This folder imports nothing, so every folder may use it,
// src/log and the browser scripts included.

export interface Outcome {
  /** The HTTP status of the API and the pages. */
  readonly status: number;
  /** The CLI's exit code: 1 failed or did not verify, 2 usage, settings, network. */
  readonly exit: 1 | 2;
  /** Seconds before trying again (Retry-After), unless the error itself says. */
  readonly retryAfter?: number;
  /** What a client is told instead of the error's message, which may name internals. */
  readonly detail?: string;
  /** Not the client's doing: logged for the operator (without request data). */
  readonly log?: true;
}

const OUR_SIDE = {
  detail: 'Something went wrong on our side; nothing was recorded. Please try again later.',
  log: true,
} as const;

const DATABASE_DOWN = {
  status: 503,
  exit: 1,
  retryAfter: 5,
  detail: 'The database cannot be reached just now. Please try again in a moment.',
} as const;

export const OUTCOMES = {
  // A request or an argument that is not what it must be.
  'bad-request': { status: 400, exit: 2 },
  usage: { status: 400, exit: 2 },
  'invalid-submission': { status: 400, exit: 2 },
  'idempotency-key': { status: 400, exit: 2 },
  'unsupported-media-type': { status: 415, exit: 2 },
  forbidden: { status: 403, exit: 1 },
  'not-found': { status: 404, exit: 1 },
  conflict: { status: 409, exit: 1 },
  'idempotency-conflict': { status: 409, exit: 1 },
  // Come back later.
  'rate-limited': { status: 429, exit: 1, retryAfter: 60 },
  'pool-full': {
    status: 503,
    exit: 1,
    retryAfter: 1,
    detail: 'The registry is busy. Please try again in a moment; nothing was recorded.',
  },
  'shutting-down': { status: 503, exit: 1, retryAfter: 5 },
  'not-sequencing': { status: 503, exit: 1, retryAfter: 1 },
  unavailable: { ...DATABASE_DOWN, log: true },
  // A commit that failed: the sequencer has logged it once already, with what it affected.
  'commit-failed': { status: 500, exit: 1, detail: OUR_SIDE.detail },
  'commit-unavailable': DATABASE_DOWN,
  'receipts-failed': {
    status: 500,
    exit: 1,
    detail:
      'Your declaration was recorded, but its receipt could not be made. Send the same request again with the same Idempotency-Key to get it.',
  },
  // Signed notes, checkpoints, tiles and proofs (src/log; c2sp.org/tlog-tiles, tlog-witness).
  'malformed-note': { status: 400, exit: 1 },
  'malformed-checkpoint': { status: 400, exit: 1 },
  'malformed-key': { status: 400, exit: 2 },
  'malformed-tile': { status: 400, exit: 1 },
  'out-of-range': { status: 400, exit: 1 },
  'bad-signature': { status: 403, exit: 1 },
  'no-trusted-signature': { status: 403, exit: 1 },
  'bad-proof': { status: 422, exit: 1 },
  'unknown-log': { status: 404, exit: 1 },
  'size-conflict': { status: 409, exit: 1 },
  // Entries, import records and voids (src/registry, src/sequencer).
  'malformed-entry': { status: 400, exit: 1 },
  'invalid-record': { status: 400, exit: 1 },
  'invalid-void': { status: 400, exit: 1 },
  'bad-void': { status: 500, exit: 1, ...OUR_SIDE },
  // Verifying a log from elsewhere (src/verify).
  unreachable: { status: 502, exit: 2 },
  'verification-failed': { status: 502, exit: 1 },
  // The operator's side.
  config: { status: 500, exit: 2, ...OUR_SIDE },
  io: { status: 500, exit: 2, ...OUR_SIDE },
  corrupt: { status: 500, exit: 1, ...OUR_SIDE },
  internal: { status: 500, exit: 1, ...OUR_SIDE },
} as const satisfies Record<string, Outcome>;

export type ErrorCode = keyof typeof OUTCOMES;

export interface ErrorOptions {
  readonly cause?: unknown;
  /** Seconds before trying again, when the error knows better than the table. */
  readonly retryAfterSeconds?: number;
}

export class TuidangError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: C, message: string, options: ErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'TuidangError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * The process is stopping: the request was not taken (503, Retry-After), or was taken and may still
 * be logged, in which case the message says to retry with the same Idempotency-Key.
 */
export class ClosedError extends TuidangError<'shutting-down'> {
  constructor(
    message = 'The registry is restarting; nothing was recorded. Please try again in a moment.',
  ) {
    super('shutting-down', message);
    this.name = 'ClosedError';
  }
}

/** What an error means at the edges; anything not a TuidangError is an unexpected fault. */
export function outcomeOf(e: unknown): Outcome & { readonly retryAfter?: number } {
  if (!(e instanceof TuidangError)) return OUTCOMES.internal;
  const o: Outcome = OUTCOMES[e.code as ErrorCode];
  const retryAfter = e.retryAfterSeconds ?? o.retryAfter;
  return retryAfter === undefined ? o : { ...o, retryAfter };
}

/** The message a client is shown: the error's own, unless the table says otherwise. */
export function publicMessage(e: unknown): string {
  return outcomeOf(e).detail ?? (e as Error).message;
}
