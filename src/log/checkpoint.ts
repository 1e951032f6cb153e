// C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the note text that commits to a tree head.
import { LogError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import {
  decodeBase64,
  encodeBase64,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
  openNote,
  signNote,
} from './note.ts';

export interface Checkpoint {
  /** Unique identifier of the log, e.g. `example.org/log`. */
  readonly origin: string;
  readonly treeSize: number;
  readonly root: Uint8Array;
  /** Optional extension lines (the spec does not recommend them; kept for round trips). */
  readonly extensions?: readonly string[];
}

export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin === '' || c.origin.includes('\n'))
    throw new LogError('malformed-checkpoint', 'checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(c.treeSize) || c.treeSize < 0)
    throw new LogError('malformed-checkpoint', `bad tree size ${c.treeSize}`);
  if (c.root.length !== HASH_SIZE)
    throw new LogError('malformed-checkpoint', 'checkpoint root must be 32 bytes');
  const ext = c.extensions ?? [];
  if (ext.some((l) => l === '' || l.includes('\n')))
    throw new LogError('malformed-checkpoint', 'extension lines must be non-empty single lines');
  return [c.origin, String(c.treeSize), encodeBase64(c.root), ...ext].map((l) => `${l}\n`).join('');
}

/**
 * Parses a checkpoint's note text (the part before the signatures). Attacker-controlled: rejects
 * everything tlog-checkpoint rejects, with a `malformed-checkpoint` LogError and nothing else.
 */
export function parseCheckpoint(text: string): Checkpoint {
  const bad = (why: string) => new LogError('malformed-checkpoint', `malformed checkpoint: ${why}`);
  if (!text.endsWith('\n')) throw bad('text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin = '', size = '', root = '', ...extensions] = lines;
  if (lines.length < 3) throw bad('fewer than three lines');
  if (origin === '') throw bad('empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(size))
    throw bad('tree size is not a decimal number without leading zeros');
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) throw bad('tree size is too large');
  const rootHash = decodeBase64(root);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE)
    throw bad('root hash is not base64 of 32 bytes');
  if (extensions.some((l) => l === '')) throw bad('empty extension line');
  return extensions.length === 0
    ? { origin, treeSize, root: rootHash }
    : { origin, treeSize, root: rootHash, extensions };
}

export function signCheckpoint(c: Checkpoint, signer: NoteSigner): string {
  return signNote(formatCheckpoint(c), [signer]);
}

export interface OpenedCheckpoint extends Checkpoint {
  readonly note: OpenedNote;
}

/**
 * Verifies a signed checkpoint with the log's key (and any witness keys given), then parses it.
 * `origin`, when given, must match: a checkpoint of another log is rejected.
 */
export function openCheckpoint(
  signed: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  origin?: string,
): OpenedCheckpoint {
  const note = openNote(signed, verifiers);
  const checkpoint = parseCheckpoint(note.text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new LogError(
      'malformed-checkpoint',
      `checkpoint is for origin ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(origin)}`,
    );
  }
  return { ...checkpoint, note };
}
