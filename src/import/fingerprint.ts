// The fingerprint of an import's lines: SHA-256 of the input's bytes from its first line to the end
// of its line N, without line N's line break (LF or CRLF). A file whose last line had no line break
// and that grew since keeps the fingerprints of its beginning. Each import cursor records the
// fingerprint of the lines it committed; a resumed import checks the lines it passes over against
// it (chunks.ts), and a file with no cursor of its own is compared with the earlier imports that
// have one (identifyFile): a file that grew is then continued, not imported whole again.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FingerprintedImport } from '../store/index.ts';

const LF = 0x0a;
const CR = 0x0d;
const NONE = new Uint8Array(0);
const CR_ONLY = Uint8Array.of(CR);
const TERMINATORS = [NONE, Uint8Array.of(LF), Uint8Array.of(CR, LF)] as const;

/** A running fingerprint, fed the input's bytes in order. */
export class Fingerprint {
  readonly #hash = createHash('sha256');
  /** Bytes fed but not yet hashed: a line break that may end the lines so far, or a lone CR. */
  #held: Uint8Array = NONE;

  /**
   * The next bytes of the input. `whole`: they end at the end of a line (after its line break, or
   * at the end of the input), and the fingerprint may be read; otherwise they end inside a line.
   */
  add(bytes: Uint8Array, whole: boolean): void {
    if (bytes.length === 0) return;
    let b = bytes;
    if (this.#held.length > 0 && b.length < 2) {
      // A line break split between two reads: its CR held, its LF now.
      b = Buffer.concat([this.#held, b]);
      this.#held = NONE;
    }
    const n = b.length;
    const last = b[n - 1];
    const cut = whole
      ? last === LF
        ? n >= 2 && b[n - 2] === CR
          ? 2
          : 1
        : 0
      : last === CR
        ? 1
        : 0;
    this.#hash.update(this.#held);
    this.#hash.update(b.subarray(0, n - cut));
    this.#held = whole ? (TERMINATORS[cut] as Uint8Array) : cut === 1 ? CR_ONLY : NONE;
  }

  /** The input ended: a CR held back is part of its last line. */
  end(): void {
    if (this.#held === CR_ONLY) {
      this.#hash.update(this.#held);
      this.#held = NONE;
    }
  }

  /** Hex SHA-256 of the lines so far, without the last one's line break. */
  digest(): string {
    return this.#hash.copy().digest('hex');
  }
}

const READ_SIZE = 1 << 20;

/**
 * A file's identity, the SHA-256 of its content (a renamed copy is the same source), and the one
 * of `earlier` with the most lines whose fingerprint the file's first lines have: the import it
 * would continue, if it is a file that grew since that import.
 */
export async function identifyFile(
  file: string,
  earlier: readonly FingerprintedImport[],
): Promise<{ id: string; begins?: FingerprintedImport }> {
  const whole = createHash('sha256');
  const fingerprint = new Fingerprint();
  const wanted = [...earlier].sort((a, b) => a.line - b.line);
  let next = 0; // the first of `wanted` not yet compared
  let line = 0;
  let begins: FingerprintedImport | undefined;
  const compare = () => {
    const digest = fingerprint.digest();
    for (; next < wanted.length && (wanted[next] as FingerprintedImport).line === line; next++)
      if ((wanted[next] as FingerprintedImport).prefix === digest) begins = wanted[next];
  };
  let last = LF;
  for await (const read of createReadStream(file, { highWaterMark: READ_SIZE })) {
    const data = read as Buffer;
    whole.update(data);
    last = data[data.length - 1] ?? last;
    let hashed = 0; // bytes of this read in the fingerprint
    let scan = 0; // bytes of this read whose line breaks were counted
    while (next < wanted.length) {
      const lineEnd = data.indexOf(LF, scan);
      if (lineEnd < 0) break;
      line++;
      scan = lineEnd + 1;
      if ((wanted[next] as FingerprintedImport).line === line) {
        fingerprint.add(data.subarray(hashed, scan), true);
        hashed = scan;
        compare();
      }
    }
    if (next < wanted.length) fingerprint.add(data.subarray(hashed), false);
  }
  if (last !== LF && next < wanted.length) {
    // The last line, without its line break.
    line++;
    fingerprint.end();
    compare();
  }
  const id = `sha256:${whole.digest('hex')}`;
  return begins === undefined ? { id } : { id, begins };
}
