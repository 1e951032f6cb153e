// `tuidang import <file>`: historical records into the log as `import` entries.
import { access } from 'node:fs/promises';
import { count, importFile, sourceName } from '../import/index.ts';
import { progressBar } from '../verify/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';
import { withLogWriter } from './writer-access.ts';

const help = `usage: tuidang import <file> [--continue | --whole] [--format ndjson|csv] [--rejects FILE] [--batch N]
       tuidang import - --source NAME --rejects FILE [--batch N]

Imports historical records as "import" entries with their original day. One record per line
(NDJSON) or per CSV row (with a header), fields: day (required, YYYY-MM-DD), orgs (required: party,
league, pioneers; in CSV separated by ";"), region, name, nameKind (real|alias), statement, publish.

Resumable and idempotent: each commit records the last line it completes, so an interrupted import
continues where it stopped, and importing the same file again adds nothing. Records that cannot be
imported go to the reject file (default <file>.rejects) with their line number and the reason. An
input that ends inside a line (cut off) stops before it; fed again complete, it resumes with it.

A file is named by its contents (SHA-256). An NDJSON file with a new content that begins with the
lines of an earlier import is refused until you say what it is: --continue if it is that input
grown since (only the lines after them are imported), --whole if its first lines are other records
that read the same (records without a name can).

With "-" the records come from standard input (e.g. zcat history.ndjson.gz | tuidang import -
--source history --rejects history.rejects), so that the whole history need not be on disk.
--source names the stream: the import records how far it got under that name, and the same stream
fed again under the same name resumes after the lines already imported, once it has checked that
the stream begins with them (another stream under that name is refused: give it a name of its own).

It writes to the store of the environment (DATA_DIR or DATABASE_URL, with the same signing key as
the registry). With SQLite, stop "tuidang serve" first; with PostgreSQL, the import takes the
sequencer's lock, so the registry's nodes accept declarations but log them only after the import.

  --continue     the file is an earlier import's input grown since: import the lines after it
  --whole        the file's first lines are not an earlier import's: import them all
  --format F     ndjson or csv (default: from the file name, else ndjson)
  --rejects FILE where to write rejected records (appended to)
  --batch N      records per commit (default 16384)
  --source NAME  with "-": the name of the stream, for resuming (letters, digits, . _ -)

exit codes: 0 all records imported, 1 some records rejected (see the reject file) or the last line
cut off, 2 usage error or an input refused (nothing imported)`;

export const importCommand: Command = {
  async run(args) {
    const parsed = parseOptions(
      args,
      {
        format: { type: 'string' },
        rejects: { type: 'string' },
        batch: { type: 'string' },
        source: { type: 'string' },
        continue: { type: 'boolean' },
        whole: { type: 'boolean' },
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
    if (parsed.values.continue && parsed.values.whole)
      throw new CliError('--continue and --whole say opposite things: give one');
    if (stdin && (parsed.values.continue || parsed.values.whole))
      throw new CliError(
        '--continue and --whole are for files: standard input resumes under its --source name',
      );
    const continuation = parsed.values.continue
      ? 'continue'
      : parsed.values.whole
        ? 'whole'
        : undefined;
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
          continuation,
          batchSize: batch,
          onProgress: bar.update,
        });
        bar.end();
        const seconds = (Date.now() - started) / 1000;
        const rate = Math.round(summary.imported / Math.max(seconds, 0.001));
        console.log(
          `${stdin ? `standard input (${source})` : file}: ${count(summary.lines, 'line')}`,
        );
        const were = summary.alreadyImported === 1 ? 'was' : 'were';
        if (summary.continues !== undefined)
          console.log(
            `  its first ${count(summary.alreadyImported, 'line')} ${were} imported before (${sourceName(summary.continues)}): --continue imported only the lines after them`,
          );
        else if (summary.alreadyImported > 0)
          console.log(
            `  ${count(summary.alreadyImported, 'line')} ${were} imported before and ${were} not imported again`,
          );
        console.log(
          `  ${count(summary.imported, 'record')} imported in ${seconds.toFixed(1)} s (${rate.toLocaleString('en')}/s)`,
        );
        console.log(
          `  ${count(summary.rejected, 'record')} rejected${summary.rejected > 0 ? `, listed in ${rejectsPath}` : ''}`,
        );
        console.log(`  the log now has ${summary.treeSize.toLocaleString('en')} entries`);
        if (summary.cutOff !== undefined)
          console.log(
            `  line ${summary.cutOff.toLocaleString('en')} was cut off (the input ended inside it, without a line break, and what came is not a whole record): it was neither imported nor rejected. Feed the input again, complete: the import resumes with that line`,
          );
        return summary.rejected > 0 || summary.cutOff !== undefined ? 1 : 0;
      },
      { existing: false },
    );
  },
};
