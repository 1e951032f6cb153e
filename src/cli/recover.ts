// `tuidang recover --from URL|DIR`: brings back the entries a restored database lacks, from any
// copy of the public log (src/sequencer/recover.ts says how they are checked).
import { LogError } from '../log/index.ts';
import { RecoverError, recoverTail } from '../sequencer/index.ts';
import { DirSource, HttpSource, type LogSource, SourceError } from '../verify/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';
import { withLogWriter } from './writer-access.ts';

const help = `usage: tuidang recover --from URL|DIR

After a restore from an older backup (or with the database lost), brings back the entries that the
log had published beyond what the database holds, from any copy of the public log: a mirror
directory (tuidang mirror), a mirror's or another registry node's URL. The copy's checkpoint must be
signed by this log's key, and its entries must rebuild that checkpoint's root on top of the
database's own entries, or nothing is written. The database then holds the log exactly as the world
saw it: receipts given before the loss verify again, and witnesses cosign again.

What cannot come back, since the public log does not hold it: the names and statements consented
to for publication with the recovered entries, and the idempotency records of their requests.

Run it with the registry stopped, with its DATA_DIR (or DATABASE_URL) and signing key; then start
tuidang serve. docs/operations.md walks through the whole recovery.

exit codes: 0 recovered (or nothing to recover), 1 the copy does not hold this log's history,
2 usage, settings or network error`;

export const recover: Command = {
  async run(args) {
    const parsed = parseOptions(args, { from: { type: 'string' } }, help);
    if (parsed === undefined) return 0;
    const from = parsed.values.from;
    if (from === undefined || parsed.positionals.length > 0)
      throw new CliError(`give the copy to recover from with --from URL|DIR\n\n${help}`);
    return withLogWriter(
      async ({ store, vkey }) => {
        let source: LogSource;
        let r: Awaited<ReturnType<typeof recoverTail>>;
        try {
          source = /^https?:\/\//.test(from) ? await HttpSource.resolve(from) : new DirSource(from);
          r = await recoverTail(store, source, vkey);
        } catch (e) {
          if (e instanceof SourceError) throw new CliError(e.message);
          if (e instanceof LogError && !(e instanceof RecoverError))
            throw new RecoverError(`${from} holds a damaged log: ${e.message}`, { cause: e });
          throw e;
        }
        const n = r.to - r.from;
        if (n === 0) {
          console.log(
            `nothing to recover: the database holds ${r.from.toLocaleString('en')} entries, ${from} no more, and they agree`,
          );
          return 0;
        }
        console.log(
          `recovered entries ${r.from.toLocaleString('en')} to ${(r.to - 1).toLocaleString('en')} (${n.toLocaleString('en')} entries, ${r.voids} of them voids) from ${from}, checked against its checkpoint signed by this log's key: the log has ${r.to.toLocaleString('en')} entries again`,
        );
        console.log(
          `what could not come back: the names and statements consented to for publication with these ${n.toLocaleString('en')} entries, and the idempotency records of their requests; receipts given for them verify`,
        );
        return 0;
      },
      {
        existing: false,
        whileServing: 'stop tuidang serve first: recover runs on a stopped registry',
      },
    );
  },
};
