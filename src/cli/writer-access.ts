// Commands that write to the log outside `tuidang serve` (import, admin): the store, signing key
// and witnesses of the environment, and, with PostgreSQL, the sequencer's lock for the duration.
import { type NoteSigner, parseSignerKey, signerFromKey } from '../log/index.ts';
import type { WitnessesOptions } from '../sequencer/witnesses.ts';
import { loadSignerKey, readConfig } from '../server/config.ts';
import { openStore, PostgresStore, type Store } from '../store/index.ts';
import { SEQUENCER_LOCK } from '../store/postgres.ts';
import { CliError } from './command.ts';

export interface LogAccess {
  readonly store: Store;
  readonly origin: string;
  readonly signer: NoteSigner;
  readonly witnesses: WitnessesOptions | undefined;
}

/** `exclusive`: take the sequencer's lock (commands that append to the log); moderation need not. */
export async function withLogWriter<T>(
  work: (access: LogAccess) => Promise<T>,
  exclusive = true,
): Promise<T> {
  const config = readConfig();
  const { skey } = loadSignerKey(config);
  const store = openStore(config);
  let lock: Awaited<ReturnType<PostgresStore['dedicatedClient']>> | undefined;
  try {
    if (exclusive && store instanceof PostgresStore) {
      lock = await store.dedicatedClient();
      const { rows } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        SEQUENCER_LOCK,
      ]);
      if (!rows[0]?.ok)
        throw new CliError(
          'a registry node is sequencing this log right now: stop the nodes, or try again',
        );
    }
    return await work({
      store,
      origin: parseSignerKey(skey).name,
      signer: signerFromKey(skey),
      witnesses: config.witnesses,
    });
  } finally {
    await lock?.end().catch(() => {});
    await store.close();
  }
}
