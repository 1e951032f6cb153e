// Finishing an erasure that has to wait for readers. Removing erased text from a store's files
// (SQLite: checkpointing and truncating its write-ahead log; PostgreSQL: rewriting the table) can
// only be done once no reader holds a snapshot older than the erasure: a `tuidang backup` or a
// pg_dump running, a long report. Waiting for that inside the erasure could take minutes, and
// giving up would leave the text in the files. So an erasure tries for a few seconds, then
// answers and leaves the rest to a retry in the background, with growing pauses, until it is done.

/** How long an erasure tries before leaving the rest to the background. */
export const ERASE_WAIT_MS = 3_000;
/** The background retry's first and longest pause. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export class PendingErasure implements Erasures {
  /** Removes what every erasure so far left, if no reader stands in the way: whether it did. */
  readonly #attempt: () => Promise<boolean>;
  /** Erasures made, and how many of them the last successful attempt covered. */
  #made = 0;
  #covered = 0;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = RETRY_FIRST_MS;
  #closed = false;
  readonly #settled: Array<() => void> = [];
  /** Told when erasures start to wait in the background (true), and when they are done (false). */
  #listener: ((waiting: boolean) => void) | undefined;
  #reported = false;
  readonly #tries = coalesced(() => this.#tryFor(ERASE_WAIT_MS));

  constructor(attempt: () => Promise<boolean>) {
    this.#attempt = attempt;
  }

  /**
   * An erasure was committed: its text leaves the files now, or once the readers older than it
   * have ended. Resolves after trying for {@link ERASE_WAIT_MS} (longer if another erasure's try
   * is ahead of it: erasures that arrive while one runs share the next), or at the first error
   * (a lock not free, the database unreachable): the rest is retried in the background.
   */
  async erased(): Promise<void> {
    this.#made++;
    try {
      await this.#tries();
    } catch {
      // The erasure itself is committed; the database failed while cleaning up after it (or the
      // store is closing): the retry below tries again.
    }
    if (!this.waiting || this.#closed) return;
    if (!this.#reported) this.#listener?.(true);
    this.#reported = true;
    this.#later();
  }

  /** `listener(true)` when erasures go on waiting in the background, `false` once they are done. */
  observe(listener: (waiting: boolean) => void): void {
    this.#listener = listener;
  }

  /** Whether an erasure's text may still be in the files, waiting for older readers to end. */
  get waiting(): boolean {
    return this.#covered < this.#made;
  }

  /** Resolves once no erasure waits (at once if none does; never after `close()`). */
  settled(): Promise<void> {
    if (!this.waiting) return Promise.resolve();
    // Someone waits for it: the retry keeps the process alive (a command's last step).
    this.#retry?.ref();
    return new Promise((resolve) => this.#settled.push(resolve));
  }

  /** Stops the background retry: what still waits is done at the next erasure. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
  }

  async #tryFor(ms: number): Promise<void> {
    // Erasures counted after this point may have committed after the attempt began.
    const covers = this.#made;
    if (this.#covered >= covers) return;
    const deadline = Date.now() + ms;
    for (let pause = 20; !(await this.#attempt()); pause = Math.min(pause * 2, 500)) {
      if (Date.now() + pause > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    this.#covered = covers;
    this.#retryMs = RETRY_FIRST_MS;
    if (this.waiting) return;
    for (const resolve of this.#settled.splice(0)) resolve();
    if (this.#reported) this.#listener?.(false);
    this.#reported = false;
  }

  #later(): void {
    if (this.#retry !== undefined || this.#closed) return;
    this.#retry = setTimeout(async () => {
      this.#retry = undefined;
      try {
        await this.#tries();
      } catch {
        // The database is unreachable for now: the next try will tell.
      }
      if (!this.waiting) return;
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
      this.#later();
    }, this.#retryMs);
    if (this.#settled.length === 0) this.#retry.unref();
  }
}

/** Several tables' erasures as one: waiting if any waits, settled once all are. */
export function together(list: readonly PendingErasure[]): Erasures {
  return {
    get waiting() {
      return list.some((e) => e.waiting);
    },
    settled: () => Promise.all(list.map((e) => e.settled())).then(() => {}),
    observe: (listener) => {
      // Waiting once any table waits; done once none does.
      let told = false;
      const tell = () => {
        const waiting = list.some((e) => e.waiting);
        if (waiting === told) return;
        told = waiting;
        listener(waiting);
      };
      for (const e of list) e.observe(tell);
    },
    close: () => {
      for (const e of list) e.close();
    },
  };
}

/** What a site store tells of its erasures (`SiteStore.erasures`). */
export interface Erasures {
  /** Whether an erasure's text may still be in the files, waiting for older readers to end. */
  readonly waiting: boolean;
  /** Resolves once no erasure waits. */
  settled(): Promise<void>;
  /** `listener(true)` when erasures go on waiting in the background, `false` once they are done. */
  observe(listener: (waiting: boolean) => void): void;
  /** Stops the background retry (the store is closing): what still waits is done at the next erasure. */
  close(): void;
}

/**
 * `run`, one at a time: a call while it runs is queued behind it, and every call that arrives
 * meanwhile shares that one queued run.
 */
function coalesced(run: () => Promise<unknown>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  return () => {
    if (next !== undefined) return next;
    const mine: Promise<void> = (running ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        next = undefined;
        running = mine;
        try {
          await run();
        } finally {
          if (running === mine) running = undefined;
        }
      });
    next = mine;
    return mine;
  };
}
