// What the write path tells its operator. Every failure it recovers from is counted (for /metrics)
// and logged with what it affects and what happens next ("commit at tree size 812 failed: …;
// retrying in 200 ms"). The sequencer knows only these interfaces; src/server wires them to pino
// and prom-client.
//
// Log lines carry no personal data: an error is logged as its name, code and message only, never
// its other fields (a database error's `detail` may quote the row it refused, names included).
import pino, { type Logger } from 'pino';

/** Where in the write path a failure happened: the label of the failure counter. */
export type Stage =
  | 'commit' // integrating, signing and committing a batch
  | 'witness' // a witness did not cosign
  | 'pending' // storing accepted submissions in the shared queue (cluster)
  | 'answer' // building or storing answers for sequenced submissions (cluster)
  | 'lead' // taking or keeping the sequencer lock (cluster)
  | 'listen' // the notification connection (cluster)
  | 'heartbeat' // telling the other nodes this one is alive (cluster)
  | 'reclaim' // removing the pending rows of a node that died (cluster)
  | 'publish' // reading, cosigning and recording a publication
  | 'quorum' // a publication withheld: fewer cosignatures than the required quorum
  | 'fork'; // the world has seen more of the log than the database holds (a restore)

/** Counts for /metrics. Every method may be a no-op. */
export interface WriteMetrics {
  /** One commit: how many entries, how long it took, the new tree size. */
  commit(entries: number, seconds: number, treeSize: number): void;
  /** One failure the write path recovered from. */
  failure(stage: Stage): void;
  /** This node took (true) or lost (false) the right to sequence. */
  leader(leading: boolean): void;
  /** The log's size as this node last saw it committed (every node reports it). */
  treeSize(size: number): void;
  /** Pending submissions of dead nodes deleted once sequenced: their answers can't be delivered. */
  reclaimed(rows: number): void;
  /**
   * A publication instant: published (with this many cosignatures) or withheld for want of the
   * required quorum.
   */
  publication(outcome: 'published' | 'withheld', cosignatures: number): void;
}

export interface Telemetry {
  readonly logger: Logger;
  readonly metrics: WriteMetrics;
}

const noMetrics: WriteMetrics = {
  commit() {},
  failure() {},
  leader() {},
  treeSize() {},
  reclaimed() {},
  publication() {},
};

/** Telemetry with the given parts; a missing logger writes JSON lines to stdout, as the server's. */
export function telemetry(
  t: { logger?: Logger | undefined; metrics?: Partial<WriteMetrics> | undefined } = {},
): Telemetry {
  return {
    logger: t.logger ?? pino({ base: { service: 'tuidang' } }),
    metrics: { ...noMetrics, ...t.metrics },
  };
}

/** An error as it may be logged: no field but its kind, code and message. */
export function describe(e: unknown): { type: string; code?: string; message: string } {
  if (!(e instanceof Error)) return { type: typeof e, message: String(e) };
  const code = (e as { code?: unknown }).code;
  return {
    type: e.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: e.message,
  };
}

/** "1 entry", "3 entries". */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const REPEAT_MS = 60_000;

/**
 * The failures of one recurring task (a poll, a witness): the first failure of a run is logged,
 * then at most one line a minute while it keeps failing (with how many failed meanwhile), and one
 * line when it works again. Every failure is counted. A database that is down thus gives a few
 * lines, not five a second.
 */
export class FailureRun {
  readonly #t: Telemetry;
  readonly #stage: Stage;
  readonly #now: () => number;
  #failing = 0;
  #loggedAt = Number.NEGATIVE_INFINITY;
  #unlogged = 0;

  constructor(t: Telemetry, stage: Stage, now: () => number = Date.now) {
    this.#t = t;
    this.#stage = stage;
    this.#now = now;
  }

  get failing(): boolean {
    return this.#failing > 0;
  }

  /** Counts a failure; logs `message: <error>; <next>` unless a line was logged within a minute. */
  failed(message: string, e: unknown, next: string, fields: object = {}): void {
    this.#t.metrics.failure(this.#stage);
    this.#failing++;
    const now = this.#now();
    if (this.#failing > 1 && now - this.#loggedAt < REPEAT_MS) {
      this.#unlogged++;
      return;
    }
    const error = describe(e);
    const also = this.#unlogged > 0 ? ` (${this.#unlogged} more failures since the last line)` : '';
    this.#t.logger.error(
      { stage: this.#stage, error, ...fields },
      `${message}: ${error.message}; ${next}${also}`,
    );
    this.#loggedAt = now;
    this.#unlogged = 0;
  }

  /** The task worked: ends a run of failures, with a line saying so. */
  succeeded(message: string): void {
    if (this.#failing === 0) return;
    this.#t.logger.info(
      { stage: this.#stage, failures: this.#failing },
      `${message} again after ${this.#failing} failures`,
    );
    this.#failing = 0;
    this.#unlogged = 0;
  }
}

/** Counts and logs a one-off failure (not part of a recurring task). */
export function reportFailure(
  t: Telemetry,
  stage: Stage,
  message: string,
  e: unknown,
  next: string,
  fields: object = {},
): void {
  t.metrics.failure(stage);
  const error = describe(e);
  t.logger.error({ stage, error, ...fields }, `${message}: ${error.message}; ${next}`);
}
