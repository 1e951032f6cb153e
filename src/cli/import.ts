// `tuidang import <file>`: historical records into the log as `import` entries.
import { access } from 'node:fs/promises';
import { importFile } from '../import/index.ts';
import { progressBar } from '../verify/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';
import { withLogWriter } from './writer-access.ts';

const help = `usage: tuidang import <file> [--format ndjson|csv] [--rejects FILE] [--batch N]
       tuidang import - --source NAME [--format ndjson|csv] [--rejects FILE] [--batch N]

Imports historical records as "import" entries with their original day. One record per line
(NDJSON) or per CSV row (with a header), fields: day (required, YYYY-MM-DD), orgs (required: party,
league, pioneers; in CSV separated by ";"), region, name, nameKind (real|alias), statement, publish.

Resumable and idempotent: each commit records the last line it completes, so an interrupted import
continues where it stopped, and importing the same file again adds nothing. An NDJSON file that
grew since it was imported (lines added at its end) continues that import: only the new lines are
read. Records that cannot be imported go to the reject file (default <file>.rejects) with their
line number and the reason.

With "-" the records come from standard input (e.g. zcat history.ndjson.gz | tuidang import -
--source history), so that the whole history need not be on disk. --source names the stream: the
import records how far it got under that name, and the same stream fed again under the same name
resumes after the lines already imported; a stream that does not begin with those lines is refused
(another stream needs another name). A file is named by its contents (SHA-256) instead.

It writes to the store of the environment (DATA_DIR or DATABASE_URL, with the same signing key as
the registry). With SQLite, stop "tuidang serve" first; with PostgreSQL, the import takes the
sequencer's lock, so the registry's nodes accept declarations but log them only after the import.

  --format F     ndjson or csv (default: from the file name, else ndjson)
  --rejects FILE where to write rejected records (appended to)
  --batch N      records per commit (default 16384)
  --source NAME  with "-": the name of the stream, for resuming (letters, digits, . _ -)

exit codes: 0 all records imported, 1 some records rejected (see the reject file), 2 usage error`;

/** "1 line", "2 lines", "1,000 records". */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}

/** An import source as recorded (`stream:NAME`, `sha256:HEX`), for people. */
function sourceName(source: string): string {
  if (source.startsWith('stream:')) return `standard input, --source ${source.slice(7)}`;
  return `a file whose SHA-256 began ${source.slice(7, 23)}`;
}

export const importCommand: Command = {
  summary: 'import historical records (resumable, idempotent)',
  async run(args) {
    const parsed = parseOptions(
      args,
      {
        format: { type: 'string' },
        rejects: { type: 'string' },
        batch: { type: 'string' },
        source: { type: 'string' },
      },
      help,
    );
    if (parsed === undefined) return 0;
    const [file, ...extra] = parsed.positionals;
    if (file === undefined || extra.length > 0)
      throw new CliError(`give one file to import\n\n${help}`);
    const format = parsed.values.format ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson');
    if (format !== 'csv' && format !== 'ndjson')
      throw new CliError('--format must be ndjson or csv');
    const batch = parsed.values.batch === undefined ? 16384 : Number(parsed.values.batch);
    if (!Number.isInteger(batch) || batch < 1 || batch > 1_000_000)
      throw new CliError('--batch must be a whole number from 1 to 1,000,000');
    const stdin = file === '-';
    const source = parsed.values.source;
    if (stdin && (source === undefined || !/^[\w.-]{1,100}$/.test(source)))
      throw new CliError(
        'reading standard input ("-") needs --source NAME (letters, digits, . _ -): the name under which the import records how far it got, to resume',
      );
    if (stdin && format !== 'ndjson')
      throw new CliError('standard input ("-") takes NDJSON; give a CSV file by its name');
    if (!stdin && source !== undefined)
      throw new CliError('--source is for standard input ("-"); a file is named by its contents');
    if (!stdin)
      try {
        await access(file);
      } catch {
        throw new CliError(`cannot read ${file}`);
      }
    if (stdin && parsed.values.rejects === undefined)
      throw new CliError(
        'reading standard input ("-") needs --rejects FILE for the rejected records',
      );
    const rejectsPath = parsed.values.rejects ?? `${file}.rejects`;
    return withLogWriter(
      async ({ store, origin, signer }) => {
        const bar = progressBar('importing');
        const started = Date.now();
        const summary = await importFile({
          store,
          origin,
          signer,
          file,
          source,
          format,
          rejectsPath,
          batchSize: batch,
          onProgress: bar.update,
        });
        bar.end();
        const seconds = (Date.now() - started) / 1000;
        const rate = Math.round(summary.imported / Math.max(seconds, 0.001));
        console.log(
          `${stdin ? `standard input (${source})` : file}: ${count(summary.lines, 'line')}`,
        );
        if (summary.continues !== undefined)
          console.log(
            `  its first ${summary.alreadyImported.toLocaleString('en')} lines are those of an earlier import (${sourceName(summary.continues)}): the file grew since, and only the lines after them were imported`,
          );
        else if (summary.alreadyImported > 0)
          console.log(
            `  ${count(summary.alreadyImported, 'line')} ${summary.alreadyImported === 1 ? 'was' : 'were'} imported before and ${summary.alreadyImported === 1 ? 'was' : 'were'} not read again`,
          );
        console.log(
          `  ${count(summary.imported, 'record')} imported in ${seconds.toFixed(1)} s (${rate.toLocaleString('en')}/s)`,
        );
        console.log(
          `  ${count(summary.rejected, 'record')} rejected${summary.rejected > 0 ? `, listed in ${rejectsPath}` : ''}`,
        );
        console.log(`  the log now has ${summary.treeSize.toLocaleString('en')} entries`);
        return summary.rejected > 0 ? 1 : 0;
      },
      { existing: false },
    );
  },
};
