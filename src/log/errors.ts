import { TuidangError } from '../errors/index.ts';

/**
 * One error type for everything `src/log/` rejects. Callers switch on `code`, never on the message;
 * the message says what was wrong in words an operator can act on.
 */
export type LogErrorCode =
  | 'malformed-note' // signed-note syntax (c2sp.org/signed-note)
  | 'malformed-checkpoint' // checkpoint body (c2sp.org/tlog-checkpoint)
  | 'malformed-key' // verifier or signer key encoding
  | 'bad-signature' // a signature from a known key failed to verify
  | 'no-trusted-signature' // no signature from a known key
  | 'malformed-tile' // tile or entry bundle bytes, or a tile path
  | 'bad-proof' // inclusion or consistency proof does not verify
  | 'out-of-range'; // an index or size outside the tree

export class LogError extends TuidangError<LogErrorCode> {
  constructor(code: LogErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'LogError';
  }
}
