// Commands that write to the log outside `tuidang serve` (import, admin void, recover): the store,
// signing key (checked against the log's) and witnesses of the environment, and the sequencer's
// lock for the duration (SQLite: DATA_DIR's lock file, which a running serve holds; PostgreSQL:
// the advisory lock of the sequencing node).

import { checkLogOrigin, loadSignerKey, readConfig } from '../config/index.ts';
import {
  ED25519,
  ed25519PrivateKey,
  formatVerifierKey,
  type NoteSigner,
  parseSignerKey,
  rawPublicKey,
  signerFromKey,
} from '../log/index.ts';
import {
  checkLogKey,
  DATABASE_FILE,
  hasDatabase,
  openStore,
  type SequencerLock,
  type Store,
  StoreError,
  writerBusy,
} from '../store/index.ts';
import { CliError } from './command.ts';

export interface LogAccess {
  readonly store: Store;
  readonly origin: string;
  readonly signer: NoteSigner;
  /** The log's verifier key (checked against the one the store recorded). */
  readonly vkey: string;
  /** The signing key's seed, from which the site's other secrets derive. */
  readonly seed: Uint8Array;
}

export interface AccessOptions {
  /**
   * Take the sequencer's lock (commands that append to the log), refusing at once if it is held:
   * on SQLite, the lock of DATA_DIR that a running `serve` holds; on PostgreSQL, the advisory lock
   * of the sequencing node. Moderation and accounts need not: they do not touch the log, and the
   * database serialises their writes with the server's.
   */
  readonly exclusive?: boolean;
  /** What to do instead while the registry runs (said when the lock is held). */
  readonly whileServing?: string;
  /**
   * Refuse to start a new registry (default): with SQLite, DATA_DIR must hold one already, so
   * that a mistyped DATA_DIR is an error instead of a new empty log with a new signing key.
   */
  readonly existing?: boolean;
}

export async function withLogWriter<T>(
  work: (access: LogAccess) => Promise<T>,
  {
    exclusive = true,
    existing = true,
    whileServing = 'stop tuidang serve first, then run this again',
  }: AccessOptions = {},
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
    checkLogOrigin((await store.state()).checkpoint, key.name, config.originSource);
    if (exclusive) {
      lock = await store.cluster.lockSequencer();
      if (lock === undefined)
        throw new StoreError(
          'conflict',
          store.shared
            ? `a registry node is sequencing this log right now: ${whileServing} (on every node)`
            : writerBusy(config.dataDir, whileServing),
        );
    }
    const vkey = formatVerifierKey(key.name, ED25519, rawPublicKey(ed25519PrivateKey(key.key)));
    await checkLogKey(store, vkey);
    return await work({
      store,
      vkey,
      origin: key.name,
      signer: signerFromKey(skey),
      seed: key.key,
    });
  } finally {
    await lock?.release().catch(() => {});
    await store.close();
  }
}
