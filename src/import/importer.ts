// Importing historical records as `import` entries with their original day. Worker threads read,
// validate, hash and count the records (src/import/reader.ts, batch.ts), several at once for
// NDJSON, while this thread integrates the tree above the leaves and commits: every core at work.
// Each commit records the last line it completes, so that an interrupted import resumes after it
// and a repeated one adds nothing. Bad records go to a reject file with their line number and the
// reason, written only once their batch committed.
import { appendFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { TuidangError } from '../errors/index.ts';
import type { NoteSigner } from '../log/index.ts';
import { utcDay } from '../registry/index.ts';
import { LogWriter } from '../sequencer/index.ts';
import type { FingerprintedImport, ImportCursor, LogStore } from '../store/index.ts';
import type { PackedBatch } from './batch.ts';
import { count, lineChunks, type Skip } from './chunks.ts';
import { identifyFile } from './fingerprint.ts';
import type { ReadOptions } from './reader.ts';

export interface ImportOptions {
  readonly store: LogStore;
  readonly origin: string;
  readonly signer: NoteSigner;
  /** A file's path, or `-` for standard input (then `source` names the stream). */
  readonly file: string;
  /**
   * For standard input: the name of the stream, under which the import records how far it got, so
   * that the same stream fed again resumes where it stopped. A file is named by its SHA-256.
   */
  readonly source?: string;
  /** `ndjson` (one JSON object a line) or `csv` (a header row with the same field names). */
  readonly format: 'ndjson' | 'csv';
  readonly rejectsPath: string;
  readonly batchSize?: number;
  /** Records cannot be dated after this day (default: today, UTC). */
  readonly today?: string;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * For a file with no progress of its own that begins with the lines of an earlier import:
   * `continue` imports only the lines after them, `whole` imports it all (other records).
   */
  readonly continuation?: 'continue' | 'whole';
  /** Threads that parse, validate and hash NDJSON records (default: one per core, 2 to 4). */
  readonly workers?: number;
}

function defaultWorkers(): number {
  return Math.min(4, Math.max(2, availableParallelism()));
}

export interface ImportSummary {
  readonly source: string;
  readonly lines: number;
  readonly imported: number;
  readonly rejected: number;
  /** Lines committed by an earlier run (or the import this file continued), not imported again. */
  readonly alreadyImported: number;
  /** The earlier import (its source name) this file continued (`--continue`). */
  readonly continues?: string;
  /** The number of the last line, if the input ended inside it (cut off): not imported. */
  readonly cutOff?: number;
  readonly treeSize: number;
}

const WORKER = new URL('./worker.ts', import.meta.url);

interface FromWorker {
  readonly seq: number;
  readonly batch: PackedBatch;
}

/** Collects the batches workers send, to hand them on in order. */
class Arrivals {
  readonly #batches = new Map<number, PackedBatch>();
  #failure: unknown;
  #ended = false;
  #wake: (() => void) | undefined;

  listen(worker: Worker): void {
    worker.on('message', (m: FromWorker | null) => {
      if (m === null) this.#ended = true;
      else this.#batches.set(m.seq, m.batch);
      this.#wake?.();
    });
    worker.on('error', (e) => {
      this.#failure = e;
      this.#wake?.();
    });
  }

  /** Batch `seq`, once it came; undefined once the worker said there are no more. */
  async take(seq: number): Promise<PackedBatch | undefined> {
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      const batch = this.#batches.get(seq);
      if (batch !== undefined) {
        this.#batches.delete(seq);
        return batch;
      }
      if (this.#ended) return undefined;
      await new Promise<void>((r) => {
        this.#wake = r;
      });
    }
  }
}

/** A batch, with the fingerprint of the input's lines up to its last (NDJSON only). */
type FingerprintedBatch = PackedBatch & { readonly prefix?: string };

/** CSV: one worker reads and prepares the whole file; each batch taken is acknowledged. */
async function* fromFileWorker(options: ReadOptions): AsyncGenerator<PackedBatch> {
  const worker = new Worker(WORKER, { workerData: { mode: 'file', options } });
  const arrivals = new Arrivals();
  arrivals.listen(worker);
  try {
    for (let seq = 0; ; seq++) {
      const batch = await arrivals.take(seq);
      if (batch === undefined) return;
      yield batch;
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * NDJSON: this thread cuts the file into chunks of whole lines and deals them out to `count`
 * workers, which parse, validate, hash and count them in parallel; batches come back in order.
 */
async function* fromChunkWorkers(
  options: ReadOptions,
  passed: Skip,
  count: number,
  ended: { lines?: number; cutOff?: number },
): AsyncGenerator<FingerprintedBatch> {
  const workers = Array.from(
    { length: count },
    () => new Worker(WORKER, { workerData: { mode: 'chunks', today: options.today } }),
  );
  const arrivals = new Arrivals();
  for (const w of workers) arrivals.listen(w);
  const chunks = lineChunks(
    options.file === '-' ? process.stdin : options.file,
    passed,
    options.batchSize,
  );
  let sent = 0;
  let done = false;
  // Where each chunk's entries are expected to start in the log, for the subtree hashes its worker
  // computes: after the entries of the batches taken, and all lines of the chunks not yet taken.
  let taken = options.offset;
  const inFlight: Array<{ readonly lines: number; readonly prefix: string }> = [];
  try {
    for (let seq = 0; ; seq++) {
      // Keep two chunks queued at each worker, so none waits while this thread commits.
      while (!done && sent - seq < 2 * count) {
        const next = await chunks.next();
        if (next.done) {
          done = true;
          ended.lines = next.value.lines;
          ended.cutOff = next.value.cutOff;
        } else {
          const chunk = next.value;
          const offset = inFlight.reduce((n, c) => n + c.lines, taken);
          inFlight.push(chunk);
          (workers[sent % count] as Worker).postMessage({ seq: sent, chunk, offset }, [
            chunk.text.buffer as ArrayBuffer,
          ]);
          sent++;
        }
      }
      if (seq === sent) return;
      const batch = (await arrivals.take(seq)) as PackedBatch;
      taken += batch.lengths.length;
      const { prefix } = inFlight.shift() as { prefix: string };
      yield { ...batch, prefix };
    }
  } finally {
    await chunks.return({ lines: 0 });
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** An import source as recorded (`stream:NAME`, `sha256:HEX`), for people. */
export function sourceName(source: string): string {
  if (source.startsWith('stream:')) return `standard input, --source ${source.slice(7)}`;
  return `a file whose SHA-256 began ${source.slice(7, 23)}`;
}

/**
 * A file's source name (its content's SHA-256), and the earlier import it continues. A file with
 * no progress of its own that begins with the fingerprinted lines of an earlier import (NDJSON) is
 * that input grown since, or other records that read the same (records without a name can): the
 * operator says which (`--continue`, `--whole`); until then nothing is imported.
 */
async function identify(
  store: LogStore,
  file: string,
  format: 'ndjson' | 'csv',
  continuation: 'continue' | 'whole' | undefined,
): Promise<{ source: string; cursor: ImportCursor; continues?: FingerprintedImport }> {
  const earlier = format === 'ndjson' ? await store.fingerprintedImports() : [];
  const { id, begins } = await identifyFile(file, earlier);
  const own = await store.importCursor(id);
  if (own.line > 0 || continuation === 'whole') return { source: id, cursor: own };
  if (begins === undefined) {
    if (continuation === 'continue')
      throw new TuidangError(
        'config',
        `${file} does not begin with the lines of any earlier import${format === 'csv' ? ' (CSV imports are not fingerprinted)' : ''}, so there is nothing to continue, and nothing was imported. Without --continue it is imported whole`,
      );
    return { source: id, cursor: own };
  }
  if (continuation === 'continue') return { source: id, cursor: begins, continues: begins };
  throw new TuidangError(
    'config',
    `${file} begins with the ${count(begins.line, 'line')} of an earlier import (${sourceName(begins.source)}), so nothing was imported. If it is that input grown since, import it with --continue: only the lines after them are imported. If its first lines are other people's records that read the same (records without a name can), import it with --whole`,
  );
}

export async function importFile(opts: ImportOptions): Promise<ImportSummary> {
  const { store } = opts;
  const stdin = opts.file === '-';
  if (stdin && (!opts.source || opts.format !== 'ndjson'))
    throw new TuidangError(
      'config',
      'an import from standard input takes NDJSON and needs a source name',
    );
  const total = stdin ? 0 : (await stat(opts.file)).size;
  if (stdin && opts.continuation !== undefined)
    throw new TuidangError(
      'config',
      `--${opts.continuation} is for files: standard input resumes under its --source name`,
    );
  const {
    source,
    cursor: at,
    continues,
  } = stdin
    ? {
        source: `stream:${opts.source}`,
        cursor: await store.importCursor(`stream:${opts.source}`),
        continues: undefined,
      }
    : await identify(store, opts.file, opts.format, opts.continuation);
  const { line: cursor, prefix } = at;
  const writer = new LogWriter(store, opts.origin, opts.signer);
  await writer.reload();
  const options: ReadOptions = {
    file: opts.file,
    format: opts.format,
    skip: cursor,
    today: opts.today ?? utcDay(new Date()),
    batchSize: opts.batchSize ?? 16384,
    offset: writer.treeSize,
  };
  const passed: Skip = {
    lines: cursor,
    prefix,
    name: stdin ? `standard input (${opts.source})` : opts.file,
    sameContent: !stdin && continues === undefined,
  };
  const ended: { lines?: number; cutOff?: number } = {};
  const batches: AsyncGenerator<FingerprintedBatch> =
    opts.format === 'csv'
      ? fromFileWorker(options)
      : fromChunkWorkers(options, passed, opts.workers ?? defaultWorkers(), ended);
  let imported = 0;
  let rejected = 0;
  let lastLine = cursor;
  for await (const b of batches) {
    const count = b.lengths.length;
    if (count > 0 || b.lastLine > lastLine) {
      // The subtree hashes are of use if the batch starts where its worker expected it to.
      const subtrees = b.offset === writer.treeSize ? b.subtrees : undefined;
      await writer.appendPrepared({ ...b, subtrees }, (indexes) => ({
        // A file that continues an earlier import moves that import's cursor too: fed again, the
        // earlier input resumes after these lines, not before them.
        importProgress: [source, ...(continues ? [continues.source] : [])].map((s) => ({
          source: s,
          line: b.lastLine,
          prefix: b.prefix,
        })),
        publications: b.publications.map((p) => ({ ...p, index: indexes[p.index] as number })),
      }));
    }
    imported += count;
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
    ...(continues === undefined ? {} : { continues: continues.source }),
    ...(ended.cutOff === undefined ? {} : { cutOff: ended.cutOff }),
    lines: ended.lines ?? lastLine,
    imported,
    rejected,
    alreadyImported: Math.min(cursor, ended.lines ?? cursor),
    treeSize: writer.treeSize,
  };
}
