// The checkpoint's signatures, and the error of a log that is not what it claims. Apart from
// verify.ts, so that the browser's receipt check (src/web/client/verify.ts, through receipt.ts)
// bundles these and src/log only, none of the Node-only log readers.
import { TuidangError } from '../errors/index.ts';
import {
  LogError,
  type NoteVerifier,
  type OpenedCheckpoint,
  openCheckpoint,
} from '../log/index.ts';

/** The log is not what it claims: exit code 1. `where` names the checkpoint, tile or entry. */
export class VerificationError extends TuidangError<'verification-failed'> {
  override name = 'VerificationError';
  readonly where: string;
  /**
   * The files (tlog-tiles paths) the failure rests on: a verifier that read one of them from its
   * cache drops it and reads it again from the log before it blames the log.
   */
  readonly files: readonly string[];
  constructor(
    where: string,
    message: string,
    options?: { cause?: unknown; files?: readonly string[] },
  ) {
    super('verification-failed', `${where}: ${message}`, options);
    this.where = where;
    this.files = options?.files ?? [];
  }
}

export interface SignatureOptions {
  /** The log's verifier(s). */
  readonly logKeys: readonly NoteVerifier[];
  /** Witness verifiers, and how many of them must have cosigned. */
  readonly witnesses?: readonly NoteVerifier[];
  readonly quorum?: number;
}

/** Opens a checkpoint: a valid log signature, and at least `quorum` valid witness cosignatures. */
export function checkSignatures(
  note: string,
  opts: SignatureOptions,
): { checkpoint: OpenedCheckpoint; cosigners: string[] } {
  const witnesses = opts.witnesses ?? [];
  let checkpoint: OpenedCheckpoint;
  try {
    checkpoint = openCheckpoint(note, [...opts.logKeys, ...witnesses]);
  } catch (e) {
    throw new VerificationError('checkpoint', e instanceof LogError ? e.message : String(e));
  }
  const logNames = new Set(opts.logKeys.map((k) => `${k.name}/${k.keyId}`));
  const verified = checkpoint.note.verified;
  if (!verified.some((s) => logNames.has(`${s.name}/${s.keyId}`))) {
    throw new VerificationError('checkpoint', 'not signed by the log key');
  }
  const witnessIds = new Set(witnesses.map((k) => `${k.name}/${k.keyId}`));
  const cosigners = [
    ...new Set(verified.filter((s) => witnessIds.has(`${s.name}/${s.keyId}`)).map((s) => s.name)),
  ];
  if (cosigners.length < (opts.quorum ?? 0)) {
    throw new VerificationError(
      'checkpoint',
      `cosigned by ${cosigners.length} of the given witnesses, ${opts.quorum} required`,
    );
  }
  return { checkpoint, cosigners };
}
