// Verifying a declarant's receipt: its entry is in its checkpoint, signed by the log; and, given
// the log, that checkpoint is consistent with the log's current one (the entry is still there).
import {
  decodeBase64,
  ENTRIES_LEVEL,
  encodeBase64,
  equalBytes,
  hashLeaf,
  type NoteVerifier,
  type OpenedCheckpoint,
  parseEntryBundle,
  proveConsistency,
  proveInclusion,
  type ReadTiles,
  TILE_WIDTH,
  tileAt,
  verifyConsistency,
  verifyInclusion,
} from '../log/index.ts';
import type { Receipt } from '../registry/index.ts';
import {
  commitment,
  dayOutsideWindow,
  decodeEntry,
  EntryFormatError,
  type ReceiptCode,
  utcDay,
} from '../registry/index.ts';
import { checkSignatures, VerificationError } from './signatures.ts';
import type { LogSource } from './source.ts';

/** A receipt as the registry returns it (src/registry/receipt.ts). */
export type ReceiptFile = Receipt;

/**
 * What is wrong with a receipt, for messages in a person's language (the browser check and the
 * pages show these, never the English detail).
 */
export type ReceiptProblem =
  /** Not a receipt at all: not JSON, a field missing, not base64. */
  | 'malformed'
  /** The checkpoint is not signed by the log's key. */
  | 'not-signed'
  /** The entry is not in the receipt's own checkpoint (altered entry, index or proof). */
  | 'not-included'
  /** The receipt is from another log than the one it is checked against. */
  | 'other-log'
  /** The log's current checkpoint does not contain the receipt's: the log changed its history. */
  | 'inconsistent';

export class ReceiptError extends VerificationError {
  readonly problem: ReceiptProblem;
  constructor(where: string, problem: ReceiptProblem, message: string) {
    super(where, message);
    this.problem = problem;
  }
}

/** The receipts in a file: one receipt, or the API's `{ receipts: [...] }`. */
export function parseReceipts(text: string): ReceiptFile[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ReceiptError('receipt', 'malformed', 'the file is not JSON');
  }
  const list = (json as { receipts?: unknown } | null)?.receipts ?? [json];
  if (!Array.isArray(list) || list.length === 0)
    throw new ReceiptError('receipt', 'malformed', 'no receipt in the file');
  for (const r of list as ReceiptFile[]) {
    const ok =
      typeof r === 'object' &&
      r !== null &&
      Number.isSafeInteger(r.index) &&
      Number.isSafeInteger(r.treeSize) &&
      typeof r.entry === 'string' &&
      typeof r.salt === 'string' &&
      typeof r.checkpoint === 'string' &&
      Array.isArray(r.inclusionProof);
    if (!ok)
      throw new ReceiptError(
        'receipt',
        'malformed',
        'a receipt needs index, entry, salt, treeSize, inclusionProof and checkpoint',
      );
  }
  return list as ReceiptFile[];
}

const bytes = (s: string, what: string) => {
  const b = decodeBase64(s);
  if (b === undefined) throw new ReceiptError('receipt', 'malformed', `${what} is not base64`);
  return b;
};

export interface ReceiptResult {
  readonly index: number;
  readonly checkpoint: OpenedCheckpoint;
  /** The current checkpoint the receipt's was proved consistent with, if a log was given. */
  readonly current?: OpenedCheckpoint;
  /**
   * The log's published checkpoint, when it is older than the receipt's: the registry publishes
   * on a fixed schedule (timing privacy), and the entry appears in the public log at the next
   * publication. The receipt itself checked out against its own signed checkpoint.
   */
  readonly awaitingPublication?: OpenedCheckpoint;
}

/** The current state of a log, as a receipt check needs it. */
export interface ReceiptLog {
  /** The log's current signed checkpoint. */
  checkpoint(): Promise<string>;
  /** A consistency proof between two tree sizes (unverified: it is checked against both roots). */
  consistency(from: number, to: number): Promise<Uint8Array[]>;
}

/** A log read from its tiles (the CLI: a registry or a mirror). */
export function tiledLog(source: LogSource, readTiles: ReadTiles): ReceiptLog {
  return {
    checkpoint: () => source.checkpoint(),
    consistency: (from, to) => proveConsistency(readTiles, from, to),
  };
}

/**
 * Checks a receipt: signed by the log, its entry in its checkpoint; and, given the log, that
 * checkpoint consistent with the log's current one. The CLI and the browser both run this.
 */
export async function verifyReceipt(
  r: ReceiptFile,
  logKeys: readonly NoteVerifier[],
  log?: ReceiptLog,
): Promise<ReceiptResult> {
  const { checkpoint } = signed(r.checkpoint, logKeys, 'receipt');
  if (checkpoint.treeSize !== r.treeSize)
    throw new ReceiptError(
      'receipt',
      'not-included',
      `treeSize ${r.treeSize} is not the checkpoint's (${checkpoint.treeSize})`,
    );
  const entry = bytes(r.entry, 'entry');
  // Decoded before the proof is checked: a hash that is not base64 is a receipt cut or mangled in
  // copying (malformed), not a proof of another entry.
  const proof = r.inclusionProof.map((p) => bytes(p, 'a proof hash'));
  try {
    verifyInclusion(r.index, r.treeSize, hashLeaf(entry), proof, checkpoint.root);
  } catch (e) {
    throw new ReceiptError(
      'receipt',
      'not-included',
      `entry ${r.index} is not in the checkpoint: ${(e as Error).message}`,
    );
  }
  // An entry the log should never have signed: malformed, or dated outside the day window.
  try {
    const outside = dayOutsideWindow(decodeEntry(entry).day, utcDay(new Date()));
    if (outside !== undefined) throw new EntryFormatError(outside);
  } catch (e) {
    throw new ReceiptError('receipt', 'malformed', `entry ${r.index}: ${(e as Error).message}`);
  }
  if (log === undefined) return { index: r.index, checkpoint };
  const { checkpoint: current } = signed(await log.checkpoint(), logKeys, 'log');
  if (current.origin !== checkpoint.origin)
    throw new ReceiptError(
      'log',
      'other-log',
      `the log is ${current.origin}, the receipt is for ${checkpoint.origin}`,
    );
  // Never compare with an older checkpoint as if it were the log's last word: the entry is proved
  // in the receipt's own signed checkpoint, and the log shows it from its next publication on.
  if (current.treeSize < checkpoint.treeSize)
    return { index: r.index, checkpoint, awaitingPublication: current };
  try {
    const proof = await log.consistency(checkpoint.treeSize, current.treeSize);
    verifyConsistency(checkpoint.treeSize, current.treeSize, checkpoint.root, current.root, proof);
  } catch (e) {
    throw new ReceiptError(
      'log',
      'inconsistent',
      `the receipt's checkpoint is not consistent with the log's current one: ${(e as Error).message}`,
    );
  }
  return { index: r.index, checkpoint, current };
}

/**
 * The whole receipt for a receipt code (entry number and salt), rebuilt from a log: the entry from
 * its bundle, a proof of inclusion in the given checkpoint. Undefined if the log has no such entry.
 */
export async function receiptFromCode(
  code: ReceiptCode,
  readTiles: ReadTiles,
  treeSize: number,
  checkpoint: string,
): Promise<ReceiptFile | undefined> {
  if (code.index >= treeSize) return undefined;
  const tile = tileAt(treeSize, ENTRIES_LEVEL, Math.floor(code.index / TILE_WIDTH));
  const [bundle] = await readTiles([tile]);
  const entry = bundle && parseEntryBundle(bundle)[code.index % TILE_WIDTH];
  if (entry === undefined) return undefined;
  return {
    index: code.index,
    entry: encodeBase64(entry),
    salt: encodeBase64(code.salt),
    treeSize,
    inclusionProof: (await proveInclusion(readTiles, treeSize, code.index)).map(encodeBase64),
    checkpoint,
  };
}

/** Signature check of a checkpoint, with the problem named for a person. */
function signed(note: string, logKeys: readonly NoteVerifier[], where: string) {
  try {
    return checkSignatures(note, { logKeys });
  } catch (e) {
    throw new ReceiptError(where, 'not-signed', (e as Error).message);
  }
}

export interface Claim {
  readonly name: string;
  readonly nameKind: 'real' | 'alias';
  readonly statement?: string | undefined;
}

/** Whether the receipt's entry commits to this name (and statement): the declarant's proof. */
export function commitsTo(r: ReceiptFile, claim: Claim): boolean {
  const e = decodeEntry(bytes(r.entry, 'entry'));
  if (e.kind !== 'declaration') return false;
  const c = commitment(bytes(r.salt, 'salt'), claim.name, claim.nameKind, claim.statement);
  return equalBytes(e.commitment, c);
}
