// Runs `tuidang serve` as a real child process, for tests that kill it or run several.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const main = new URL('../src/cli/main.ts', import.meta.url).pathname;

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, for assertions about its logs. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [main, 'serve'], {
    // Tests declare through the API without solving proofs of work, and read what they declared at
    // once (every commit published), unless they ask for proofs of work or a publication cadence.
    env: { ...process.env, PORT: '0', TUIDANG_POW: 'off', TUIDANG_PUBLISH_INTERVAL: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let url: string | undefined;
  const served = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      output += `${line}\n`;
      // Ready once both start-up lines are out: the address, then the log's key.
      const m = /serving at (http[^\s"]+)/.exec(line);
      if (m) url = m[1] as string;
      if (url !== undefined && /log verifier key: /.test(line)) resolve(url);
    });
    child.once('exit', (code) =>
      reject(new Error(`server exited with ${code} before serving:\n${output}`)),
    );
  });
  return {
    url: served,
    child,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
