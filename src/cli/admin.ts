// `tuidang admin`: operator actions on the log. Voiding appends a `void` entry (nothing is ever
// deleted): the totals drop, /stats lists the voids by reason, and `tuidang verify` recounts them.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { readConfig } from '../config/index.ts';
import { VOID_REASONS, type VoidReason } from '../registry/index.ts';
import { Sequencer, VoidError } from '../sequencer/index.ts';
import { hashPassword, Newsletter, smtpSender } from '../server/index.ts';
import { STAFF_ROLES, type StaffRole } from '../store/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';
import { rotateKey } from './rotate-key.ts';
import { withLogWriter } from './writer-access.ts';

const help = `usage: tuidang admin void <index> [<index> …] --reason REASON
       tuidang admin create-user NAME --role ROLE | reset-2fa NAME
       tuidang admin pending [--limit N]
       tuidang admin approve|reject|erase <index> [<index> …]
       tuidang admin redact <index> [--name TEXT] [--statement TEXT]

void      voids entries of the log by appending one "void" entry for each, naming the entry and
          the reason (one of: ${VOID_REASONS.join(', ')}). Nothing is deleted: the correction is
          public and auditable, and the totals drop at once.
pending   lists the names and statements waiting for moderation (declarants who consented),
          the oldest first
approve   shows them on /statements; reject keeps them hidden
redact    replaces the name or the statement with an edited text, and approves it
erase     deletes a publication for good (the log's entry stays and reveals nothing)
create-user NAME --role admin|moderator|volunteer
          adds a staff account; the password is read from standard input (first line), at least
          12 characters
rotate-key --archive DIR --origin NEW_ORIGIN --out FILE
          ends this log for a key change (its key lost or stolen): writes the whole log with its
          final checkpoint to DIR as a mirror to serve for ever (its receipts keep verifying),
          and a new signing key for the new log's origin to FILE; needs no signing key
          12 characters. Its owner sets up the second factor at the first sign-in.
reset-2fa NAME
          removes the second factor and recovery codes of a staff account (a lost phone) and ends
          its sessions: at the next sign-in, the password leads to setting up a new one, so do it
          when the owner is ready to sign in
newsletter --subject S --text FILE [--rate N]
          mails FILE to every confirmed subscriber, N a second (default 5), over SMTP_URL, each
          with a one-click unsubscribe link; TUIDANG_PUBLIC_URL gives the links' address

It writes to the store of the environment (DATA_DIR or DATABASE_URL). "void" appends to the log,
which has one writer: it is refused while "tuidang serve" runs on the same data directory (or a
node sequences the PostgreSQL log); administrators then void entries on the page /staff/void.
Moderation, accounts and the newsletter may run beside the server.`;

export const admin: Command = {
  async run(args) {
    const parsed = parseOptions(
      args,
      {
        subject: { type: 'string' },
        role: { type: 'string' },
        text: { type: 'string' },
        rate: { type: 'string' },
        reason: { type: 'string' },
        limit: { type: 'string' },
        name: { type: 'string' },
        statement: { type: 'string' },
        archive: { type: 'string' },
        origin: { type: 'string' },
        out: { type: 'string' },
      },
      help,
    );
    if (parsed === undefined) return 0;
    const [action, ...targets] = parsed.positionals;
    if (action === 'newsletter') return sendNewsletter(parsed.values);
    if (action === 'create-user') return createUser(targets, parsed.values);
    if (action === 'rotate-key') {
      const { archive, origin, out } = parsed.values;
      if (archive === undefined || origin === undefined || out === undefined || targets.length > 0)
        throw new CliError('give --archive DIR, --origin NEW_ORIGIN and --out FILE');
      return rotateKey({ archive, origin, out });
    }
    if (action === 'reset-2fa') return resetSecondFactor(targets);
    if (action !== undefined && MODERATION.includes(action))
      return moderate(action, targets, parsed.values);
    if (action !== 'void')
      throw new CliError(`unknown admin action ${JSON.stringify(action ?? '')}\n\n${help}`);
    const reason = parsed.values.reason as VoidReason | undefined;
    if (reason === undefined || !VOID_REASONS.includes(reason))
      throw new CliError(`--reason must be one of ${VOID_REASONS.join(', ')}`);
    const indexes = targets.map((t) => (/^\d{1,15}$/.test(t) ? Number(t) : Number.NaN));
    if (indexes.length === 0 || indexes.some((n) => Number.isNaN(n)))
      throw new CliError('give the indexes of the entries to void');
    // The same path as the administrators' page of a running server: Declarations.void.
    return withLogWriter(
      async ({ store, origin, signer }) => {
        const sequencer = await Sequencer.open(store, { origin, signer });
        try {
          const treeSize = await sequencer.void(indexes, reason);
          console.log(
            `voided ${indexes.length} entr${indexes.length === 1 ? 'y' : 'ies'} (${reason}); the log now has ${treeSize.toLocaleString('en')} entries`,
          );
          return 0;
        } catch (e) {
          if (e instanceof VoidError)
            throw new VoidError(`${e.message}; nothing was written`, e.target, e.problem);
          throw e;
        } finally {
          await sequencer.close();
        }
      },
      {
        whileServing:
          'while tuidang serve runs, administrators void entries on its page /staff/void (or stop it first)',
      },
    );
  },
};

const MODERATION = ['pending', 'approve', 'reject', 'redact', 'erase'];

function indexesOf(targets: string[]): number[] {
  const indexes = targets.map((t) => (/^\d{1,15}$/.test(t) ? Number(t) : Number.NaN));
  if (indexes.length === 0 || indexes.some((n) => Number.isNaN(n)))
    throw new CliError('give the indexes of the entries');
  return indexes;
}

type Values = {
  limit?: string | boolean | undefined;
  name?: string | boolean | undefined;
  statement?: string | boolean | undefined;
};

async function moderate(action: string, targets: string[], values: Values): Promise<number> {
  return withLogWriter(
    async ({ store }) => {
      if (action === 'pending') {
        const limit = Number(values.limit ?? 50);
        // Oldest first, as on /staff/: a flood of new ones does not hide the older ones.
        const { total, page: list } = await store.site.moderationQueue(
          -1,
          Number.isInteger(limit) && limit > 0 ? limit : 50,
        );
        if (list.length === 0) console.log('nothing is waiting for moderation');
        else console.log(`${total} waiting, the oldest first:\n`);
        for (const p of list)
          console.log(
            `#${p.index}  ${p.day}  ${p.name}${p.nameKind === 'alias' ? ' (alias)' : ''}\n    ${p.statement.replaceAll('\n', '\n    ')}\n`,
          );
        return 0;
      }
      let missing = 0;
      for (const index of indexesOf(targets)) {
        const done =
          action === 'erase'
            ? await store.site.erasePublication(index)
            : await store.site.moderate(index, {
                status: action === 'reject' ? 'rejected' : 'approved',
                ...(action === 'redact' && typeof values.name === 'string'
                  ? { name: values.name }
                  : {}),
                ...(action === 'redact' && typeof values.statement === 'string'
                  ? { statement: values.statement }
                  : {}),
              });
        if (!done) missing++;
        console.log(
          done
            ? `#${index}: ${action === 'erase' ? 'erased' : action === 'reject' ? 'rejected' : 'approved'}`
            : `#${index}: no publication at this index`,
        );
      }
      if (store.site.erasures.waiting) {
        // A reader older than the erasure (a backup, a long query) still holds the old text.
        console.error(
          'waiting for a reader older than this change (a backup, a long query) to end: until then the old text stays in the database files (interrupted, it goes at the next erasure or redaction)',
        );
        await store.site.erasures.settled();
        console.error('the old text is in none of the database files now');
      }
      return missing === 0 ? 0 : 1;
    },
    { exclusive: false },
  );
}

async function sendNewsletter(values: {
  subject?: string | boolean | undefined;
  text?: string | boolean | undefined;
  rate?: string | boolean | undefined;
}): Promise<number> {
  if (typeof values.subject !== 'string' || typeof values.text !== 'string')
    throw new CliError('give --subject and --text FILE');
  const rate = Number(values.rate ?? 5);
  if (!(rate > 0 && rate <= 1000))
    throw new CliError('--rate must be a number of mails a second from 1 to 1000');
  let text: string;
  try {
    text = readFileSync(values.text, 'utf8');
  } catch {
    throw new CliError(`cannot read ${values.text}`);
  }
  const config = readConfig();
  if (!config.smtpUrl)
    throw new CliError('set SMTP_URL (e.g. smtp://mail.example:587) to send mail');
  if (!config.publicUrl)
    throw new CliError(
      'set TUIDANG_PUBLIC_URL (e.g. https://registry.example) for the unsubscribe links',
    );
  const smtpUrl = config.smtpUrl;
  const publicUrl = config.publicUrl;
  const subject = values.subject;
  return withLogWriter(
    async ({ store, seed }) => {
      const newsletter = new Newsletter(
        store.site,
        smtpSender(smtpUrl, config.newsletterFrom),
        seed,
      );
      const sent = await newsletter.sendToAll(
        publicUrl,
        subject,
        text,
        rate,
        (n) => process.stderr.isTTY && process.stderr.write(`\rsent ${n}`),
      );
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`sent the newsletter to ${sent} subscriber${sent === 1 ? '' : 's'}`);
      return 0;
    },
    { exclusive: false },
  );
}

async function createUser(
  targets: string[],
  values: { role?: string | boolean | undefined },
): Promise<number> {
  const [username, ...extra] = targets;
  if (!username || extra.length > 0 || !/^[a-z0-9_.-]{2,64}$/.test(username)) {
    throw new CliError('give one username: 2 to 64 characters among a-z 0-9 _ . -');
  }
  const role = values.role as StaffRole | undefined;
  if (!role || !STAFF_ROLES.includes(role))
    throw new CliError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
  if (process.stdin.isTTY)
    process.stderr.write(
      `password for ${username} (input is not hidden; pipe it in to avoid that): `,
    );
  const lines = createInterface({ input: process.stdin });
  const [line = ''] = await (async () => {
    for await (const l of lines) {
      lines.close();
      return [l];
    }
    return [];
  })();
  if ([...line].length < 12) throw new CliError('the password must have at least 12 characters');
  return withLogWriter(
    async ({ store }) => {
      if (
        !(await store.site.createStaffUser({
          username,
          role,
          passwordHash: await hashPassword(line),
        }))
      )
        throw new CliError(`${username} exists already`);
      await store.site.recordAudit({
        at: Math.floor(Date.now() / 1000),
        username: 'cli',
        action: 'create-user',
        target: `${username}:${role}`,
      });
      console.log(`created ${role} ${username}`);
      return 0;
    },
    { exclusive: false, existing: false },
  );
}

async function resetSecondFactor(targets: string[]): Promise<number> {
  const [username, ...extra] = targets;
  if (!username || extra.length > 0) throw new CliError('give one username');
  return withLogWriter(
    async ({ store }) => {
      if (!(await store.site.setSecondFactor(username, undefined, [])))
        throw new CliError(`there is no staff account ${username}`);
      await store.site.recordAudit({
        at: Math.floor(Date.now() / 3_600_000) * 3600,
        username: 'cli',
        action: 'reset-2fa',
        target: username,
      });
      console.log(
        `removed the second factor of ${username} and ended its sessions: the next sign-in sets up a new one`,
      );
      return 0;
    },
    { exclusive: false },
  );
}
