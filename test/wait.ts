// Bounded waits for tests: every wait on a socket, a process, an event or a condition ends, with
// an error that says what was awaited, instead of hanging the run. A socket's wait ends on `end`
// (the other side closed; a socket that does not close its own side then stays in CLOSE-WAIT and
// never emits `close`), on `close` and on `error`.
import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** `promise`, or a rejection naming `what` once `ms` have passed. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The first of `events` on `emitter` (its arguments), or a rejection after `ms`. An `error` event
 * resolves too when it is listed (the wait is over), and rejects when it is not.
 */
export function firstOf(
  emitter: EventEmitter,
  events: readonly string[],
  ms: number,
): Promise<{ event: string; args: unknown[] }> {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const done = () => {
    for (const [event, listener] of listeners) emitter.off(event, listener);
  };
  const waited = new Promise<{ event: string; args: unknown[] }>((resolve, reject) => {
    for (const event of events)
      listeners.set(event, (...args) => {
        done();
        resolve({ event, args });
      });
    if (!events.includes('error'))
      listeners.set('error', (e) => {
        done();
        reject(e);
      });
    for (const [event, listener] of listeners) emitter.on(event, listener);
  });
  return within(waited, ms, `waiting for ${events.join(' or ')}`).finally(done);
}

/**
 * Resolves once the other side has closed the socket or it is closed or broken: `end`, `close` or
 * `error`, whichever comes first (at once if it is already so); rejects after `ms`.
 */
export async function socketDone(
  socket: EventEmitter & {
    readonly destroyed: boolean;
    readonly readableEnded?: boolean;
  },
  ms: number,
): Promise<string> {
  if (socket.destroyed || socket.readableEnded) return 'closed';
  return (await firstOf(socket, ['end', 'close', 'error'], ms)).event;
}

/** Resolves when the child has exited (at once if it has), rejects after `ms`. */
export async function exited(
  child: ChildProcess,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode };
  const { args } = await firstOf(child, ['exit'], ms);
  return { code: args[0] as number | null, signal: args[1] as NodeJS.Signals | null };
}

/**
 * Checks `ready` every `everyMs` until it holds, and returns how long that took (ms); rejects
 * naming `what` after `ms`.
 */
export async function until(
  ready: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  everyMs = 20,
): Promise<number> {
  const start = performance.now();
  while (!(await ready())) {
    if (performance.now() - start > ms) throw new Error(`${what}: not so after ${ms} ms`);
    await sleep(everyMs);
  }
  return performance.now() - start;
}
