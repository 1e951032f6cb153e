// A worker thread of an import. For NDJSON it prepares the chunks of lines it is sent, one batch
// each; for CSV (whose quoted fields may span lines) the one worker reads the whole file itself,
// staying at most two batches ahead of the thread that commits them.
import { parentPort, workerData } from 'node:worker_threads';
import { TuidangError } from '../errors/index.ts';
import { transferList } from './batch.ts';
import type { Chunk } from './chunks.ts';
import { prepareChunk, type ReadOptions, readBatches } from './reader.ts';

export type WorkerData =
  | { readonly mode: 'chunks'; readonly today: string }
  | { readonly mode: 'file'; readonly options: ReadOptions };

const port = parentPort;
if (port === null)
  throw new TuidangError('internal', 'src/import/worker.ts runs as a worker thread');
const data = workerData as WorkerData;

if (data.mode === 'chunks') {
  port.on('message', (m: { seq: number; chunk: Chunk; offset: number }) => {
    const { text, firstLine, bytesRead } = m.chunk;
    const batch = prepareChunk(text, firstLine, data.today, bytesRead, m.offset);
    port.postMessage({ seq: m.seq, batch }, transferList(batch));
  });
} else {
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    inFlight--;
    wake?.();
  });
  let seq = 0;
  for await (const batch of readBatches(data.options)) {
    inFlight++;
    port.postMessage({ seq: seq++, batch }, transferList(batch));
    while (inFlight >= 2) await new Promise<void>((r) => (wake = r));
  }
  port.postMessage(null);
}
