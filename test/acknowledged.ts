// Receipts that servers under load acknowledged, in the order they came, and a way to wait until
// the load has made some progress: tests under load wait on acknowledgements, never on the clock.
import type { Receipt } from '../src/registry/index.ts';
import { within } from './wait.ts';

export class Acknowledged {
  readonly receipts: Receipt[] = [];
  readonly checkpoints = new Set<string>();
  /** Acknowledged requests by who answered them. */
  readonly by = new Map<string, number>();
  #waiters: Array<{ ready: () => boolean; resolve: () => void }> = [];
  /** How long {@link until} waits for progress before it gives up (the load has stalled). */
  static readonly WAIT_MS = 120_000;

  get count(): number {
    return this.receipts.length;
  }

  add(receipts: readonly Receipt[], by = ''): void {
    for (const r of receipts) {
      this.receipts.push(r);
      this.checkpoints.add(r.checkpoint);
    }
    this.by.set(by, (this.by.get(by) ?? 0) + 1);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.ready()) return true;
      w.resolve();
      return false;
    });
  }

  /**
   * Resolves as soon as `ready()` holds, checked after every acknowledgement; rejects if it does
   * not hold within `ms`.
   */
  until(ready: () => boolean, ms = Acknowledged.WAIT_MS): Promise<void> {
    if (ready()) return Promise.resolve();
    const waiter = { ready, resolve: () => {} };
    const waited = new Promise<void>((resolve) => {
      waiter.resolve = resolve;
      this.#waiters.push(waiter);
    });
    return within(waited, ms, `${this.count} acknowledged, waiting for more`).finally(() => {
      this.#waiters = this.#waiters.filter((w) => w !== waiter);
    });
  }

  /** Resolves once `n` more receipts than now are acknowledged. */
  more(n: number): Promise<void> {
    const target = this.count + n;
    return this.until(() => this.count >= target);
  }
}
