// Waiting on events instead of sleeping in loops: a signal fired when something changed, and a
// bounded wait for it.

/** Something that happens again and again; `next()` resolves at the next time it does. */
export class Signal {
  #next = Promise.withResolvers<void>();

  fire(): void {
    const now = this.#next;
    this.#next = Promise.withResolvers<void>();
    now.resolve();
  }

  next(): Promise<void> {
    return this.#next.promise;
  }
}

/** Resolves when any of `events` does, or after `ms` milliseconds at the latest. */
export function until(ms: number, ...events: ReadonlyArray<Promise<unknown>>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((done) => {
    timer = setTimeout(done, ms);
  });
  return Promise.race([timeout, ...events]).then(() => clearTimeout(timer));
}
