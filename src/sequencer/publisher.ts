// Timing privacy: the public sees the log as it was at the last publication, and publications
// come on a fixed cadence, at every multiple of the interval since the epoch (so that all nodes of
// a cluster publish at the same moments). Whoever polls the checkpoint, the tiles or the totals
// learns that an entry was made within an interval, not the second it was made, which is what
// would let someone who watches the network match a declarant to an entry.
//
// Receipts are still answered at once: their checkpoint is signed at commit, and the next
// publication is an extension of it (the same log, a later size), so a receipt newer than the
// published checkpoint is checked against its own and appears in the public log at the next
// publication. With little traffic a publication may still hold a single entry; see
// docs/timing-privacy.md.
import type { LogState, LogStore } from '../store/index.ts';
import { FailureRun, type Telemetry, telemetry } from './telemetry.ts';

/** The time and a timer, injected so that tests move the clock instead of waiting. */
export interface Clock {
  now(): number;
  /** Calls `f` after `ms` milliseconds; the returned function cancels it. */
  after(ms: number, f: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, f) {
    const t = setTimeout(f, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface PublisherOptions {
  /** Milliseconds between publications; 0 publishes every commit at once (no timing privacy). */
  readonly intervalMs: number;
  readonly clock?: Clock;
  readonly telemetry?: Telemetry;
}

export class Publisher {
  readonly #store: LogStore;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  readonly #failures: FailureRun;
  readonly #metrics: Telemetry['metrics'] | undefined;
  #published: LogState;
  /** When the last publication worked (the start counts as one). */
  #publishedAt: number;
  #cancel: () => void = () => {};
  #closed = false;

  private constructor(store: LogStore, state: LogState, opts: PublisherOptions) {
    this.#store = store;
    this.#published = state;
    this.#intervalMs = opts.intervalMs;
    this.#clock = opts.clock ?? systemClock;
    this.#failures = new FailureRun(opts.telemetry ?? telemetry(), 'publish', this.#clock.now);
    this.#publishedAt = this.#clock.now();
    this.#metrics = opts.telemetry?.metrics;
    this.#metrics?.published?.(state.treeSize);
  }

  /**
   * Publishes the store's state now (a start reveals no more than a publication would: what was
   * committed since the last one, all at once), then at every multiple of the interval.
   */
  static async start(store: LogStore, opts: PublisherOptions): Promise<Publisher> {
    const p = new Publisher(store, await store.state(), opts);
    if (opts.intervalMs > 0) p.#schedule();
    return p;
  }

  /** Milliseconds between publications (0: every commit is public at once). */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /**
   * Why the public log is not current, or undefined: no publication has worked for two intervals
   * (and ten seconds), e.g. because the database is away.
   */
  lateness(): string | undefined {
    if (this.#intervalMs === 0 || this.#closed) return undefined;
    const late = this.#clock.now() - this.#publishedAt;
    if (late <= 2 * this.#intervalMs + 10_000) return undefined;
    return `no publication for ${Math.round(late / 1000)} s (every ${this.#intervalMs / 1000} s expected)`;
  }

  /** The log as the public sees it: the state at the last publication. */
  async published(): Promise<LogState> {
    return this.#intervalMs === 0 ? this.#store.state() : this.#published;
  }

  /** Publishes the store's current state (the schedule calls this; so may a test). */
  async publish(): Promise<void> {
    try {
      const state = await this.#store.state();
      // Never back: another node's store read may lag by a commit, and a public log never shrinks.
      if (state.treeSize >= this.#published.treeSize) this.#published = state;
      this.#publishedAt = this.#clock.now();
      this.#metrics?.published?.(this.#published.treeSize);
      this.#failures.succeeded('publishing');
    } catch (e) {
      this.#failures.failed(
        `publishing the log failed (the public sees tree size ${this.#published.treeSize})`,
        e,
        'trying again at the next publication',
      );
    }
  }

  #schedule(): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    const next = (Math.floor(now / this.#intervalMs) + 1) * this.#intervalMs;
    this.#cancel = this.#clock.after(next - now, () => {
      void this.publish().then(() => this.#schedule());
    });
  }

  close(): void {
    this.#closed = true;
    this.#cancel();
  }
}

/**
 * The store as the public reads it: `state()` is the published state, everything else is the
 * store's own. The tile and proof routes check every request against `state().treeSize`, so they
 * serve nothing beyond the published checkpoint.
 */
export function publishedView<S extends LogStore>(store: S, publisher: Publisher): S {
  const state = () => publisher.published();
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'state') return state;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
