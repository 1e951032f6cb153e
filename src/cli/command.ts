import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface Command {
  readonly summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** A failure the user can act on: printed as one line, no stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** node:util parseArgs, with its errors turned into a usage message. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  help: string,
) {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if ((parsed.values as { help?: boolean }).help) {
      console.log(help);
      return undefined;
    }
    return parsed;
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${help}`);
  }
}
