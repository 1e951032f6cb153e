// The reading half of an import: the file's lines, validated and turned into log entries, in
// batches. It runs in worker threads beside the thread that commits (src/import/importer.ts).
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import {
  commitment,
  type DeclarationEntry,
  encodeEntry,
  ownerTag,
  type Publication,
  parseImportRecord,
  RecordError,
  SALT_SIZE,
} from '../registry/index.ts';
import { randomBytesFromPool } from '../sequencer/index.ts';
import { type PackedBatch, packBatch, type Reject } from './batch.ts';

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
}

/** What one record becomes: its entry, and what to publish (consented, with a statement). */
interface Prepared {
  readonly declaration: DeclarationEntry;
  readonly entry: Uint8Array;
  readonly publication: Omit<Publication, 'index'> | undefined;
}

/** Validates records into entries, collecting a batch; rejects bad ones with line and reason. */
export class BatchBuilder {
  readonly #today: string;
  #prepared: Prepared[] = [];
  #rejects: Reject[] = [];

  constructor(today: string) {
    this.#today = today;
  }

  get size(): number {
    return this.#prepared.length + this.#rejects.length;
  }

  add(l: Line): void {
    try {
      if (l.error !== undefined) throw new RecordError(l.error);
      const r = parseImportRecord(l.record, this.#today);
      const salt = randomBytesFromPool(SALT_SIZE);
      const declaration: DeclarationEntry = {
        kind: 'declaration',
        day: r.day,
        orgs: r.orgs,
        channel: 'import',
        region: r.region,
        commitment: commitment(salt, r.name ?? '', r.nameKind, r.statement),
      };
      this.#prepared.push({
        declaration,
        entry: encodeEntry(declaration),
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

  /** The batch so far, packed for the writer; the builder starts a new one. */
  take(lastLine: number, bytesRead: number): PackedBatch {
    const batch = packBatch(this.#prepared, this.#rejects, lastLine, bytesRead);
    this.#prepared = [];
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
  for await (const l of lines) {
    lastLine = l.line;
    builder.add(l);
    if (builder.size >= o.batchSize) yield builder.take(lastLine, read);
  }
  yield builder.take(lastLine, read);
}

/**
 * The records of a chunk of NDJSON lines (whole lines, the first numbered `firstLine`), as one
 * batch. Blank lines and lines that are not JSON are rejected as the line reader does.
 */
export function prepareChunk(
  text: Uint8Array,
  firstLine: number,
  today: string,
  bytesRead: number,
): PackedBatch {
  const builder = new BatchBuilder(today);
  const lines = new TextDecoder().decode(text).split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the chunk ends with a line break
  let line = firstLine - 1;
  for (let raw of lines) {
    line++;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    builder.add(lineOf(line, raw));
  }
  return builder.take(line, bytesRead);
}
