// Checking a receipt without JavaScript, and erasing the publication of the person it names: the
// receipt comes in a POST body (never in an address), as its text or as the code from the paper.
import { decodeBase64, proveConsistency, verifierFromKey } from '../../log/index.ts';
import {
  decodeEntry,
  formatReceiptCode,
  type Org,
  ownerTag,
  parseReceiptCode,
  type ReceiptCode,
  recordNumber,
  SALT_SIZE,
} from '../../registry/index.ts';
import type { PublicLog } from '../../sequencer/index.ts';
import type { SiteStore } from '../../store/index.ts';
import {
  parseReceipts,
  ReceiptError,
  type ReceiptFile,
  type ReceiptLog,
  receiptFromCode,
  verifyReceipt,
} from '../../verify/index.ts';
import type { CheckAnswer, EraseTarget, I18n } from '../../web/index.ts';

export interface ReceiptDeps {
  /** The log as published: a receipt is checked against what the world can see. */
  readonly published: PublicLog;
  /** The log's verifier key. */
  readonly vkey: string;
}

/** What a person pasted: receipts (their text), a receipt code, or neither. */
export function readReceiptInput(
  text: string,
): { receipts: ReceiptFile[] } | { code: ReceiptCode } | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return { receipts: parseReceipts(trimmed) };
    } catch {
      return undefined;
    }
  }
  const code = parseReceiptCode(trimmed);
  return code && { code };
}

const PROBLEM = {
  malformed: 'check.malformed',
  'not-signed': 'check.notSigned',
  'not-included': 'check.notIncluded',
  'other-log': 'check.otherLog',
  inconsistent: 'check.inconsistent',
} as const;

/** The registry's own check of a receipt: in its signed checkpoint, consistent with the latest. */
export async function checkReceiptInput(
  { published, vkey }: ReceiptDeps,
  t: I18n,
  text: string,
): Promise<CheckAnswer> {
  const input = readReceiptInput(text);
  if (input === undefined) return { ok: false, message: t.m['check.malformed'] };
  const state = await published.state();
  if (state.checkpoint === undefined) return { ok: false, message: t.m['check.notIncluded'] };
  const latest = state.checkpoint;
  const log: ReceiptLog = {
    checkpoint: async () => latest,
    consistency: (from, to) => proveConsistency(published.readTiles, from, to),
  };
  let receipt: ReceiptFile | undefined;
  if ('code' in input) {
    // A code holds no signed checkpoint: an entry the public log does not show yet cannot be
    // checked, only expected at the next publication.
    if (input.code.index >= state.treeSize)
      return { ok: false, message: t.m['check.notYet'](t.number(recordNumber(input.code.index))) };
    receipt = await receiptFromCode(input.code, published.readTiles, state.treeSize, latest);
    if (receipt === undefined) return { ok: false, message: t.m['check.notIncluded'] };
  } else receipt = input.receipts[0] as ReceiptFile;
  try {
    const result = await verifyReceipt(receipt, [verifierFromKey(vkey)], log);
    return {
      ok: true,
      index: result.index,
      signedAt: result.checkpoint.treeSize,
      latest: result.current?.treeSize,
      origin: result.checkpoint.origin,
      fromCode: 'code' in input,
    };
  } catch (e) {
    if (e instanceof ReceiptError) return { ok: false, message: t.m[PROBLEM[e.problem]] };
    throw e;
  }
}

/** The entry and salt of each receipt pasted (one person, or each of a family's file). */
function codesOf(input: NonNullable<ReturnType<typeof readReceiptInput>>): ReceiptCode[] {
  if ('code' in input) return [input.code];
  return input.receipts.flatMap((r) => {
    const salt = decodeBase64(r.salt);
    return salt && salt.length === SALT_SIZE ? [{ index: r.index, salt }] : [];
  });
}

/**
 * What the confirmation page shows for each receipt pasted: the entry (from the log) and the name
 * and statement its salt owns, public or waiting for review. Anyone can type an entry number with
 * a made-up salt (the check group is no secret), so the text is looked up by owner tag: a made-up
 * salt finds nothing, and the page tells nobody whether an entry has a publication (which would
 * narrow each published statement to the few entries that have one).
 */
export async function eraseTargets(
  log: PublicLog,
  site: SiteStore,
  text: string,
): Promise<EraseTarget[] | undefined> {
  const input = readReceiptInput(text);
  if (input === undefined) return undefined;
  const { treeSize, checkpoint } = await log.state();
  const targets: EraseTarget[] = [];
  for (const code of codesOf(input)) {
    const rebuilt =
      checkpoint === undefined
        ? undefined
        : await receiptFromCode(code, log.readTiles, treeSize, checkpoint);
    const entry = rebuilt && decodeEntry(decodeBase64(rebuilt.entry) ?? new Uint8Array());
    const owner = ownerTag(code.salt);
    const mine = async (status: 'approved' | 'pending') =>
      (await site.publications({ owner, status, before: code.index + 1, limit: 1 })).find(
        (p) => p.index === code.index,
      );
    const published = (await mine('approved')) ?? (await mine('pending'));
    targets.push({
      index: code.index,
      code: formatReceiptCode(code.index, code.salt),
      day: entry?.day,
      orgs: entry?.kind === 'declaration' ? (entry.orgs as readonly Org[]) : undefined,
      published: published && { name: published.name, statement: published.statement },
    });
  }
  return targets.length > 0 ? targets : undefined;
}

/** Erases the publication of the receipt code's entry if the code's salt proves it is theirs. */
export async function eraseByCode(
  site: SiteStore,
  text: string,
): Promise<{ index: number; erased: boolean } | undefined> {
  const code = parseReceiptCode(text);
  if (code === undefined) return undefined;
  return {
    index: code.index,
    erased: await site.erasePublication(code.index, ownerTag(code.salt)),
  };
}
