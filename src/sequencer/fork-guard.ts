// Never publish a smaller or different history than the world has seen. A database restored from
// an older backup holds the log up to some size M; witnesses, mirrors and verifiers may have seen
// it up to N > M. A registry that went on from M would sign a second history, which every one of
// them rejects for good. So before it sequences, the registry asks what the world has seen (each
// witness's latest size, c2sp.org/tlog-witness answers it in a 409; the operator's own mirror's
// checkpoint) and refuses to start when its log is behind or different, telling the operator to
// recover the tail (`tuidang recover`, src/sequencer/recover.ts) first.
import { TuidangError } from '../errors/index.ts';
import { equalBytes, formatAddCheckpoint, type ReadTiles, treeRoot } from '../log/index.ts';
import { reportFailure, type Telemetry } from './telemetry.ts';
import type { WitnessConfig } from './witnesses.ts';

/** A size (and perhaps the root) at which someone else has seen this log. */
export interface Sighting {
  readonly size: number;
  /** Known for a mirror's checkpoint; a witness's 409 tells only the size. */
  readonly root?: Uint8Array;
  /** Who saw it, for messages: "witness https://…", "mirror /srv/mirror". */
  readonly by: string;
}

/** The store's log is behind what the world has seen, or different: nothing may be published. */
export class ForkError extends TuidangError<'size-conflict'> {
  override name = 'ForkError';
  constructor(message: string) {
    super('size-conflict', message);
  }
}

/**
 * The size each witness last cosigned for this log, learnt by submitting `note` (the log's current
 * checkpoint) as if from size 0: a witness that has seen the log answers 409 with its latest size
 * (tlog-witness §add-checkpoint); one that has not cosigns it, which is true. A witness that does
 * not answer is left out: a witness that is down never stops the registry.
 */
export async function witnessSightings(
  witnesses: readonly WitnessConfig[],
  note: string,
  size: number,
  timeoutMs = 5000,
): Promise<Sighting[]> {
  const answers = await Promise.all(
    witnesses.map(async (w): Promise<Sighting | undefined> => {
      try {
        const res = await fetch(`${w.url}/add-checkpoint`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: note }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        if (res.status === 200) return { size, by: `witness ${w.url}` };
        if (res.status === 409 && /^\d{1,16}\n$/.test(text))
          return { size: Number(text.trim()), by: `witness ${w.url}` };
      } catch {
        // unreachable: it says nothing about the log
      }
      return undefined;
    }),
  );
  return answers.filter((a) => a !== undefined);
}

/**
 * Throws {@link ForkError} if anyone has seen the log at a size beyond `treeSize`, or at a size
 * within it with another root than the stored tree's.
 */
export async function refuseFork(
  readTiles: ReadTiles,
  treeSize: number,
  sightings: readonly Sighting[],
): Promise<void> {
  const ahead = sightings.filter((s) => s.size > treeSize).sort((a, b) => b.size - a.size)[0];
  if (ahead !== undefined)
    throw new ForkError(
      `${ahead.by} has seen this log at tree size ${ahead.size}, but this database holds only ${treeSize} entries: it was restored from an older copy, and going on would fork the log for good. Nothing was signed or published. Run tuidang recover --from <a mirror or peer> to bring back the missing entries (docs/operations.md, Disaster recovery), then start again`,
    );
  for (const s of sightings) {
    if (s.root === undefined) continue;
    if (!equalBytes(await treeRoot(readTiles, s.size), s.root))
      throw new ForkError(
        `${s.by} holds another history of this log at tree size ${s.size} than this database: the log was forked. Nothing was signed or published; see docs/operations.md, Disaster recovery`,
      );
  }
}

/**
 * A witness answered that it has cosigned a larger tree than the checkpoint just committed: the
 * database holds less than the world has seen (a restore while the registry ran, or a second
 * registry with this key). Said loudly, counted (`tuidang_write_failures_total{stage="fork"}`);
 * that witness cosigns nothing more until the log catches up.
 */
export function reportWitnessAhead(
  t: Telemetry,
  url: string,
  witnessSize: number,
  treeSize: number,
): void {
  reportFailure(
    t,
    'fork',
    `witness ${url} has cosigned this log at tree size ${witnessSize}, beyond this registry's ${treeSize}`,
    new ForkError('the database holds less than the world has seen'),
    'stop the registry and run tuidang recover --from <a mirror> (docs/operations.md, Disaster recovery)',
    { witness: url },
  );
}
