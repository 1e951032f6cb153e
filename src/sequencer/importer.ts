// Importing historical records as `import` entries with their original day. Streams the file in
// constant memory, commits in batches, and records in each commit the last line it completes, so
// that an interrupted import resumes after it and a repeated one adds nothing. Bad records go to
// a reject file with their line number and the reason, written only once their batch committed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { NoteSigner } from '../log/index.ts';
import {
  commitment,
  type DeclarationEntry,
  encodeEntry,
  ownerTag,
  type Publication,
  parseImportRecord,
  RecordError,
  SALT_SIZE,
  utcDay,
} from '../registry/index.ts';
import type { Store } from '../store/index.ts';
import { randomBytesFromPool } from './random.ts';
import type { WitnessesOptions } from './witnesses.ts';
import { LogWriter } from './writer.ts';

export interface ImportOptions {
  readonly store: Store;
  readonly origin: string;
  readonly signer: NoteSigner;
  readonly witnesses?: WitnessesOptions | undefined;
  readonly file: string;
  /** `ndjson` (one JSON object a line) or `csv` (a header row with the same field names). */
  readonly format: 'ndjson' | 'csv';
  readonly rejectsPath: string;
  readonly batchSize?: number;
  /** Records cannot be dated after this day (default: today, UTC). */
  readonly today?: string;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface ImportSummary {
  readonly source: string;
  readonly lines: number;
  readonly imported: number;
  readonly rejected: number;
  /** Lines committed by an earlier run of the same file, not read again. */
  readonly alreadyImported: number;
  readonly treeSize: number;
}

interface Line {
  readonly line: number;
  readonly record?: unknown;
  /** A problem found before validation (bad JSON, a malformed CSV row). */
  readonly error?: string;
  readonly raw: string;
}

/** The file's identity: the SHA-256 of its content (a renamed copy is the same source). */
async function sourceId(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
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

export async function importFile(opts: ImportOptions): Promise<ImportSummary> {
  const { store } = opts;
  const total = (await stat(opts.file)).size;
  const source = await sourceId(opts.file);
  const cursor = await store.importCursor(source);
  const writer = new LogWriter(store, opts.origin, opts.signer, opts.witnesses);
  await writer.reload();
  const today = opts.today ?? utcDay(new Date());
  const batchSize = opts.batchSize ?? 16384;
  let read = 0;
  const progress = (n: number) => {
    read += n;
    opts.onProgress?.(read, total);
  };
  const lines =
    opts.format === 'csv'
      ? csvLines(opts.file, cursor, progress)
      : ndjsonLines(opts.file, cursor, progress);

  let imported = 0;
  let rejected = 0;
  let lastLine = cursor;
  let entries: Uint8Array[] = [];
  let declarations: DeclarationEntry[] = [];
  let publications: Array<Omit<Publication, 'index'> | undefined> = [];
  let rejects: Array<{ line: number; text: string }> = [];

  const flush = async () => {
    if (entries.length > 0 || lastLine > cursor) {
      const batch = { entries, declarations, publications };
      await writer.append(batch.entries, batch.declarations, (indexes) => ({
        importProgress: { source, line: lastLine },
        publications: batch.publications.flatMap((p, i) =>
          p ? [{ ...p, index: indexes[i] as number }] : [],
        ),
      }));
      imported += batch.entries.length;
    }
    if (rejects.length > 0) {
      rejects.sort((a, b) => a.line - b.line);
      await appendFile(opts.rejectsPath, rejects.map((r) => r.text).join(''));
    }
    entries = [];
    declarations = [];
    publications = [];
    rejects = [];
  };

  for await (const l of lines) {
    lastLine = l.line;
    try {
      if (l.error !== undefined) throw new RecordError(l.error);
      const r = parseImportRecord(l.record, today);
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
      declarations.push(d);
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
      rejected++;
      rejects.push({
        line: l.line,
        text: `${l.line}\t${e.message}\t${l.raw.slice(0, 500).replace(/[\t\n\r]/g, ' ')}\n`,
      });
    }
    if (entries.length + rejects.length >= batchSize) await flush();
  }
  await flush();
  return {
    source,
    lines: lastLine,
    imported,
    rejected,
    alreadyImported: cursor,
    treeSize: writer.treeSize,
  };
}
