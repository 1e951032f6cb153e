// `tuidang <command>`: one entry point for operators, auditors and witnesses.

import { ConfigError } from '../server/config.ts';
import { StoreError } from '../store/index.ts';
import { admin } from './admin.ts';
import { backup } from './backup.ts';
import { CliError, type Command } from './command.ts';
import { importCommand } from './import.ts';
import { keygen } from './keygen.ts';
import { mirrorCommand } from './mirror.ts';
import { serve } from './serve.ts';
import { verify } from './verify.ts';
import { witness } from './witness.ts';

const commands: Record<string, Command> = {
  serve,
  verify,
  mirror: mirrorCommand,
  witness,
  import: importCommand,
  admin,
  backup,
  keygen,
};

function usage(): string {
  const list = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
    .join('\n');
  return `usage: tuidang <command> [options]\n\ncommands:\n${list}\n\nRun "tuidang <command> --help" for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    console.error(`tuidang: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`tuidang ${name}: ${e.message}`);
      return e.exitCode;
    }
    // A setting in the environment is wrong: say which, as for a wrong option.
    if (e instanceof ConfigError) {
      console.error(`tuidang ${name}: ${e.message}`);
      return 2;
    }
    // The database cannot be reached or is not what this program expects: one line, no trace.
    if (e instanceof StoreError && (e.code === 'unavailable' || e.code === 'corrupt')) {
      console.error(`tuidang ${name}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
