// Verifying a declarant's receipt: its entry is in its checkpoint, signed by the log; and, given
// the log, that checkpoint is consistent with the log's current one (the entry is still there).
import {
  decodeBase64,
  hashLeaf,
  type NoteVerifier,
  type OpenedCheckpoint,
  proveConsistency,
  type ReadTiles,
  verifyConsistency,
  verifyInclusion,
} from '../log/index.ts';
import type { Receipt } from '../registry/index.ts';
import { commitment, decodeEntry } from '../registry/index.ts';
import type { LogSource } from './source.ts';
import { checkSignatures, VerificationError } from './verify.ts';

/** A receipt as the registry returns it (src/registry/receipt.ts). */
export type ReceiptFile = Receipt;

/** The receipts in a file: one receipt, or the API's `{ receipts: [...] }`. */
export function parseReceipts(text: string): ReceiptFile[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VerificationError('receipt', 'the file is not JSON');
  }
  const list = (json as { receipts?: unknown }).receipts ?? [json];
  if (!Array.isArray(list) || list.length === 0)
    throw new VerificationError('receipt', 'no receipt in the file');
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
      throw new VerificationError(
        'receipt',
        'a receipt needs index, entry, salt, treeSize, inclusionProof and checkpoint',
      );
  }
  return list as ReceiptFile[];
}

const bytes = (s: string, what: string) => {
  const b = decodeBase64(s);
  if (b === undefined) throw new VerificationError('receipt', `${what} is not base64`);
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
  const { checkpoint } = checkSignatures(r.checkpoint, { logKeys });
  if (checkpoint.treeSize !== r.treeSize)
    throw new VerificationError(
      'receipt',
      `treeSize ${r.treeSize} is not the checkpoint's (${checkpoint.treeSize})`,
    );
  const entry = bytes(r.entry, 'entry');
  try {
    verifyInclusion(
      r.index,
      r.treeSize,
      hashLeaf(entry),
      r.inclusionProof.map((p) => bytes(p, 'a proof hash')),
      checkpoint.root,
    );
  } catch (e) {
    throw new VerificationError(
      'receipt',
      `entry ${r.index} is not in the checkpoint: ${(e as Error).message}`,
    );
  }
  if (log === undefined) return { index: r.index, checkpoint };
  const { checkpoint: current } = checkSignatures(await log.checkpoint(), { logKeys });
  if (current.origin !== checkpoint.origin)
    throw new VerificationError(
      'log',
      `the log is ${current.origin}, the receipt is for ${checkpoint.origin}`,
    );
  if (current.treeSize < checkpoint.treeSize)
    return { index: r.index, checkpoint, awaitingPublication: current };
  try {
    const proof = await log.consistency(checkpoint.treeSize, current.treeSize);
    verifyConsistency(checkpoint.treeSize, current.treeSize, checkpoint.root, current.root, proof);
  } catch (e) {
    throw new VerificationError(
      'log',
      `the receipt's checkpoint is not consistent with the log's current one: ${(e as Error).message}`,
    );
  }
  return { index: r.index, checkpoint, current };
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
  return Buffer.compare(Buffer.from(e.commitment), Buffer.from(c)) === 0;
}
