// `tuidang admin rotate-key`: a log keeps one key for life, so a key change (the key lost or
// stolen) ends the log and starts a new one under a new origin. This closes the old one: its
// entries, tiles and final checkpoint go to a mirror directory that any web server (or `tuidang
// serve --static`) serves for ever, so that its receipts keep verifying, and a new key is made for
// the new origin. It needs no signing key: the old one may be gone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../config/index.ts';
import {
  ENTRIES_LEVEL,
  encodeEntryBundle,
  generateKey,
  nodesAtLevel,
  parseEntryBundle,
  TILE_WIDTH,
  type Tile,
  tilePath,
} from '../log/index.ts';
import { hasDatabase, type LogStore, openStore, StoreError, writerBusy } from '../store/index.ts';
import { writeAtomically } from '../verify/index.ts';
import { CliError } from './command.ts';

export interface RotateOptions {
  readonly archive: string;
  readonly origin: string;
  readonly out: string;
}

export async function rotateKey(o: RotateOptions): Promise<number> {
  const config = readConfig();
  if (config.databaseUrl === undefined && !hasDatabase(config.dataDir))
    throw new CliError(`there is no registry in ${config.dataDir}: set DATA_DIR or DATABASE_URL`);
  if (o.origin === config.origin || /[\s+]/.test(o.origin))
    throw new CliError(
      `--origin must be a new origin (not "${config.origin}"), without spaces or "+"`,
    );
  const store = openStore(config);
  try {
    const lock = await store.cluster.lockSequencer();
    if (lock === undefined)
      throw new StoreError(
        'conflict',
        writerBusy(config.dataDir, 'stop tuidang serve (every node) first'),
      );
    try {
      const vkey = await store.verifierKey();
      const { treeSize, checkpoint } = await archiveLog(store, o.archive);
      if (vkey !== undefined) await writeAtomically(join(o.archive, 'vkey'), `${vkey}\n`);
      const key = generateKey(o.origin);
      try {
        writeFileSync(o.out, `${key.skey}\n`, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        throw new CliError(`cannot write ${o.out}: ${(e as Error).message}`);
      }
      console.log(
        `the old log (${treeSize.toLocaleString('en')} entries${vkey ? `, key ${vkey}` : ''}) is archived in ${o.archive}; its final checkpoint:\n\n${checkpoint}`,
      );
      console.log(
        `the new log's signing key is in ${o.out} (mode 0600); its verifier key: ${key.vkey}\n\nnext: serve ${o.archive} for ever (tuidang serve --static, or any web server), publish the final checkpoint above, and start the new log in a new DATA_DIR (or DATABASE_SCHEMA) with TUIDANG_ORIGIN=${o.origin} and TUIDANG_SIGNER_KEY_FILE=${o.out} (docs/operations.md, Disaster recovery)`,
      );
      return 0;
    } finally {
      await lock.release().catch(() => {});
    }
  } finally {
    await store.close();
  }
}

/**
 * Writes the store's log as a mirror directory (c2sp.org/tlog-tiles paths): every entry bundle
 * and hash tile at the store's tree size, then the checkpoint, last, as `tuidang mirror` does.
 */
async function archiveLog(
  store: LogStore,
  dir: string,
): Promise<{ treeSize: number; checkpoint: string }> {
  const { treeSize, checkpoint } = await store.state();
  if (checkpoint === undefined) throw new CliError('the log holds no checkpoint: nothing to close');
  // Level l holds the hashes of the complete subtrees of 256^l leaves; entry bundles follow level 0.
  for (let level = ENTRIES_LEVEL; ; level++) {
    const nodes = nodesAtLevel(treeSize, level);
    if (nodes === 0) break;
    for (let index = 0; index * TILE_WIDTH < nodes; index++) {
      const tile: Tile = { level, index, width: Math.min(TILE_WIDTH, nodes - index * TILE_WIDTH) };
      const [stored] = await store.readTiles([tile]);
      await writeAtomically(join(dir, tilePath(tile)), narrow(tile, stored as Uint8Array));
    }
  }
  await writeAtomically(join(dir, 'checkpoint'), checkpoint);
  return { treeSize, checkpoint };
}

/** A stored tile may be wider than the one of the final tree size. */
function narrow(t: Tile, data: Uint8Array): Uint8Array {
  if (t.level === ENTRIES_LEVEL) return encodeEntryBundle(parseEntryBundle(data).slice(0, t.width));
  return data.subarray(0, t.width * 32);
}
