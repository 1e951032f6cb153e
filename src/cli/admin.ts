// `tuidang admin`: operator actions on the log. Voiding appends a `void` entry (nothing is ever
// deleted): the totals drop, /stats lists the voids by reason, and `tuidang verify` recounts them.
import {
  encodeEntry,
  utcDay,
  VOID_REASONS,
  type VoidEntry,
  type VoidReason,
} from '../registry/index.ts';
import { LogWriter, VoidError } from '../sequencer/writer.ts';
import { CliError, type Command, parseOptions } from './command.ts';
import { withLogWriter } from './writer-access.ts';

const help = `usage: tuidang admin void <index> [<index> …] --reason REASON

Voids entries of the log by appending one "void" entry for each, which names the entry and the
reason. Nothing is deleted: the correction itself is public and auditable. Totals drop at once.

  --reason REASON   one of: ${VOID_REASONS.join(', ')}

It writes to the store of the environment (DATA_DIR or DATABASE_URL). With SQLite, stop
"tuidang serve" first.`;

export const admin: Command = {
  summary: 'operator actions: void entries',
  async run(args) {
    const parsed = parseOptions(args, { reason: { type: 'string' } }, help);
    if (parsed === undefined) return 0;
    const [action, ...targets] = parsed.positionals;
    if (action !== 'void')
      throw new CliError(`unknown admin action ${JSON.stringify(action ?? '')}\n\n${help}`);
    const reason = parsed.values.reason as VoidReason | undefined;
    if (reason === undefined || !VOID_REASONS.includes(reason))
      throw new CliError(`--reason must be one of ${VOID_REASONS.join(', ')}`);
    const indexes = targets.map((t) => (/^\d{1,15}$/.test(t) ? Number(t) : Number.NaN));
    if (indexes.length === 0 || indexes.some((n) => Number.isNaN(n)))
      throw new CliError('give the indexes of the entries to void');
    return withLogWriter(async ({ store, origin, signer, witnesses }) => {
      const writer = new LogWriter(store, origin, signer, witnesses);
      await writer.reload();
      const day = utcDay(new Date());
      const voids: VoidEntry[] = indexes.map((target) => ({ kind: 'void', day, target, reason }));
      try {
        const done = await writer.append(voids.map(encodeEntry), voids);
        console.log(
          `voided ${indexes.length} entr${indexes.length === 1 ? 'y' : 'ies'} (${reason}); the log now has ${done.treeSize.toLocaleString('en')} entries`,
        );
        return 0;
      } catch (e) {
        if (e instanceof VoidError) throw new CliError(`${e.message}; nothing was written`, 1);
        throw e;
      }
    });
  },
};
