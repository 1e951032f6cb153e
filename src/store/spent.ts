// Single-use tokens are stored as a hash of their kind and value: the ledger says only whether a
// token was spent, and a token of one kind never spends one of another.
import { createHash } from 'node:crypto';

export function spentTokenHash(kind: string, token: string): Buffer {
  return createHash('sha256').update(`tuidang/spent/v1\n${kind}\n${token}`).digest();
}
