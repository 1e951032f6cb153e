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
//
// Witnesses are asked to cosign only here, the checkpoint about to be published, so that their
// timestamps are publication instants too. The node that writes the log publishes and records the
// publication in the store (checkpoint, totals, instant); the other nodes of a cluster adopt it,
// so all serve the same checkpoint from the same instant.
import { TuidangError } from '../errors/index.ts';
import type { LogState, LogStore, PublishedLog } from '../store/index.ts';
import { FailureRun, type Telemetry, telemetry } from './telemetry.ts';
import { Witnesses, type WitnessesOptions } from './witnesses.ts';

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
  /** Witnesses asked to cosign each publication (and only publications). */
  readonly witnesses?: WitnessesOptions | undefined;
  /**
   * Whether this node publishes: the node that writes the log (the default: always). Another
   * node of a cluster adopts the publication that node records in the database, so that all
   * serve the same checkpoint from the same instant.
   */
  readonly leads?: () => boolean;
}

/** Where the publications stand, for a readiness probe and the logs. */
export interface PublicationStatus {
  /** The public tree size. */
  readonly treeSize: number;
  /** POSIX seconds of the last publication instant recorded or adopted (0: none yet). */
  readonly at: number;
  /** The last publication instant was withheld: fewer cosignatures than the required quorum. */
  readonly withheld: boolean;
  /** Publications are current: the last one is at most one interval late, and none was withheld. */
  readonly current: boolean;
}

/** How long a node that does not publish waits for the one that does, beyond the witnesses. */
const ADOPT_GRACE_MS = 2000;
const ADOPT_POLL_MS = 100;

export class Publisher {
  readonly #store: LogStore;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  readonly #t: Telemetry;
  readonly #failures: FailureRun;
  readonly #quorum: FailureRun;
  readonly #witnesses: Witnesses | undefined;
  readonly #witnessTimeoutMs: number;
  readonly #leads: () => boolean;
  #published: LogState;
  #at = 0;
  #withheld = false;
  /** The publication served was not shown to the witnesses (the first start's): show the next. */
  #uncosigned = false;
  #running: Promise<void> | undefined;
  #cancel: () => void = () => {};
  #closed = false;

  private constructor(store: LogStore, state: LogState, opts: PublisherOptions) {
    this.#store = store;
    this.#published = state;
    this.#intervalMs = opts.intervalMs;
    this.#clock = opts.clock ?? systemClock;
    this.#t = opts.telemetry ?? telemetry();
    this.#failures = new FailureRun(this.#t, 'publish', this.#clock.now);
    this.#quorum = new FailureRun(this.#t, 'quorum', this.#clock.now);
    this.#witnesses =
      opts.witnesses && opts.witnesses.witnesses.length > 0
        ? new Witnesses(opts.witnesses, store.readTiles, this.#t)
        : undefined;
    this.#witnessTimeoutMs = opts.witnesses?.timeoutMs ?? 0;
    this.#leads = opts.leads ?? (() => true);
  }

  /**
   * Serves the last publication recorded, if any (what was committed since comes at the next
   * instant); a log never published before is published at once, without asking the witnesses
   * (their timestamp would be the start's second): they cosign it at the next instant. Then
   * publishes at every multiple of the interval.
   */
  static async start(store: LogStore, opts: PublisherOptions): Promise<Publisher> {
    const stored = await store.publication();
    const p = new Publisher(
      store,
      stored
        ? { treeSize: stored.treeSize, checkpoint: stored.checkpoint, totals: stored.totals }
        : await store.state(),
      opts,
    );
    if (stored !== undefined) p.#at = stored.at;
    else if (p.#leads()) {
      p.#uncosigned = p.#witnesses !== undefined && opts.intervalMs > 0;
      await p.publish();
    }
    if (opts.intervalMs > 0) p.#schedule();
    return p;
  }

  /** Milliseconds between publications (0: every commit is public at once). */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /**
   * Why the public log is not current, or undefined (for /readyz): a publication withheld for
   * want of the required witness quorum, or none for two intervals (the database is away).
   */
  lateness(): string | undefined {
    if (this.#closed) return undefined;
    const s = this.status();
    if (s.current) return undefined;
    return s.withheld
      ? 'the last publication was withheld: fewer witness cosignatures than TUIDANG_WITNESS_REQUIRED'
      : `no publication since ${new Date(s.at * 1000).toISOString()} (every ${this.#intervalMs / 1000} s expected)`;
  }

  /** The log as the public sees it: the state at the last publication. */
  async published(): Promise<LogState> {
    if (this.#intervalMs > 0) return this.#published;
    if (this.#witnesses === undefined) return this.#store.state();
    // Every commit public at once, cosigned: published when first read.
    if ((await this.#store.state()).treeSize > this.#published.treeSize) await this.publish();
    return this.#published;
  }

  /** Where publications stand: for /readyz and the metrics. */
  status(): PublicationStatus {
    const late = this.#clock.now() - this.#at * 1000;
    const current =
      !this.#withheld &&
      (this.#intervalMs === 0 ||
        late <= 2 * this.#intervalMs + this.#witnessTimeoutMs + ADOPT_GRACE_MS);
    return {
      treeSize: this.#published.treeSize,
      at: this.#at,
      withheld: this.#withheld,
      current,
    };
  }

  /**
   * Publishes the log as of `at` (now by default; the schedule calls this at each instant, with
   * it; so may a test): the node
   * that writes the log has the witnesses cosign its latest checkpoint and records it; another
   * node adopts what that one recorded for this instant. One publication at a time.
   */
  async publish(at?: number): Promise<void> {
    while (this.#running !== undefined) await this.#running;
    const instant = at ?? this.#clock.now();
    const run = (async () => {
      try {
        // With every commit public at once (interval 0) each node publishes what it reads.
        if (this.#intervalMs === 0 || this.#leads()) await this.#publishHere(instant);
        else await this.#adopt(instant);
        this.#failures.succeeded('publishing');
      } catch (e) {
        this.#failures.failed(
          `publishing the log failed (the public sees tree size ${this.#published.treeSize})`,
          e,
          'trying again at the next publication',
        );
      }
    })();
    this.#running = run;
    try {
      await run;
    } finally {
      this.#running = undefined;
    }
  }

  /** The instant's POSIX second: a multiple of the interval (the start, with none yet). */
  #instantSecond(instant: number): number {
    const ms = this.#intervalMs > 0 ? instant - (instant % this.#intervalMs) : instant;
    return Math.floor(ms / 1000);
  }

  async #publishHere(instant: number): Promise<void> {
    const state = await this.#store.state();
    const at = this.#instantSecond(instant);
    // Never back: a public log never shrinks. The same size again only moves the instant on.
    if (state.treeSize < this.#published.treeSize || state.checkpoint === undefined) return;
    let checkpoint = state.checkpoint;
    let cosignatures = 0;
    const fresh = state.treeSize > this.#published.treeSize || this.#at === 0;
    // Not at a first start (#at 0): the witnesses' timestamp would be the start's second.
    const first = this.#uncosigned && this.#at === 0;
    if (this.#witnesses !== undefined && !first && (fresh || this.#uncosigned)) {
      ({ note: checkpoint, cosignatures } = await this.#witnesses.cosign(
        state.checkpoint,
        state.treeSize,
      ));
      if (cosignatures < this.#witnesses.required) {
        this.#withheld = true;
        this.#t.metrics.publication('withheld', cosignatures);
        this.#quorum.failed(
          `the checkpoint of tree size ${state.treeSize} was not published`,
          new TuidangError(
            'unreachable',
            `${cosignatures} of the ${this.#witnesses.required} required witness cosignatures arrived`,
          ),
          `the public log stays at tree size ${this.#published.treeSize} until the witnesses answer (TUIDANG_WITNESS_REQUIRED)`,
        );
        return;
      }
      this.#uncosigned = false;
    } else if (!fresh) {
      checkpoint = this.#published.checkpoint ?? checkpoint;
    }
    const published: PublishedLog = {
      treeSize: state.treeSize,
      checkpoint,
      totals: state.totals,
      at,
    };
    if (await this.#store.recordPublication(published)) this.#adopted(published);
    else {
      // Another node recorded a larger publication: serve that one.
      const stored = await this.#store.publication();
      if (stored !== undefined) this.#adopted(stored);
    }
    this.#withheld = false;
    this.#quorum.succeeded('publications meet the required quorum');
    this.#t.metrics.publication('published', cosignatures);
  }

  /** A node that does not publish: waits for the publication of this instant, then serves it. */
  async #adopt(instant: number): Promise<void> {
    const at = this.#instantSecond(instant);
    const deadline = this.#clock.now() + this.#witnessTimeoutMs + ADOPT_GRACE_MS;
    for (;;) {
      const stored = await this.#store.publication();
      if (stored !== undefined && stored.at >= at) {
        this.#adopted(stored);
        this.#withheld = false;
        return;
      }
      if (this.#closed || this.#clock.now() >= deadline) {
        // The publishing node withheld it, or is away: keep serving the last one.
        if (stored !== undefined && stored.treeSize >= this.#published.treeSize)
          this.#adopted(stored);
        return;
      }
      await new Promise<void>((resolve) => this.#clock.after(ADOPT_POLL_MS, resolve));
    }
  }

  #adopted(p: PublishedLog): void {
    if (p.treeSize < this.#published.treeSize) return;
    this.#published = { treeSize: p.treeSize, checkpoint: p.checkpoint, totals: p.totals };
    this.#at = Math.max(this.#at, p.at);
  }

  /** Publishes at the next instant: after now, and after `served` (the instant just published). */
  #schedule(served = 0): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    const next = Math.max(
      (Math.floor(now / this.#intervalMs) + 1) * this.#intervalMs,
      served + this.#intervalMs,
    );
    // The instant is the one scheduled: a timer may fire a millisecond before it by the wall
    // clock, which would date the publication at the previous instant (and other nodes would wait
    // for this one in vain), then publish again at once.
    this.#cancel = this.#clock.after(next - now, () => {
      void this.publish(next).then(() => this.#schedule(next));
    });
  }

  close(): void {
    this.#closed = true;
    this.#cancel();
  }
}
