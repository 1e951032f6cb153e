// A clock that moves only when a test moves it: timers run in order as it passes their time.
import type { Clock } from '../src/sequencer/index.ts';

export class ManualClock implements Clock {
  #now: number;
  #timers: Array<{ at: number; f: () => void }> = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now = (): number => this.#now;

  after = (ms: number, f: () => void): (() => void) => {
    const timer = { at: this.#now + ms, f };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  };

  /** Moves the time on by `ms`, running each timer due on the way and letting its work settle. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = due.at;
      due.f();
      await settle();
    }
    this.#now = target;
  }
}

/** Lets promise chains started by a timer run to their end (the stores here answer at once). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}
