import { type ParseArgsConfig, parseArgs } from 'node:util';
import { TuidangError } from '../errors/index.ts';

export interface Command {
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** A wrong option or argument: printed as one line with the usage, exit code 2 (src/errors). */
export class CliError extends TuidangError<'usage'> {
  override name = 'CliError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
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
