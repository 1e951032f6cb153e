// `tuidang <command>`: one entry point for operators, auditors and witnesses.

import { outcomeOf, TuidangError } from '../errors/index.ts';
import { admin } from './admin.ts';
import { backup } from './backup.ts';
import type { Command } from './command.ts';
import { importCommand } from './import.ts';
import { keygen } from './keygen.ts';
import { mirrorCommand } from './mirror.ts';
import { recover } from './recover.ts';
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
  recover,
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
    // A setting, an argument, the database, a log: whatever failed on purpose says so in one line,
    // with the exit code of its kind (src/errors). Anything else is a fault, with its stack trace.
    if (!(e instanceof TuidangError)) throw e;
    console.error(`tuidang ${name}: ${e.message}`);
    return outcomeOf(e).exit;
  }
}

process.exitCode = await main(process.argv.slice(2));
