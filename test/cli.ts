// Runs the `tuidang` command as a user would, in a child process, with extra environment.
import { execFile } from 'node:child_process';

const cli = new URL('../bin/tuidang.js', import.meta.url).pathname;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return runCliWithInput(env, undefined, ...args);
}

/** The same, with `input` written to the command's standard input (closed at once when absent). */
export function runCliWithInput(
  env: NodeJS.ProcessEnv,
  input: string | undefined,
  ...args: string[]
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 99) : 0,
          stdout,
          stderr,
        });
      },
    );
    child.stdin?.end(input);
  });
}
