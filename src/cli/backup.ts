// `tuidang backup <file>`: an online, consistent copy of the SQLite database while it serves.
// VACUUM INTO copies one read transaction's snapshot (WAL lets it run beside the server's writes),
// so the copy holds whole commits only: every receipt acknowledged before the backup started.
import { readConfig } from '../config/index.ts';
import { backupDatabase, DATABASE_FILE, databasePath, StoreError } from '../store/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';

const help = `usage: tuidang backup <file>

Writes a consistent copy of the registry's SQLite database (DATA_DIR/${DATABASE_FILE}) to <file>,
while the registry keeps serving. It refuses to overwrite an existing file. The copy can be read by
its owner only (mode 0600): it holds the names and statements not erased yet.

To restore: stop tuidang serve, put the copy in place of DATA_DIR/${DATABASE_FILE} (removing any
${DATABASE_FILE}-wal and ${DATABASE_FILE}-shm beside it), run tuidang recover --from <your mirror>
to bring back what was published after the copy, start again, and run tuidang verify.

The signing key (DATA_DIR/log.key) is not in the copy: back it up once, apart, and keep it safe.
With PostgreSQL (DATABASE_URL), use pg_dump instead.`;

export const backup: Command = {
  async run(args) {
    const parsed = parseOptions(args, {}, help);
    if (parsed === undefined) return 0;
    const [file, ...extra] = parsed.positionals;
    if (file === undefined || extra.length > 0)
      throw new CliError(`give the file to write\n\n${help}`);
    const config = readConfig();
    if (config.databaseUrl)
      throw new CliError('DATABASE_URL is set: back up PostgreSQL with pg_dump');
    const path = databasePath(config.dataDir);
    let entries: number;
    try {
      entries = backupDatabase(config.dataDir, file);
    } catch (e) {
      if (e instanceof StoreError && (e.code === 'not-found' || e.code === 'conflict'))
        throw new CliError(e.message);
      throw e;
    }
    console.log(`backed up ${path} to ${file}: ${entries.toLocaleString('en')} entries`);
    return 0;
  },
};
