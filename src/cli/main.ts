// `tuidang <command>`: one entry point for operators, auditors and witnesses.

import { outcomeOf, TuidangError } from '../errors/index.ts';
import type { Command } from './command.ts';

// Each command's module is loaded only when it runs: `tuidang verify` does not load the server.
const commands: Record<string, { readonly summary: string; load(): Promise<Command> }> = {
  serve: {
    summary: 'run the registry (API, log, sequencer)',
    load: async () => (await import('./serve.ts')).serve,
  },
  verify: {
    summary: 'recount a registry from its log, or check a receipt',
    load: async () => (await import('./verify.ts')).verify,
  },
  mirror: {
    summary: 'keep a verified copy of a log in a directory',
    load: async () => (await import('./mirror.ts')).mirrorCommand,
  },
  witness: {
    summary: 'run a witness that cosigns checkpoints of the logs it follows',
    load: async () => (await import('./witness.ts')).witness,
  },
  import: {
    summary: 'import historical records (resumable, idempotent)',
    load: async () => (await import('./import.ts')).importCommand,
  },
  admin: {
    summary:
      'operator actions: void entries, moderation, staff accounts, the newsletter, key change',
    load: async () => (await import('./admin.ts')).admin,
  },
  backup: {
    summary: 'make a consistent copy of the SQLite database while it serves',
    load: async () => (await import('./backup.ts')).backup,
  },
  keygen: {
    summary: 'create a signing key for a log or a witness',
    load: async () => (await import('./keygen.ts')).keygen,
  },
  recover: {
    summary: 'bring back entries lost with the database from a mirror or peer',
    load: async () => (await import('./recover.ts')).recover,
  },
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
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    console.error(`tuidang: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load()).run(args);
  } catch (e) {
    // A setting, an argument, the database, a log: whatever failed on purpose says so in one line,
    // with the exit code of its kind (src/errors). Anything else is a fault, with its stack trace.
    if (!(e instanceof TuidangError)) throw e;
    console.error(`tuidang ${name}: ${e.message}`);
    return outcomeOf(e).exit;
  }
}

process.exitCode = await main(process.argv.slice(2));
