// One key per log. A log's verifier key (its origin and public key) is what every verifier,
// mirror and witness remembers: a log that went on under another key would fail all of them, and
// whoever holds a second key could sign a second history. So the store records the key at the
// first start and every command that signs checks it before signing anything.
import { TuidangError } from '../errors/index.ts';
import { openNote, parseVerifierKey, verifierFromKey } from '../log/index.ts';
import type { LogStore } from './store.ts';

/** The signing key given is not the log's: nothing was signed. Exit code 2 (a setting to fix). */
export class LogKeyError extends TuidangError<'config'> {
  override name = 'LogKeyError';
  /** The verifier key the log is signed with, when the store recorded it. */
  readonly expected: string | undefined;
  constructor(message: string, expected: string | undefined) {
    super('config', message);
    this.expected = expected;
  }
}

const WHAT_TO_DO =
  "Give the log's own signing key (restore log.key from its offline backup, or set TUIDANG_SIGNER_KEY or TUIDANG_SIGNER_KEY_FILE to it). If that key is lost or stolen, this log cannot go on: start a new one with tuidang admin rotate-key (docs/operations.md, Disaster recovery).";

/**
 * Checks that `vkey` (the verifier key of the signing key at hand) is the log's, and records it if
 * the store knows none yet. A store that holds a log from before keys were recorded must hold a
 * checkpoint that `vkey` signed. Throws {@link LogKeyError} otherwise.
 */
export async function checkLogKey(store: LogStore, vkey: string): Promise<void> {
  let known = await store.verifierKey();
  if (known === undefined) {
    const { checkpoint, treeSize } = await store.state();
    if (checkpoint !== undefined && !signedBy(checkpoint, vkey))
      throw new LogKeyError(
        `the log in this store (${treeSize} entries) was not signed by the key given (${vkey}): its checkpoint names ${signerOf(checkpoint)}. ${WHAT_TO_DO}`,
        undefined,
      );
    known = await store.pinVerifierKey(vkey);
  }
  if (known !== vkey) {
    const was = parseVerifierKey(known).name;
    const now = parseVerifierKey(vkey).name;
    throw new LogKeyError(
      `this log is signed by the key ${known}, but the signing key given is ${vkey}${was === now ? '' : ` (origin "${now}" instead of "${was}")`}: a log keeps one key and one origin for life, and nothing was signed. ${WHAT_TO_DO}`,
      known,
    );
  }
}

function signedBy(note: string, vkey: string): boolean {
  try {
    openNote(note, [verifierFromKey(vkey)]);
    return true;
  } catch {
    return false;
  }
}

/** The signature lines' key names, for a message ("a key named registry.example/log"). */
function signerOf(note: string): string {
  const names = [...note.matchAll(/^\u2014 (\S+) /gmu)].map((m) => m[1]);
  return names.length === 0 ? 'no signature' : `a key named ${names.join(', ')}`;
}
