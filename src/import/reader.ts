// The reading half of an import: the file's lines, validated and turned into log entries, in
// batches. It runs in worker threads beside the thread that commits (src/import/importer.ts).
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import {
  commitment,
  dayNumber,
  ImportCount,
  ORGS,
  ownerTag,
  parseImportRecord,
  RecordError,
  regionByte,
  SALT_SIZE,
} from '../registry/index.ts';
import { randomBytesFromPool } from '../sequencer/index.ts';
import { type GeneralRecord, type PackedBatch, packBatch, type Reject } from './batch.ts';
import { FastRecords, fieldDay, fieldOrgs, fieldRegion, packFields } from './fast.ts';

interface Line {
  readonly line: number;
  readonly record?: unknown;
  /** A problem found before validation (bad JSON, a malformed CSV row). */
  readonly error?: string;
  readonly raw: string;
}

function lineOf(line: number, raw: string): Line {
  if (raw.trim() === '') return { line, error: 'empty line', raw };
  try {
    return { line, record: JSON.parse(raw), raw };
  } catch {
    return { line, error: 'not valid JSON', raw };
  }
}

async function* csvLines(
  file: string,
  skip: number,
  progress: (n: number) => void,
): AsyncGenerator<Line> {
  const stream = createReadStream(file);
  stream.on('data', (chunk) => progress(chunk.length));
  const skipped: Line[] = [];
  const parser = stream.pipe(
    parse({
      columns: true,
      bom: true,
      info: true,
      skip_records_with_error: true,
      trim: true,
      cast: false,
    }),
  );
  parser.on('skip', (err: Error & { lines?: number }) => {
    skipped.push({ line: err.lines ?? 0, error: `malformed CSV row: ${err.message}`, raw: '' });
  });
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    while (skipped.length > 0) {
      const s = skipped.shift() as Line;
      if (s.line > skip) yield s;
    }
    if (info.lines <= skip) continue;
    // Empty cells are absent fields; orgs may list several organisations in one cell.
    const clean = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ''));
    yield { line: info.lines, record: clean, raw: Object.values(record).join(',') };
  }
  for (const s of skipped) if (s.line > skip) yield s;
}

export interface ReadOptions {
  readonly file: string;
  readonly format: 'ndjson' | 'csv';
  /** Lines already committed by an earlier run: not read again. */
  readonly skip: number;
  readonly today: string;
  readonly batchSize: number;
  /** The log's size before the import: the index of the first entry. */
  readonly offset: number;
}

/**
 * Validates records into entries, collecting a batch; rejects bad ones with line and reason.
 * Records are kept as packed fields (day, organisations, region) and counted as they come; those
 * read by the general path also keep their commitment and what they publish.
 */
export class BatchBuilder {
  readonly #today: string;
  #fields = new Int32Array(1024);
  #n = 0;
  #general = new Map<number, GeneralRecord>();
  #rejects: Reject[] = [];
  readonly #count = new ImportCount();

  constructor(today: string) {
    this.#today = today;
  }

  get size(): number {
    return this.#n + this.#rejects.length;
  }

  /** A record read by the fast path: its packed fields (src/import/fast.ts). */
  addFields(f: number): void {
    if (this.#n === this.#fields.length) {
      const grown = new Int32Array(2 * this.#n);
      grown.set(this.#fields);
      this.#fields = grown;
    }
    this.#fields[this.#n++] = f;
    this.#count.add(fieldDay(f), fieldOrgs(f), fieldRegion(f));
  }

  /** A line for the general path: parsed already, or with the problem found reading it. */
  add(l: Line): void {
    try {
      if (l.error !== undefined) throw new RecordError(l.error);
      const r = parseImportRecord(l.record, this.#today);
      const salt = randomBytesFromPool(SALT_SIZE);
      let orgBits = 0;
      for (const o of r.orgs) orgBits |= 1 << ORGS.indexOf(o);
      const position = this.#n;
      this.addFields(packFields(dayNumber(r.day), orgBits, regionByte(r.region)));
      this.#general.set(position, {
        commitment: commitment(salt, r.name ?? '', r.nameKind, r.statement),
        publication:
          r.publish && r.name && r.statement
            ? {
                name: r.name,
                nameKind: r.nameKind,
                statement: r.statement,
                orgs: r.orgs,
                region: r.region,
                day: r.day,
                language: 'zh-Hans',
                ownerTag: ownerTag(salt),
              }
            : undefined,
      });
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      this.#rejects.push({
        line: l.line,
        text: `${l.line}\t${e.message}\t${l.raw.slice(0, 500).replace(/[\t\n\r]/g, ' ')}\n`,
      });
    }
  }

  /**
   * The batch so far, packed for the writer, expected at log index `offset`; the builder starts
   * a new one.
   */
  take(offset: number, lastLine: number, bytesRead: number): PackedBatch {
    const batch = packBatch(
      offset,
      this.#fields,
      this.#n,
      this.#general,
      this.#count.take(),
      this.#rejects,
      lastLine,
      bytesRead,
    );
    this.#n = 0;
    this.#general = new Map();
    this.#rejects = [];
    return batch;
  }
}

/** The batches of a whole CSV file, read in this thread (its rows may span lines). */
export async function* readBatches(o: ReadOptions): AsyncGenerator<PackedBatch> {
  let read = 0;
  const progress = (n: number) => {
    read += n;
  };
  const lines = csvLines(o.file, o.skip, progress);
  const builder = new BatchBuilder(o.today);
  let lastLine = o.skip;
  let offset = o.offset;
  for await (const l of lines) {
    lastLine = l.line;
    builder.add(l);
    if (builder.size >= o.batchSize) {
      const batch = builder.take(offset, lastLine, read);
      offset += batch.lengths.length;
      yield batch;
    }
  }
  yield builder.take(offset, lastLine, read);
}

const NEWLINE = 0x0a;
const CR = 0x0d;
// Lines read by the general path are decoded one by one: a byte order mark is dropped only at the
// start of a chunk, as when a chunk was decoded whole.
const firstLineDecoder = new TextDecoder();
const lineDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
let reading: { today: string; fast: FastRecords; builder: BatchBuilder } | undefined;

/**
 * The records of a chunk of NDJSON lines (whole lines, the first numbered `firstLine`), as one
 * batch, expected at log index `offset`. The common records are read from the bytes (src/import/fast.ts); any other line goes
 * through JSON.parse and parseImportRecord, and blank lines and lines that are not JSON are
 * rejected as the line reader does.
 */
export function prepareChunk(
  text: Uint8Array,
  firstLine: number,
  today: string,
  bytesRead: number,
  offset: number,
): PackedBatch {
  if (reading?.today !== today)
    reading = { today, fast: new FastRecords(today), builder: new BatchBuilder(today) };
  const { fast, builder } = reading;
  let line = firstLine - 1;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf(NEWLINE, start);
    const next = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    line++;
    if (end > start && text[end - 1] === CR) end--;
    const f = fast.parse(text, start, end);
    if (f >= 0) builder.addFields(f);
    else {
      const decoder = start === 0 ? firstLineDecoder : lineDecoder;
      builder.add(lineOf(line, decoder.decode(text.subarray(start, end))));
    }
    start = next;
  }
  return builder.take(offset, line, bytesRead);
}
