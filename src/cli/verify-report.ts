// What `tuidang verify` prints: the recount's report (as text or JSON), and why a receipt does
// not commit to the name given.
import { headline } from '../registry/index.ts';
import {
  type Claim,
  commitsTo,
  type Difference,
  type LogSource,
  type ReceiptFile,
  type verifyLogInWorker,
  type verifyReceipt,
} from '../verify/index.ts';

/** The statistics a registry publishes (/api/v1/stats). */
export type Stats = NonNullable<Awaited<ReturnType<LogSource['stats']>>>;

/** A log verified, and how its published figures compare with the recount. */
export interface Verified {
  readonly result: Awaited<ReturnType<typeof verifyLogInWorker>>;
  readonly differences: Difference[];
  /** The statistics the registry published (undefined for a mirror). */
  readonly stats: Stats | undefined;
}

export interface Report extends Verified {
  readonly origin: string;
  readonly seconds: number;
  /** The size of the checkpoint verified before, if one was remembered. */
  readonly remembered: number | undefined;
}

export function printJson({ origin, result, differences }: Report): void {
  const { checkpoint, cosigners, totals } = result;
  console.log(
    JSON.stringify(
      {
        verified: differences.length === 0,
        origin,
        treeSize: checkpoint.treeSize,
        cosigners,
        totals,
        differences,
      },
      null,
      2,
    ),
  );
}

export function printText({
  origin,
  seconds,
  remembered,
  result,
  differences,
  stats,
}: Report): void {
  const total = headline(result.totals);
  console.log(
    `${origin}: ${result.checkpoint.treeSize.toLocaleString('en')} entries verified up to the signed root in ${seconds.toFixed(1)} s`,
  );
  if (result.cosigners.length > 0) console.log(`cosigned by: ${result.cosigners.join(', ')}`);
  if (remembered !== undefined)
    console.log(
      `consistent with the checkpoint verified before (size ${remembered.toLocaleString('en')})`,
    );
  console.log(
    `recounted: ${total.toLocaleString('en')} declarants (${result.totals.registered.declarants.toLocaleString('en')} registered here, ${result.totals.imported.declarants.toLocaleString('en')} imported history)`,
  );
  if (stats && differences.length === 0)
    console.log(
      "the registry's published totals match the recount exactly: /api/v1/stats, and every figure of its home and statistics pages and stats.csv in each language",
    );
  if (differences.length > 0) {
    console.log("\nthe registry's published figures differ from the recount:\n");
    const width = Math.max(40, ...differences.map(([k]) => k.length));
    console.log(
      `${'figure'.padEnd(width)} ${'published'.padStart(12)} ${'recounted'.padStart(12)}`,
    );
    for (const [k, a, b] of differences)
      console.log(`${k.padEnd(width)} ${a.padStart(12)} ${b.padStart(12)}`);
  }
}

/** What a receipt check prints: each receipt's checkpoint, and the claim it commits to. */
export function printReceipts(
  results: readonly Awaited<ReturnType<typeof verifyReceipt>>[],
  claim: Claim | undefined,
  claimed: ReceiptFile | undefined,
  withLog: boolean,
  json: boolean,
): void {
  if (json) {
    console.log(
      JSON.stringify(
        {
          verified: true,
          receipts: results.map((r) => ({
            index: r.index,
            treeSize: r.checkpoint.treeSize,
            consistentWith: r.current?.treeSize ?? null,
            publishedTreeSize: (r.current ?? r.awaitingPublication)?.treeSize ?? null,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const r of results) {
      console.log(
        `entry ${r.index} is in checkpoint ${r.checkpoint.treeSize} of ${r.checkpoint.origin}, signed by the log${r.current ? `, and still in the log's current checkpoint (${r.current.treeSize})` : ''}`,
      );
      if (r.awaitingPublication)
        console.log(
          `the public log is still at its last publication (${r.awaitingPublication.treeSize} entries): the registry publishes on a fixed schedule, and entry ${r.index} appears in the public log at the next publication; check again then`,
        );
    }
    if (claimed)
      console.log(
        `entry ${claimed.index} commits to the name${claim?.statement === undefined ? ' (and to no statement)' : ' and statement'} given`,
      );
    if (!withLog) console.log('give --log URL to check that the log still holds it');
  }
}

/**
 * Why no receipt commits to the name (and statement) given, saying which field to change: the
 * commitment covers the name, whether it is an alias, and the statement (empty when there was none).
 */
export function claimMismatch(receipts: readonly ReceiptFile[], claim: Claim): string {
  const other: Claim['nameKind'] = claim.nameKind === 'real' ? 'alias' : 'real';
  const tries: Array<[Claim, (index: number) => string]> = [
    [
      { ...claim, nameKind: other },
      (i) =>
        `entry ${i} commits to this name as ${other === 'alias' ? 'an alias: add --alias' : 'a real name: leave out --alias'}`,
    ],
  ];
  if (claim.statement !== undefined) {
    for (const nameKind of [claim.nameKind, other])
      tries.push([
        { name: claim.name, nameKind },
        (i) =>
          `entry ${i} commits to this name with no statement: leave out --statement${nameKind === claim.nameKind ? '' : nameKind === 'alias' ? ' and add --alias' : ' and --alias'}`,
      ]);
  }
  for (const [variant, say] of tries) {
    const r = receipts.find((x) => commitsTo(x, variant));
    if (r) return say(r.index);
  }
  return claim.statement === undefined
    ? 'no entry of this receipt commits to this name alone: either the name is not exactly as declared, or the declaration had a statement, which is then needed too: give it exactly as written with --statement'
    : 'no entry of this receipt commits to this name and statement: both must be exactly as declared (with --alias if the name was an alias)';
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(0)} MiB`;
  return `${Math.ceil(n / 2 ** 10)} KiB`;
}
