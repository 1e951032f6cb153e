// Runs the `tuidang` command as a user would, in a child process, with extra environment; and any
// other program a test runs to its end, killed if it runs for longer than a test may wait.
import { type ExecFileOptions, execFile } from 'node:child_process';

export const cli = new URL('../bin/tuidang.js', import.meta.url).pathname;

/** How long a program run by a test may take before it is killed (it fails the test then). */
const RUN_MS = 240_000;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `file` with `args` to its end: its exit code (99 when it could not start or was killed
 * after `options.timeout`, by default {@link RUN_MS}) and what it wrote.
 */
export function runProgram(
  file: string,
  args: readonly string[],
  options: ExecFileOptions & { readonly input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { timeout: RUN_MS, killSignal: 'SIGKILL', ...options },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 99) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
    // Standard input: `options.input`, else closed at once.
    child.stdin?.end(options.input);
  });
}

export function runCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return runProgram(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
}

/** `runCli` with `input` written to the command's standard input. */
export function runCliWithInput(
  env: NodeJS.ProcessEnv,
  input: string,
  ...args: string[]
): Promise<CliResult> {
  return runProgram(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, input });
}
