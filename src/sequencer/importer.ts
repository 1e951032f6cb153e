// Importing historical records as `import` entries with their original day. A worker thread reads,
// validates and hashes the records (src/sequencer/import-reader.ts) while this thread integrates and
// commits them: two cores at work. Each commit records the last line it completes, so that an
// interrupted import resumes after it and a repeated one adds nothing. Bad records go to a reject
// file with their line number and the reason, written only once their batch committed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { NoteSigner } from '../log/index.ts';
import { decodeEntry, type Publication, utcDay } from '../registry/index.ts';
import type { Store } from '../store/index.ts';
import type { Batch, ReadOptions } from './import-reader.ts';
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

interface Packed {
  readonly packed: Uint8Array;
  readonly lengths: Uint8Array;
  readonly publications: Batch['publications'];
  readonly rejects: Batch['rejects'];
  readonly lastLine: number;
  readonly bytesRead: number;
}

/** The file's identity: the SHA-256 of its content (a renamed copy is the same source). */
async function sourceId(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}

/** The batches the worker sends, one at a time; `next` acknowledges the one before. */
async function* fromWorker(options: ReadOptions): AsyncGenerator<Packed> {
  const worker = new Worker(new URL('./import-worker.ts', import.meta.url), {
    workerData: options,
  });
  const queue: Array<Packed | null> = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  worker.on('message', (m: Packed | null) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined)
        await new Promise<void>((r) => (wake = r));
      if (failure !== undefined) throw failure;
      const m = queue.shift();
      if (m === null || m === undefined) return;
      yield m;
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}

export async function importFile(opts: ImportOptions): Promise<ImportSummary> {
  const { store } = opts;
  const total = (await stat(opts.file)).size;
  const source = await sourceId(opts.file);
  const cursor = await store.importCursor(source);
  const writer = new LogWriter(store, opts.origin, opts.signer, opts.witnesses);
  await writer.reload();
  const batches = fromWorker({
    file: opts.file,
    format: opts.format,
    skip: cursor,
    today: opts.today ?? utcDay(new Date()),
    batchSize: opts.batchSize ?? 16384,
  });
  let imported = 0;
  let rejected = 0;
  let lastLine = cursor;
  for await (const b of batches) {
    const entries: Uint8Array[] = [];
    let at = 0;
    for (const length of b.lengths) {
      entries.push(b.packed.subarray(at, at + length));
      at += length;
    }
    if (entries.length > 0 || b.lastLine > lastLine) {
      const publications = b.publications;
      await writer.append(entries, entries.map(decodeEntry), (indexes) => ({
        importProgress: { source, line: b.lastLine },
        publications: publications.flatMap((p, i): Publication[] =>
          p ? [{ ...p, index: indexes[i] as number }] : [],
        ),
      }));
    }
    imported += entries.length;
    lastLine = b.lastLine;
    if (b.rejects.length > 0) {
      rejected += b.rejects.length;
      const rejects = [...b.rejects].sort((x, y) => x.line - y.line);
      await appendFile(opts.rejectsPath, rejects.map((r) => r.text).join(''));
    }
    opts.onProgress?.(b.bytesRead, total);
  }
  return {
    source,
    lines: lastLine,
    imported,
    rejected,
    alreadyImported: cursor,
    treeSize: writer.treeSize,
  };
}
