// Commands that write to the log outside `tuidang serve` (import, admin): the store, signing key
// of the environment, and, with PostgreSQL, the sequencer's lock for the duration.

import { loadSignerKey, readConfig } from '../config/index.ts';
import { type NoteSigner, parseSignerKey, signerFromKey } from '../log/index.ts';
import {
  DATABASE_FILE,
  hasDatabase,
  openStore,
  type SequencerLock,
  type Store,
} from '../store/index.ts';
import { CliError } from './command.ts';

export interface LogAccess {
  readonly store: Store;
  readonly origin: string;
  readonly signer: NoteSigner;
  /** The signing key's seed, from which the site's other secrets derive. */
  readonly seed: Uint8Array;
}

export interface AccessOptions {
  /** Take the sequencer's lock (commands that append to the log); moderation need not. */
  readonly exclusive?: boolean;
  /**
   * Refuse to start a new registry (default): with SQLite, DATA_DIR must hold one already, so
   * that a mistyped DATA_DIR is an error instead of a new empty log with a new signing key.
   */
  readonly existing?: boolean;
}

export async function withLogWriter<T>(
  work: (access: LogAccess) => Promise<T>,
  { exclusive = true, existing = true }: AccessOptions = {},
): Promise<T> {
  const config = readConfig();
  if (
    existing &&
    config.databaseUrl === undefined &&
    config.dataDir !== ':memory:' &&
    !hasDatabase(config.dataDir)
  )
    throw new CliError(
      `there is no registry in ${config.dataDir} (no ${DATABASE_FILE}): set DATA_DIR to the registry's data directory, or DATABASE_URL`,
    );
  const { skey } = loadSignerKey(config);
  const key = parseSignerKey(skey);
  const store = openStore(config);
  let lock: SequencerLock | undefined;
  try {
    if (exclusive && store.shared) {
      lock = await store.cluster.lockSequencer();
      if (lock === undefined)
        throw new CliError(
          'a registry node is sequencing this log right now: stop the nodes, or try again',
        );
    }
    return await work({
      store,
      origin: key.name,
      signer: signerFromKey(skey),
      seed: key.key,
    });
  } finally {
    await lock?.release().catch(() => {});
    await store.close();
  }
}
