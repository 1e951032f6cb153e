// What the world has seen of this log, asked at start (src/sequencer/fork-guard.ts says why): the
// witnesses' latest sizes and the checkpoint of the operator's mirror (TUIDANG_MIRROR).
import type { Logger } from 'pino';
import { ConfigError } from '../config/index.ts';
import {
  EMPTY_ROOT,
  type NoteSigner,
  openCheckpoint,
  signCheckpoint,
  verifierFromKey,
} from '../log/index.ts';
import {
  refuseFork,
  type Sighting,
  type WitnessesOptions,
  witnessSightings,
} from '../sequencer/index.ts';
import type { LogStore } from '../store/index.ts';
import { DirSource, HttpSource, type LogSource } from '../verify/index.ts';

export interface WorldOptions {
  readonly origin: string;
  readonly vkey: string;
  readonly signer: NoteSigner;
  readonly witnesses: WitnessesOptions | undefined;
  /** A mirror or peer of this log: a URL or a directory (TUIDANG_MIRROR). */
  readonly mirror: string | undefined;
  readonly logger: Logger;
}

/**
 * Throws a ForkError, before anything is signed, if a witness or the mirror has seen this log
 * beyond the store's tree size or with another history. A witness or mirror that cannot be
 * reached is logged and left out: it never stops the registry.
 */
export async function checkWorld(store: LogStore, o: WorldOptions): Promise<void> {
  const state = await store.state();
  const sightings: Sighting[] = [];
  if (o.witnesses !== undefined && o.witnesses.witnesses.length > 0) {
    // An empty store has no checkpoint yet: the empty tree's is as good a question.
    const note =
      state.checkpoint ??
      signCheckpoint({ origin: o.origin, treeSize: 0, root: EMPTY_ROOT }, o.signer);
    sightings.push(
      ...(await witnessSightings(
        o.witnesses.witnesses,
        note,
        state.treeSize,
        Math.max(1000, o.witnesses.timeoutMs),
      )),
    );
  }
  if (o.mirror !== undefined) {
    const mirror = await mirrorSighting(o.mirror, o.vkey, o.logger);
    if (mirror !== undefined) sightings.push(mirror);
  }
  try {
    await refuseFork(store.readTiles, state.treeSize, sightings);
  } catch (e) {
    o.logger.fatal({ stage: 'fork' }, (e as Error).message);
    throw e;
  }
}

async function mirrorSighting(
  where: string,
  vkey: string,
  logger: Logger,
): Promise<Sighting | undefined> {
  let note: string;
  try {
    const source: LogSource = /^https?:\/\//.test(where)
      ? await HttpSource.resolve(where)
      : new DirSource(where);
    note = await source.checkpoint();
  } catch (e) {
    logger.warn(
      { stage: 'fork' },
      `TUIDANG_MIRROR=${where} cannot be read (${(e as Error).message}): starting without knowing the size it has seen`,
    );
    return undefined;
  }
  try {
    const verifier = verifierFromKey(vkey);
    const c = openCheckpoint(note, [verifier], verifier.name);
    return { size: c.treeSize, root: c.root, by: `the mirror ${where}` };
  } catch (e) {
    throw new ConfigError(
      `TUIDANG_MIRROR=${where} holds no checkpoint of this log signed by its key (${(e as Error).message}): give a mirror of this log`,
    );
  }
}
