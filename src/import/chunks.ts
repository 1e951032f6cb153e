// An NDJSON file cut into chunks of whole lines, `lines` lines each, for the workers to parse in
// parallel. Only line breaks are looked for here (a byte search): everything else about a record
// is the workers' job. Lines up to `skip` (committed by an earlier run) are passed over.
//
// Each chunk carries the fingerprint of the input up to its end (fingerprint.ts), which the import
// records with its progress. A resumed import checks that the lines it passes over have the
// fingerprint recorded: another stream fed under the same name is refused before anything is
// imported, instead of having its first lines skipped. An input that ends inside a line (its last
// line has no line break and is not a whole record: the input was cut off) stops before that line,
// which is neither imported nor rejected: fed again complete, the input resumes with it.
import { createReadStream } from 'node:fs';
import { TuidangError } from '../errors/index.ts';
import { Fingerprint } from './fingerprint.ts';

export interface Chunk {
  /** Whole lines, each ended by a line break (but perhaps the file's last). */
  readonly text: Uint8Array;
  /** Number of the chunk's first line (the file's first line is 1). */
  readonly firstLine: number;
  readonly lines: number;
  /** Bytes of the file read up to the end of this chunk. */
  readonly bytesRead: number;
  /** The fingerprint of lines 1 to this chunk's last (hex SHA-256). */
  readonly prefix: string;
}

/** What a resumed import expects of the lines it passes over. */
export interface Skip {
  /** Lines committed by an earlier run. */
  readonly lines: number;
  /** Their fingerprint, if the earlier run recorded one. */
  readonly prefix?: string;
  /** How the input is named in a refusal ("standard input (history)", a file's path). */
  readonly name: string;
  /**
   * The input is a file resumed under its own content's name: if it has fewer lines than were
   * committed under that name, it was imported whole (a file that continued it moved its cursor
   * on), and there is nothing to import.
   */
  readonly sameContent?: boolean;
}

const READ_SIZE = 1 << 20;
const NEWLINE = 0x0a;

/** How the input ended: its number of whole lines, and the number of a last line cut off. */
export interface ChunksEnd {
  readonly lines: number;
  readonly cutOff?: number;
}

/** `input`: a file's path, or a stream of bytes (standard input). */
export async function* lineChunks(
  input: string | AsyncIterable<Buffer>,
  passed: Skip,
  lines: number,
): AsyncGenerator<Chunk, ChunksEnd> {
  const reads = (
    typeof input === 'string' ? createReadStream(input, { highWaterMark: READ_SIZE }) : input
  )[Symbol.asyncIterator]();
  const skip = passed.lines;
  const fingerprint = new Fingerprint();
  let cutOff: number | undefined;
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
        // While lines are passed over, buf begins with those not yet fingerprinted.
        if (line < skip) fingerprint.add(buf.subarray(0, chunkStart), true);
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
          // The input's last line, without a line break: a record, or what was cut off.
          if (cutShort(buf.subarray(scan))) {
            cutOff = line + 1;
            break;
          }
          lineEnd = buf.length - 1;
        }
        line++;
        scan = lineEnd + 1;
        if (line <= skip) {
          chunkStart = scan;
          if (line === skip) {
            fingerprint.add(buf.subarray(0, scan), true);
            checkPassed(fingerprint, passed);
          }
          continue;
        }
        if (chunkLines === 0) chunkFirst = line;
        chunkLines++;
        if (chunkLines === lines) {
          yield chunk(fingerprint, buf, chunkStart, scan, chunkFirst, chunkLines, base);
          chunkStart = scan;
          chunkLines = 0;
        }
      }
      if (end) break;
    }
    if (line < skip && passed.sameContent !== true)
      throw new TuidangError(
        'config',
        `${passed.name} has ${lineCount(line)}${cutOff === undefined ? '' : ` and part of one`}, fewer than the ${lineCount(skip)} imported under its name before, so nothing was imported. If it was cut off, feed it again complete; if it is another input, give it a name of its own`,
      );
    if (chunkLines > 0)
      yield chunk(fingerprint, buf, chunkStart, scan, chunkFirst, chunkLines, base);
    return cutOff === undefined ? { lines: line } : { lines: line, cutOff };
  } finally {
    await reads.return?.();
  }
}

/** "1 line", "2 lines", "1,000 records": a count for the import's messages. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}

const lineCount = (n: number) => count(n, 'line');

/** A last line without a line break that is not a whole JSON value (blank lines are lines). */
function cutShort(text: Uint8Array): boolean {
  const line = Buffer.from(text.buffer, text.byteOffset, text.length).toString('utf8');
  if (line.trim() === '') return false;
  try {
    JSON.parse(line);
    return false;
  } catch {
    return true;
  }
}

/** Refuses an input whose lines passed over are not those an earlier run imported. */
function checkPassed(fingerprint: Fingerprint, passed: Skip): void {
  if (passed.prefix === undefined) return;
  if (fingerprint.digest() !== passed.prefix)
    throw new TuidangError(
      'config',
      `${passed.name} does not begin with the ${lineCount(passed.lines)} imported under its name before, so nothing was imported. If it is another input, give it a name of its own; if it is the same records written differently, importing it under another name would count them twice`,
    );
}

function chunk(
  fingerprint: Fingerprint,
  buf: Buffer,
  from: number,
  to: number,
  firstLine: number,
  lines: number,
  base: number,
): Chunk {
  // A copy in a buffer of its own, to be transferred to a worker.
  const text = new Uint8Array(buf.subarray(from, to));
  fingerprint.add(text, true);
  const prefix = fingerprint.digest();
  return { text, firstLine, lines, bytesRead: base + to, prefix };
}
