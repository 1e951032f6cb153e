// Turning a validated submission into log entries, and entries plus salts into receipts.
import { encodeBase64, type NodeCache, proveInclusion, type ReadTiles } from '../log/index.ts';
import {
  commitment,
  type DeclarationEntry,
  encodeEntry,
  ownerTag,
  type Publication,
  type Receipt,
  SALT_SIZE,
  type Submission,
  utcDay,
} from '../registry/index.ts';
import { randomBytesFromPool } from './random.ts';

export interface Prepared {
  readonly entries: Uint8Array[];
  readonly salts: Uint8Array[];
  readonly declarations: DeclarationEntry[];
  /** For each declarant who consented to publication and wrote a statement: what to show. */
  readonly publications: Array<Omit<Publication, 'index'> | undefined>;
}

/**
 * Entries for the declarants of a submission, each with a fresh salt. A family declaring together
 * gets no group id (docs/log-format.md): each member has a receipt of their own, and a public id
 * tying their entries together would only tell the world the size and day of a household.
 */
export function prepare(s: Submission, now: Date): Prepared {
  const day = utcDay(now);
  const n = s.declarants.length;
  // One draw from the random source per submission.
  const random = randomBytesFromPool(SALT_SIZE * n);
  const salts: Uint8Array[] = [];
  const declarations = s.declarants.map((d, i): DeclarationEntry => {
    const salt = new Uint8Array(random.subarray(i * SALT_SIZE, (i + 1) * SALT_SIZE));
    salts.push(salt);
    return {
      kind: 'declaration',
      day,
      orgs: d.orgs,
      channel: s.channel,
      region: d.region,
      commitment: commitment(salt, d.name, d.nameKind, d.statement),
    };
  });
  const publications = s.declarants.map((d, i) =>
    d.publish && d.statement
      ? {
          name: d.name,
          nameKind: d.nameKind,
          statement: d.statement,
          orgs: d.orgs,
          region: d.region,
          day,
          language: s.language,
          ownerTag: ownerTag(salts[i] as Uint8Array),
        }
      : undefined,
  );
  return { entries: declarations.map(encodeEntry), salts, declarations, publications };
}

/** The publications of a request, with the indexes its entries received. */
export function withIndexes(p: Prepared, indexes: readonly number[]): Publication[] {
  return p.publications.flatMap((pub, i) => (pub ? [{ ...pub, index: indexes[i] as number }] : []));
}

/** What a receipt holds besides its proof: sealed for idempotent retries. */
export interface ReceiptCore {
  readonly index: number;
  readonly entry: string;
  readonly salt: string;
}

export function receiptCores(
  entries: readonly Uint8Array[],
  salts: readonly Uint8Array[],
  indexes: readonly number[],
): ReceiptCore[] {
  return entries.map((e, i) => ({
    index: indexes[i] as number,
    entry: encodeBase64(e),
    salt: encodeBase64(salts[i] as Uint8Array),
  }));
}

/** Receipts with inclusion proofs at `treeSize`; `cache` shares subtree hashes across a batch. */
export function receipts(
  readTiles: ReadTiles,
  treeSize: number,
  checkpoint: string,
  cores: readonly ReceiptCore[],
  cache: NodeCache = new Map(),
): Promise<Receipt[]> {
  return Promise.all(
    cores.map(async ({ index, entry, salt }) => ({
      index,
      entry,
      salt,
      treeSize,
      inclusionProof: (await proveInclusion(readTiles, treeSize, index, cache)).map(encodeBase64),
      checkpoint,
    })),
  );
}
