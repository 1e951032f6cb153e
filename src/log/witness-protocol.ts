// C2SP tlog-witness (c2sp.org/tlog-witness) add-checkpoint request bodies: an old size line, up to
// 63 consistency proof lines, an empty line, then the signed checkpoint.
import { LogError } from './errors.ts';
import { HASH_SIZE } from './hash.ts';
import { decodeBase64, encodeBase64 } from './note.ts';

export const MAX_PROOF_LINES = 63;

export interface AddCheckpoint {
  readonly oldSize: number;
  readonly proof: Uint8Array[];
  /** The signed checkpoint, as a signed note. */
  readonly checkpoint: string;
}

export function formatAddCheckpoint(r: AddCheckpoint): string {
  return `old ${r.oldSize}\n${r.proof.map((h) => `${encodeBase64(h)}\n`).join('')}\n${r.checkpoint}`;
}

/** Parses a request body. Attacker-controlled: anything malformed is a `malformed-note` LogError. */
export function parseAddCheckpoint(body: string): AddCheckpoint {
  const bad = (why: string) =>
    new LogError('malformed-note', `malformed add-checkpoint request: ${why}`);
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw bad('no empty line before the checkpoint');
  const [oldLine = '', ...proofLines] = body.slice(0, blank).split('\n');
  const m = /^old (0|[1-9][0-9]*)$/.exec(oldLine);
  if (m === null) throw bad('the first line must be "old <size>"');
  const oldSize = Number(m[1]);
  if (!Number.isSafeInteger(oldSize)) throw bad('old size is too large');
  if (proofLines.length > MAX_PROOF_LINES) throw bad(`more than ${MAX_PROOF_LINES} proof lines`);
  const proof = proofLines.map((l) => {
    const h = decodeBase64(l);
    if (h === undefined || h.length !== HASH_SIZE)
      throw bad('a proof line is not base64 of a 32-byte hash');
    return h;
  });
  return { oldSize, proof, checkpoint: body.slice(blank + 2) };
}
