// Recovering the tail of a log from a copy: after a restore from an older backup, the database
// holds the log up to some size M while the world (mirrors, witnesses, verifiers, receipts) has
// seen it up to N > M. Publishing from M would fork the log for good. But the public entry bundles
// are the log: the tail M…N-1 read from any mirror or peer, checked against the larger checkpoint
// (which this log's own key signed), restores exactly the history the world saw, so that receipts
// given before the loss verify again and witnesses cosign again.
//
// What the public log does not hold cannot come back: the statements and names consented to for
// publication in that tail, and the idempotency records of its requests.
import { TuidangError } from '../errors/index.ts';
import {
  ENTRIES_LEVEL,
  equalBytes,
  integrate,
  openCheckpoint,
  parseEntryBundle,
  TILE_WIDTH,
  type Tile,
  treeRoot,
  verifierFromKey,
} from '../log/index.ts';
import {
  addEntry,
  cloneTotals,
  type DeclarationEntry,
  decodeEntry,
  type Entry,
} from '../registry/index.ts';
import type { LogStore } from '../store/index.ts';

/** Where the tail comes from: a mirror directory, a mirror or registry over HTTP. */
export interface TailSource {
  readonly description: string;
  /** The copy's signed checkpoint. Attacker-controlled until verified. */
  checkpoint(): Promise<string>;
  /** An entry bundle at exactly the given width. Attacker-controlled until verified. */
  tile(t: Tile): Promise<Uint8Array>;
}

export interface Recovered {
  /** The store's tree size before, and after. */
  readonly from: number;
  readonly to: number;
  /** Void entries among the recovered ones. */
  readonly voids: number;
}

/** The copy does not hold this log's history (another log, another key, a fork): nothing written. */
export class RecoverError extends TuidangError<'verification-failed'> {
  override name = 'RecoverError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('verification-failed', message, options);
  }
}

/**
 * Appends to `store` the entries that `source`'s checkpoint holds beyond the store's tree size, in
 * one commit whose checkpoint is the source's own (signed by `vkey`), after checking that they
 * rebuild exactly that checkpoint's root on top of the stored tree. The whole tail is held in
 * memory (about 100 bytes an entry). Needs the store's writer: the caller holds the lock.
 */
export async function recoverTail(
  store: LogStore,
  source: TailSource,
  vkey: string,
): Promise<Recovered> {
  const note = await source.checkpoint();
  const verifier = verifierFromKey(vkey);
  let remote: ReturnType<typeof openCheckpoint>;
  try {
    remote = openCheckpoint(note, [verifier], verifier.name);
  } catch (e) {
    throw new RecoverError(
      `the checkpoint of ${source.description} is not signed by this log's key ${vkey}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const state = await store.state();
  const from = state.treeSize;
  const to = remote.treeSize;
  if (to <= from) {
    // Nothing to recover; but a copy that disagrees on the history they share is a fork.
    const root = await treeRoot(store.readTiles, to);
    if (!equalBytes(root, remote.root))
      throw new RecoverError(
        `${source.description} holds another history of this log at tree size ${to}: the log was forked`,
      );
    return { from, to: from, voids: 0 };
  }

  const entries: Uint8Array[] = [];
  for (let k = Math.floor(from / TILE_WIDTH); k * TILE_WIDTH < to; k++) {
    const width = Math.min(TILE_WIDTH, to - k * TILE_WIDTH);
    const bundle = parseEntryBundle(await source.tile({ level: ENTRIES_LEVEL, index: k, width }));
    if (bundle.length !== width)
      throw new RecoverError(`entry bundle ${k} of ${source.description} has the wrong width`);
    entries.push(...bundle.slice(Math.max(0, from - k * TILE_WIDTH)));
  }
  // The tail must extend the stored tree to the very root the log's key signed: this proves both
  // that the entries are the log's and that the stored prefix is the history the world saw.
  const result = await integrate(store.readTiles, from, entries);
  if (result.treeSize !== to || !equalBytes(result.root, remote.root))
    throw new RecoverError(
      `the entries of ${source.description} do not rebuild its checkpoint on top of this database's ${from} entries: the database and the copy hold different histories (a fork), or the copy is damaged`,
    );

  const totals = cloneTotals(state.totals);
  const decoded: Entry[] = entries.map((b) => decodeEntry(b));
  const voided: number[] = [];
  for (const e of decoded) {
    if (e.kind === 'void') {
      const target = await declarationAt(store, decoded, from, e.target);
      addEntry(totals, e, target);
      voided.push(e.target);
    } else addEntry(totals, e);
  }
  await store.commit({
    oldSize: from,
    newSize: to,
    tiles: result.tiles,
    checkpoint: note,
    totals,
    voided,
  });
  return { from, to, voids: voided.length };
}

/** The declaration at `index`: in the recovered tail, or read from the store. */
async function declarationAt(
  store: LogStore,
  tail: readonly Entry[],
  from: number,
  index: number,
): Promise<DeclarationEntry> {
  let e: Entry | undefined;
  if (index >= from) e = tail[index - from];
  else {
    const k = Math.floor(index / TILE_WIDTH);
    const width = Math.min(TILE_WIDTH, from - k * TILE_WIDTH);
    const [bundle] = await store.readTiles([{ level: ENTRIES_LEVEL, index: k, width }]);
    const raw = parseEntryBundle(bundle as Uint8Array)[index % TILE_WIDTH];
    e = raw && decodeEntry(raw);
  }
  if (e?.kind !== 'declaration')
    throw new RecoverError(`a recovered void entry names entry ${index}, which is no declaration`);
  return e;
}
