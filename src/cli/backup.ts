// `tuidang backup <file>`: an online, consistent copy of the SQLite database while it serves.
// VACUUM INTO copies one read transaction's snapshot (WAL lets it run beside the server's writes),
// so the copy holds whole commits only: every receipt acknowledged before the backup started.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { readConfig } from '../server/config.ts';
import { CliError, type Command, parseOptions } from './command.ts';

const help = `usage: tuidang backup <file>

Writes a consistent copy of the registry's SQLite database (DATA_DIR/tuidang.db) to <file>, while
the registry keeps serving. It refuses to overwrite an existing file.

To restore: stop tuidang serve, put the copy in place of DATA_DIR/tuidang.db (removing any
tuidang.db-wal and tuidang.db-shm beside it), start again, and run tuidang verify.

The signing key (DATA_DIR/log.key) is not in the copy: back it up once, apart, and keep it safe.
With PostgreSQL (DATABASE_URL), use pg_dump instead.`;

export const backup: Command = {
  summary: 'make a consistent copy of the SQLite database while it serves',
  async run(args) {
    const parsed = parseOptions(args, {}, help);
    if (parsed === undefined) return 0;
    const [file, ...extra] = parsed.positionals;
    if (file === undefined || extra.length > 0)
      throw new CliError(`give the file to write\n\n${help}`);
    const config = readConfig();
    if (config.databaseUrl)
      throw new CliError('DATABASE_URL is set: back up PostgreSQL with pg_dump');
    const path = join(config.dataDir, 'tuidang.db');
    if (!existsSync(path)) throw new CliError(`no database at ${path}: set DATA_DIR`);
    if (existsSync(file)) throw new CliError(`${file} exists: choose a new file`);
    const db = new DatabaseSync(path);
    try {
      db.exec('PRAGMA busy_timeout = 10000');
      db.prepare('VACUUM INTO ?').run(file);
    } finally {
      db.close();
    }
    const copy = new DatabaseSync(file, { readOnly: true });
    const row = copy.prepare('SELECT tree_size FROM totals').get() as
      | { tree_size: number }
      | undefined;
    copy.close();
    console.log(
      `backed up ${path} to ${file}: ${(row?.tree_size ?? 0).toLocaleString('en')} entries`,
    );
    return 0;
  },
};
