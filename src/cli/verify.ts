// `tuidang verify`: recount a registry (or a mirror) from its log, or check a receipt.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { outcomeOf, TuidangError } from '../errors/index.ts';
import {
  ENTRIES_LEVEL,
  encodeBase64,
  HASH_SIZE,
  LogError,
  type NoteVerifier,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  TILE_WIDTH,
  verifierFromKey,
} from '../log/index.ts';
import { parseReceiptCode } from '../registry/index.ts';
import {
  checkPublished,
  commitsTo,
  KnownLogs,
  type LogSource,
  openSource,
  parseReceipts,
  progressBar,
  type ReceiptFile,
  readTilesOf,
  receiptFromCode,
  SourceError,
  type SourceSpec,
  statsDifferences,
  tiledLog,
  VerificationError,
  verifyLogInWorker,
  verifyReceipt,
} from '../verify/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';
import {
  claimMismatch,
  formatBytes,
  printJson,
  printReceipts,
  printText,
  type Stats,
  type Verified,
} from './verify-report.ts';

export const help = `usage: tuidang verify <url | dir> [options]
       tuidang verify --receipt FILE [--log url] [options]

Checks a registry's log: the checkpoint's signature and witness cosignatures, every tile and entry
up to the root, every entry's format and day; recounts the totals and compares them with every
figure the registry publishes: /api/v1/stats (read with the checkpoint it names), and the home
page, statistics page and stats.csv in each language. <url> is a registry's address (its log under <url>/log/) or a log prefix; <dir> is a
mirror (then the recount is printed). The last verified checkpoint is remembered, and the next run
fails loudly if the log no longer extends it (a fork).

With --receipt: checks that the receipt's entry is in its signed checkpoint, and with --log that
this checkpoint is consistent with the log's current one (a receipt newer than the log's last
publication is checked against its own checkpoint, and the entry appears at the next one).

options:
  --vkey VKEY        the log's verifier key; without it, the key remembered for the log's origin,
                     or the one the log publishes, trusted on first use and remembered
  --witness VKEY     a witness's verifier key (repeat for several)
  --quorum N         cosignatures required from those witnesses (default: all given)
  --receipt FILE     a receipt (JSON, as the registry returned it), or the receipt code printed
                     on paper (with --log: the receipt is rebuilt from the log)
  --log URL          with --receipt: the log to check the receipt against
  --name NAME        with --receipt: also check that the entry commits to this name…
  --alias            …given as an alias (default: a real name)
  --statement TEXT   …and this statement (leave it out if the declaration had none; if it had
                     one, the check says so)
  --cache DIR        where downloaded full tiles are kept (default ~/.cache/tuidang): about 90
                     bytes per entry, said before it starts; makes reruns fast
  --no-cache         keep no tiles on disk
  --json             print the result as JSON on standard output
  --no-remember      do not record the key or the verified checkpoint

exit codes: 0 verified, 1 verification failed, 2 usage or network error`;

const options = {
  vkey: { type: 'string' },
  witness: { type: 'string', multiple: true },
  quorum: { type: 'string' },
  receipt: { type: 'string' },
  log: { type: 'string' },
  name: { type: 'string' },
  alias: { type: 'boolean' },
  statement: { type: 'string' },
  cache: { type: 'string' },
  'no-cache': { type: 'boolean' },
  json: { type: 'boolean' },
  'no-remember': { type: 'boolean' },
} as const;

type Values = {
  [K in keyof typeof options]?: (typeof options)[K] extends { multiple: true }
    ? string[]
    : (typeof options)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

function keysFrom(values: Values): { witnesses: NoteVerifier[]; quorum: number } {
  const witnesses = (values.witness ?? []).map((k) => {
    const v = verifierFromKey(k);
    if (parseVerifierKey(k).type !== 0x04)
      throw new CliError(`--witness ${k} is not a witness (cosignature/v1) key`);
    return v;
  });
  const quorum = values.quorum === undefined ? witnesses.length : Number(values.quorum);
  if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length)
    throw new CliError(`--quorum must be a whole number from 0 to ${witnesses.length}`);
  return { witnesses, quorum };
}

let lastSource: LogSource | undefined;

async function sourceFor(target: string, values: Values): Promise<LogSource> {
  lastSource = await openSource(specFor(target, values));
  return lastSource;
}

/** Where to read: a URL (tiles kept under the cache directory unless --no-cache) or a mirror. */
function specFor(target: string, values: Values): SourceSpec {
  if (!/^https?:\/\//.test(target)) return { dir: target };
  if (values['no-cache']) return { url: target };
  const dir =
    values.cache ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tuidang');
  const perLog = join(dir, createHash('sha256').update(target).digest('hex').slice(0, 16));
  return { url: target, cacheDir: perLog };
}

/**
 * What the tile cache will hold once the log is verified: the full entry bundles (their size
 * estimated from the first one) and the full hash tiles (32 bytes per entry and per node above).
 */
async function cacheEstimate(source: LogSource, treeSize: number): Promise<number> {
  const full = Math.floor(treeSize / TILE_WIDTH) * TILE_WIDTH;
  if (full === 0) return 0;
  const first = await source.tile({ level: ENTRIES_LEVEL, index: 0, width: TILE_WIDTH });
  return (full * first.length) / TILE_WIDTH + (full * HASH_SIZE * TILE_WIDTH) / (TILE_WIDTH - 1);
}

/**
 * The log key: given, remembered for this origin (and this source, or the key the log publishes),
 * or published by the log and trusted on first use. A log is known by its origin and key: another
 * registry with the same origin is another log, not a fork of the one remembered.
 */
async function logKey(
  source: LogSource,
  target: string,
  values: Values,
  known: KnownLogs | undefined,
  say: (s: string) => void,
): Promise<{ vkey: string; origin: string }> {
  let origin: string;
  try {
    origin = parseCheckpoint(parseNote(await source.checkpoint()).text).origin;
  } catch (e) {
    if (e instanceof LogError) throw new VerificationError('checkpoint', e.message);
    throw e;
  }
  if (values.vkey) return { vkey: values.vkey, origin };
  const published = await source.vkey();
  const remembered = known?.keyFor(origin, target, published);
  if (remembered) return { vkey: remembered, origin };
  if (!published)
    throw new CliError(`no key is known for ${origin}: give the log's verifier key with --vkey`);
  const others = known?.find(origin) ?? [];
  if (others.length > 0)
    say(
      `another log named ${origin} is known, with ${others.length === 1 ? 'the key' : 'the keys'} ${others.map((l) => l.vkey).join(', ')}: this one has another key, so it is another log (--vkey pins the key you expect)`,
    );
  say(`trusting the key the log publishes, on first use: ${published}`);
  return { vkey: published, origin };
}

export const verify: Command = {
  async run(args) {
    const parsed = parseOptions(args, options, help);
    if (parsed === undefined) return 0;
    const values = parsed.values as Values;
    const json = values.json === true;
    const say = (s: string) => {
      if (!json) console.error(s);
    };
    try {
      const known = values['no-remember'] ? undefined : await KnownLogs.load();
      if (values.receipt !== undefined) return await checkReceipt(values, known, say, json);
      return await recount(values, parsed.positionals, known, say);
    } catch (e) {
      return failure(e, json);
    }
  },
};

/** The log to recount, as the command line names it, and what is known of it. */
interface Recount {
  readonly values: Values;
  readonly target: string;
  readonly spec: SourceSpec;
  readonly source: LogSource;
  readonly vkey: string;
  readonly known: KnownLogs | undefined;
  readonly say: (s: string) => void;
}

/** Recounts a registry or a mirror: verifies its log, then compares its published figures. */
async function recount(
  values: Values,
  positionals: readonly string[],
  known: KnownLogs | undefined,
  say: (s: string) => void,
): Promise<number> {
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0)
    throw new CliError(`give one registry URL or mirror directory\n\n${help}`);
  if (values['no-cache'] && values.cache !== undefined)
    throw new CliError('give --cache DIR or --no-cache, not both');
  const spec = specFor(target, values);
  const source = await sourceFor(target, values);
  const stats = await source.stats();
  const { vkey, origin } = await logKey(source, target, values, known, say);
  const remembered = known?.get(vkey);
  if (spec.cacheDir !== undefined) {
    const size = parseCheckpoint(
      parseNote(stats?.checkpoint ?? (await source.checkpoint())).text,
    ).treeSize;
    const bytes = await cacheEstimate(source, size);
    say(
      `keeping the downloaded tiles in ${spec.cacheDir}: about ${formatBytes(bytes)} for ${size.toLocaleString('en')} entries (--no-cache keeps none, --cache DIR puts them elsewhere)`,
    );
  }
  const started = Date.now();
  const r = { values, target, spec, source, vkey, known, say };
  const previous = remembered?.verified && {
    size: remembered.verified.size,
    root: Buffer.from(remembered.verified.root, 'base64'),
  };
  const verified = await verifyRounds(r, stats, previous);
  const seconds = (Date.now() - started) / 1000;
  const report = { origin, seconds, remembered: remembered?.verified?.size, ...verified };
  if (values.json === true) printJson(report);
  else printText(report);
  return verified.differences.length === 0 ? 0 : 1;
}

/**
 * Verifies the log, then its published figures. The statistics name the checkpoint they were
 * computed from, which is the one verified; the pages name their tree size. Pages of a newer
 * publication are read again with it.
 */
async function verifyRounds(
  r: Recount,
  firstStats: Stats | undefined,
  remembered: { size: number; root: Buffer } | undefined,
): Promise<Verified> {
  const { values, source, vkey, known, say } = r;
  const { quorum } = keysFrom(values);
  let stats = firstStats;
  let previous = remembered;
  for (let round = 1; ; round++) {
    const bar =
      values.json === true
        ? progressBar('', { isTTY: false } as NodeJS.WriteStream)
        : progressBar('verifying');
    let result: Verified['result'];
    try {
      // In a worker of bounded heap: the verifier's memory does not grow with the log.
      result = await verifyLogInWorker(
        r.spec,
        {
          logKeys: [vkey],
          witnesses: values.witness ?? [],
          quorum,
          previous,
          ...(stats?.checkpoint ? { checkpoint: stats.checkpoint } : {}),
        },
        bar.update,
      );
    } finally {
      bar.end();
    }
    for (const f of result.refetched ?? [])
      say(`the cached copy of ${f} was corrupt: fetched again from the log, it verifies`);
    const size = result.checkpoint.treeSize;
    previous = { size, root: Buffer.from(result.checkpoint.root) };
    if (known)
      await known.set(
        { vkey, verified: { size, root: encodeBase64(result.checkpoint.root) } },
        r.target,
      );
    const differences = stats ? statsDifferences(stats, result.totals, size) : [];
    if (!stats || !source.page) return { result, differences, stats };
    const pages = await checkPublished(source.page.bind(source), result.totals, size);
    differences.push(...pages.differences);
    if (pages.moved.length === 0) return { result, differences, stats };
    if (round === 3)
      throw new SourceError(
        `the pages ${pages.moved.join(', ')} never showed the verified publication (${size} entries) in ${round} tries: the registry publishes faster than this verifier reads; try again`,
      );
    say(`a new publication landed while verifying (${pages.moved.join(', ')}): once more`);
    stats = await source.stats();
  }
}

async function checkReceipt(
  values: Values,
  known: KnownLogs | undefined,
  say: (s: string) => void,
  json: boolean,
): Promise<number> {
  const log = values.log ? await sourceFor(values.log, values) : undefined;
  // The receipt code from the paper (entry number and salt) stands for the whole receipt, rebuilt
  // from the log: its entry, and a proof of inclusion in the log's checkpoint.
  const code = parseReceiptCode(values.receipt as string);
  let receipts: ReceiptFile[];
  if (code !== undefined) {
    if (!log) throw new CliError('a receipt code needs --log URL: the receipt is rebuilt from it');
    const checkpoint = await log.checkpoint();
    const treeSize = parseCheckpoint(parseNote(checkpoint).text).treeSize;
    const rebuilt = await receiptFromCode(code, readTilesOf(log), treeSize, checkpoint);
    if (rebuilt === undefined)
      throw new VerificationError('receipt', `the log has no entry ${code.index}`);
    receipts = [rebuilt];
  } else {
    let text: string;
    try {
      text = await readFile(values.receipt as string, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${values.receipt}: ${(e as Error).message}`);
    }
    receipts = parseReceipts(text);
  }
  const origin = parseCheckpoint(parseNote(receipts[0]?.checkpoint ?? '').text).origin;
  // With --log, the key of that log; without, the one log of this origin remembered, if only one.
  let vkey = values.vkey;
  if (!vkey && log && values.log) vkey = (await logKey(log, values.log, values, known, say)).vkey;
  vkey ??= known?.keyFor(origin, '', undefined);
  if (!vkey) throw new CliError(`no key is known for ${origin}: give --vkey or --log`);
  const claim =
    values.name === undefined
      ? undefined
      : {
          name: values.name,
          nameKind: values.alias ? ('alias' as const) : ('real' as const),
          ...(values.statement === undefined ? {} : { statement: values.statement }),
        };
  const results = [];
  for (const r of receipts) {
    results.push(
      await verifyReceipt(
        r,
        [verifierFromKey(vkey)],
        log ? tiledLog(log, readTilesOf(log)) : undefined,
      ),
    );
  }
  const claimed = claim && receipts.find((r) => commitsTo(r, claim));
  if (claim && claimed === undefined)
    throw new VerificationError('receipt', claimMismatch(receipts, claim));
  printReceipts(results, claim, claimed, log !== undefined, json);
  return 0;
}

async function failure(e: unknown, json: boolean): Promise<number> {
  // Every error thrown on purpose (a receipt's malformed checkpoint, a tile that does not verify,
  // an unreachable log) is one line; its exit code comes from its kind (src/errors).
  if (!(e instanceof TuidangError)) throw e;
  const where = e instanceof VerificationError ? e.where : undefined;
  // A bad tile must not stay in the cache, or every later run would fail on it again.
  if (where?.startsWith('tile/')) await lastSource?.forget?.(where).catch(() => {});
  const exit = outcomeOf(e).exit;
  if (json) console.log(JSON.stringify({ verified: false, where, error: e.message }, null, 2));
  else if (exit === 1) console.error(`VERIFICATION FAILED${where ? ' at' : ':'} ${e.message}`);
  else console.error(`tuidang verify: ${e.message}`);
  return exit;
}
