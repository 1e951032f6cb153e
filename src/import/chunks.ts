// An NDJSON file cut into chunks of whole lines, `lines` lines each, for the workers to parse in
// parallel. Only line breaks are looked for here (a byte search): everything else about a record
// is the workers' job. Lines up to `skip` (committed by an earlier run) are passed over.
//
// Each chunk carries the fingerprint of the input up to its end: the SHA-256 of its lines from the
// first, each with its line break (one is added to a last line without one, so a file that grows
// keeps the fingerprints of its beginning). An import records it with its progress; a resumed
// import checks that the lines it passes over have the fingerprint recorded, so that another
// stream fed under the same name is refused instead of having its first lines skipped unread.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TuidangError } from '../errors/index.ts';

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
}

const READ_SIZE = 1 << 20;
const NEWLINE = 0x0a;

/** `input`: a file's path, or a stream of bytes (standard input). */
export async function* lineChunks(
  input: string | AsyncIterable<Buffer>,
  passed: Skip,
  lines: number,
): AsyncGenerator<Chunk> {
  const reads = (
    typeof input === 'string' ? createReadStream(input, { highWaterMark: READ_SIZE }) : input
  )[Symbol.asyncIterator]();
  const skip = passed.lines;
  const fingerprint = createHash('sha256');
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
        if (line < skip) fingerprint.update(buf.subarray(0, chunkStart));
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
          if (line === skip) {
            hashLines(fingerprint, buf.subarray(0, scan));
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
    if (line < skip)
      throw new TuidangError(
        'config',
        `${passed.name} has ${line.toLocaleString('en')} lines, fewer than the ${skip.toLocaleString('en')} imported under its name before: it is not the input imported then (give another input another --source name)`,
      );
    if (chunkLines > 0)
      yield chunk(fingerprint, buf, chunkStart, scan, chunkFirst, chunkLines, base);
  } finally {
    await reads.return?.();
  }
}

const LINE_BREAK = Buffer.from([NEWLINE]);

/** Whole lines into the fingerprint, a line break added to a last line that has none. */
function hashLines(fingerprint: Hash, lines: Uint8Array): void {
  fingerprint.update(lines);
  if (lines.length > 0 && lines[lines.length - 1] !== NEWLINE) fingerprint.update(LINE_BREAK);
}

/** Refuses an input whose lines passed over are not those an earlier run imported. */
function checkPassed(fingerprint: Hash, passed: Skip): void {
  if (passed.prefix === undefined) return;
  if (fingerprint.copy().digest('hex') !== passed.prefix)
    throw new TuidangError(
      'config',
      `${passed.name} does not begin with the ${passed.lines.toLocaleString('en')} lines imported under its name before, so nothing was imported: it is another input (give it another --source name), or the one imported then was changed since`,
    );
}

function chunk(
  fingerprint: Hash,
  buf: Buffer,
  from: number,
  to: number,
  firstLine: number,
  lines: number,
  base: number,
): Chunk {
  // A copy in a buffer of its own, to be transferred to a worker.
  const text = new Uint8Array(buf.subarray(from, to));
  hashLines(fingerprint, text);
  const prefix = fingerprint.copy().digest('hex');
  return { text, firstLine, lines, bytesRead: base + to, prefix };
}

/** An import recorded with its fingerprint (src/store, `fingerprintedImports`). */
export interface Fingerprinted {
  readonly source: string;
  readonly line: number;
  readonly prefix: string;
}

/**
 * A file's identity, the SHA-256 of its content (a renamed copy is the same source), and the one
 * of `earlier` with the most lines whose fingerprint the file's first lines have: the import it
 * continues, if the file grew (or was cut short and grew again) since that import.
 */
export async function identifyFile(
  file: string,
  earlier: readonly Fingerprinted[],
): Promise<{ id: string; continues?: Fingerprinted }> {
  const whole = createHash('sha256');
  const fingerprint = createHash('sha256');
  const wanted = [...earlier].sort((a, b) => a.line - b.line);
  let next = 0; // the first of `wanted` not yet compared
  let line = 0;
  let continues: Fingerprinted | undefined;
  const compare = () => {
    const digest = fingerprint.copy().digest('hex');
    for (; next < wanted.length && (wanted[next] as Fingerprinted).line === line; next++)
      if ((wanted[next] as Fingerprinted).prefix === digest) continues = wanted[next];
  };
  let last = NEWLINE;
  for await (const read of createReadStream(file, { highWaterMark: READ_SIZE })) {
    const data = read as Buffer;
    whole.update(data);
    last = data[data.length - 1] ?? last;
    let hashed = 0; // bytes of this read in the fingerprint
    let scan = 0; // bytes of this read whose line breaks were counted
    while (next < wanted.length) {
      const lineEnd = data.indexOf(NEWLINE, scan);
      if (lineEnd < 0) break;
      line++;
      scan = lineEnd + 1;
      if ((wanted[next] as Fingerprinted).line === line) {
        fingerprint.update(data.subarray(hashed, scan));
        hashed = scan;
        compare();
      }
    }
    if (next < wanted.length) fingerprint.update(data.subarray(hashed));
  }
  if (last !== NEWLINE && next < wanted.length) {
    // The last line, without its line break.
    line++;
    fingerprint.update(LINE_BREAK);
    compare();
  }
  const id = `sha256:${whole.digest('hex')}`;
  return continues === undefined ? { id } : { id, continues };
}
