// An NDJSON file cut into chunks of whole lines, `lines` lines each, for the workers to parse in
// parallel. Only line breaks are looked for here (a byte search): everything else about a record
// is the workers' job. Lines up to `skip` (committed by an earlier run) are passed over.
import { createReadStream } from 'node:fs';

export interface Chunk {
  /** Whole lines, each ended by a line break (but perhaps the file's last). */
  readonly text: Uint8Array;
  /** Number of the chunk's first line (the file's first line is 1). */
  readonly firstLine: number;
  readonly lines: number;
  /** Bytes of the file read up to the end of this chunk. */
  readonly bytesRead: number;
}

const READ_SIZE = 1 << 20;
const NEWLINE = 0x0a;

/** `input`: a file's path, or a stream of bytes (standard input). */
export async function* lineChunks(
  input: string | AsyncIterable<Buffer>,
  skip: number,
  lines: number,
): AsyncGenerator<Chunk> {
  const reads = (
    typeof input === 'string' ? createReadStream(input, { highWaterMark: READ_SIZE }) : input
  )[Symbol.asyncIterator]();
  try {
    let buf = Buffer.alloc(0); // the current chunk's lines so far, then what is not yet scanned
    let base = 0; // file offset of buf[0]
    let chunkStart = 0; // offset in buf where the current chunk begins
    let scan = 0; // offset in buf up to which line breaks have been found
    let line = 0; // lines seen so far
    let chunkFirst = 0;
    let chunkLines = 0;
    for (;;) {
      const read = await reads.next();
      const end = read.done === true;
      if (!end) {
        const data = read.value as Buffer;
        const kept = buf.length - chunkStart;
        const grown = Buffer.allocUnsafe(kept + data.length);
        buf.copy(grown, 0, chunkStart);
        data.copy(grown, kept);
        base += chunkStart;
        scan -= chunkStart;
        chunkStart = 0;
        buf = grown;
      }
      for (;;) {
        let lineEnd = buf.indexOf(NEWLINE, scan);
        if (lineEnd < 0) {
          if (!end || scan >= buf.length) break;
          lineEnd = buf.length - 1; // the file's last line, without a line break
        }
        line++;
        scan = lineEnd + 1;
        if (line <= skip) {
          chunkStart = scan;
          continue;
        }
        if (chunkLines === 0) chunkFirst = line;
        chunkLines++;
        if (chunkLines === lines) {
          yield chunk(buf, chunkStart, scan, chunkFirst, chunkLines, base);
          chunkStart = scan;
          chunkLines = 0;
        }
      }
      if (end) break;
    }
    if (chunkLines > 0) yield chunk(buf, chunkStart, scan, chunkFirst, chunkLines, base);
  } finally {
    await reads.return?.();
  }
}

function chunk(
  buf: Buffer,
  from: number,
  to: number,
  firstLine: number,
  lines: number,
  base: number,
): Chunk {
  // A copy in a buffer of its own, to be transferred to a worker.
  return { text: new Uint8Array(buf.subarray(from, to)), firstLine, lines, bytesRead: base + to };
}
