// Runs `tuidang serve` as a real child process, for tests that kill it or run several.
//
// Nothing is left behind, whatever happens to the test: each server leads a process group of its
// own, killed whole; servers still running when the test file's tests are over (a test failed or
// timed out before its own clean-up) are killed then, and at the latest when this process exits.
// Every wait is bounded: a server that neither serves nor exits in START_MS fails the start.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after } from 'node:test';
import { exited } from './wait.ts';

const main = new URL('../src/cli/main.ts', import.meta.url).pathname;

/**
 * The Node flags `tuidang serve` runs with (package.json `start`, deploy/tuidang.service): V8's
 * young generation at 8 MiB a semi-space, not the 64 MiB it grows to, which a server whose live
 * heap is some 30 MiB keeps committed (README, Performance).
 */
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=8'];

/** How long a start may take on a loaded machine before the test gives up on it. */
const START_MS = 90_000;
/** How long a stop by a signal other than SIGKILL may take before SIGKILL follows. */
const STOP_MS = 30_000;

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, for assertions about its logs. */
  output(): string;
  /** Sends `signal` to the server's process group and waits for its exit (SIGKILL after 30 s). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Children not yet seen to exit. */
const running = new Set<ChildProcess>();

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** `signal` to the child's whole process group (it leads one: spawned detached). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || !isRunning(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // the group is gone already: at least the child itself
  }
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (!isRunning(child)) return;
  const exit = exited(child, signal === 'SIGKILL' ? STOP_MS : STOP_MS + STOP_MS);
  signalGroup(child, signal);
  if (signal !== 'SIGKILL') {
    const escalate = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_MS);
    try {
      await exit;
    } finally {
      clearTimeout(escalate);
    }
  } else await exit;
}

after(async () => {
  await Promise.allSettled([...running].map((child) => stop(child, 'SIGKILL')));
});
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});
// A signal to this process (Ctrl-C reaches only the terminal's process group, not the servers'):
// the servers go with it. Unless another handler takes the signal, it then does what it would have.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    for (const child of running) signalGroup(child, 'SIGKILL');
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...SERVE_NODE_FLAGS, main, 'serve'], {
    // Tests declare through the API without solving proofs of work, and read what they declared at
    // once (every commit published), unless they ask for proofs of work or a publication cadence.
    env: { ...process.env, PORT: '0', TUIDANG_POW: 'off', TUIDANG_PUBLISH_INTERVAL: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let url: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const served = new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      output += `${line}\n`;
      // Ready once both start-up lines are out: the address, then the log's key.
      const m = /serving at (http[^\s"]+)/.exec(line);
      if (m) url = m[1] as string;
      if (url !== undefined && /log verifier key: /.test(line)) resolve(url);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`server exited (${code ?? signal}) before serving:\n${output}`)),
    );
    timer = setTimeout(
      () => reject(new Error(`server did not serve in ${START_MS / 1000} s:\n${output}`)),
      START_MS,
    );
  });
  try {
    await served;
  } catch (e) {
    await stop(child, 'SIGKILL').catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return {
    url: url as string,
    child,
    output: () => output,
    kill: (signal = 'SIGKILL') => stop(child, signal),
  };
}
