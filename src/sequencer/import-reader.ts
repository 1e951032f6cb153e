// The reading half of an import: the file's lines, validated and turned into log entries, in
// batches. It runs in a worker thread beside the thread that commits (src/sequencer/importer.ts).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
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
import { randomBytesFromPool } from './random.ts';

interface Line {
  readonly line: number;
  readonly record?: unknown;
  /** A problem found before validation (bad JSON, a malformed CSV row). */
  readonly error?: string;
  readonly raw: string;
}

async function* ndjsonLines(
  file: string,
  skip: number,
  progress: (n: number) => void,
): AsyncGenerator<Line> {
  const stream = createReadStream(file);
  stream.on('data', (chunk) => progress(chunk.length));
  let line = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (line <= skip) continue;
    if (raw.trim() === '') {
      yield { line, error: 'empty line', raw };
      continue;
    }
    try {
      yield { line, record: JSON.parse(raw), raw };
    } catch {
      yield { line, error: 'not valid JSON', raw };
    }
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

export interface Batch {
  readonly entries: Uint8Array[];
  /** For each entry: what to publish (consented, with a statement), or undefined. */
  readonly publications: Array<Omit<Publication, 'index'> | undefined>;
  readonly rejects: Array<{ line: number; text: string }>;
  /** The last line this batch completes. */
  readonly lastLine: number;
  readonly bytesRead: number;
}

export async function* readBatches(o: ReadOptions): AsyncGenerator<Batch> {
  let read = 0;
  const progress = (n: number) => {
    read += n;
  };
  const lines =
    o.format === 'csv' ? csvLines(o.file, o.skip, progress) : ndjsonLines(o.file, o.skip, progress);
  let entries: Uint8Array[] = [];
  let publications: Batch['publications'] = [];
  let rejects: Batch['rejects'] = [];
  let lastLine = o.skip;
  for await (const l of lines) {
    lastLine = l.line;
    try {
      if (l.error !== undefined) throw new RecordError(l.error);
      const r = parseImportRecord(l.record, o.today);
      const salt = randomBytesFromPool(SALT_SIZE);
      const d: DeclarationEntry = {
        kind: 'declaration',
        day: r.day,
        orgs: r.orgs,
        channel: 'import',
        region: r.region,
        commitment: commitment(salt, r.name ?? '', r.nameKind, r.statement),
      };
      entries.push(encodeEntry(d));
      publications.push(
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
      );
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      rejects.push({
        line: l.line,
        text: `${l.line}\t${e.message}\t${l.raw.slice(0, 500).replace(/[\t\n\r]/g, ' ')}\n`,
      });
    }
    if (entries.length + rejects.length >= o.batchSize) {
      yield { entries, publications, rejects, lastLine, bytesRead: read };
      entries = [];
      publications = [];
      rejects = [];
    }
  }
  yield { entries, publications, rejects, lastLine, bytesRead: read };
}
