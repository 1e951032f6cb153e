// An incremental mirror: a directory any static file server can serve at the same paths. New
// tiles are copied in first; the new checkpoint is published (atomically) only after the copy
// verified completely and is consistent with the checkpoint the mirror had before.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseCheckpoint, parseNote } from '../log/index.ts';
import { DirSource, HttpSource, type LogSource, writeAtomically } from './source.ts';
import { type VerifyOptions, type VerifyResult, verifyLog } from './verify.ts';

export interface MirrorResult extends VerifyResult {
  readonly previousSize: number;
  /** SHA-256 (hex) of the verifier copied beside the log, if the log serves one. */
  readonly verifierSha256: string | undefined;
}

/** The single-file verifier a registry serves beside its log, copied by every mirror. */
export const VERIFIER_FILE = 'tuidang-verify.mjs';

export async function mirror(
  url: string,
  dir: string,
  opts: Omit<VerifyOptions, 'previous' | 'checkpoint'>,
): Promise<MirrorResult> {
  const remote = await HttpSource.resolve(url, { cacheDir: dir, cachePartial: true });
  const local = new DirSource(dir);
  let previous: VerifyOptions['previous'];
  try {
    const c = parseCheckpoint(parseNote(await local.checkpoint()).text);
    previous = { size: c.treeSize, root: c.root };
  } catch {
    previous = undefined; // a new mirror
  }
  const note = await remote.checkpoint();
  // Reading through the remote source fills the directory; the checkpoint file is not touched.
  const result = await verifyLog(remote as LogSource, { ...opts, previous, checkpoint: note });
  const vkey = await remote.vkey();
  if (vkey) await writeAtomically(join(dir, 'vkey'), `${vkey}\n`);
  // The verifier is code, not log data: it is copied as served, and its checksum printed so that
  // the mirror's operator can compare it with the one built from the source.
  const verifier = await remote.file(VERIFIER_FILE);
  if (verifier) await writeAtomically(join(dir, VERIFIER_FILE), verifier);
  await writeAtomically(join(dir, 'checkpoint'), result.note);
  return {
    ...result,
    previousSize: previous?.size ?? 0,
    verifierSha256: verifier && createHash('sha256').update(verifier).digest('hex'),
  };
}
