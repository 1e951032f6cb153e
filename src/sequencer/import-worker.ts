// The worker thread of an import: reads and prepares batches, sends each with its entries packed in
// one transferred buffer, and stays at most two batches ahead of the thread that commits them.
import { parentPort, workerData } from 'node:worker_threads';
import { TuidangError } from '../errors/index.ts';
import { type ReadOptions, readBatches } from './import-reader.ts';

const port = parentPort;
if (port === null) throw new TuidangError('internal', 'import-worker.ts runs as a worker thread');
let inFlight = 0;
let wake: (() => void) | undefined;
port.on('message', () => {
  inFlight--;
  wake?.();
});
for await (const b of readBatches(workerData as ReadOptions)) {
  const lengths = Uint8Array.from(b.entries, (e) => e.length);
  const packed = new Uint8Array(lengths.reduce((n, l) => n + l, 0));
  let at = 0;
  for (const e of b.entries) {
    packed.set(e, at);
    at += e.length;
  }
  inFlight++;
  port.postMessage(
    {
      packed,
      lengths,
      publications: b.publications,
      rejects: b.rejects,
      lastLine: b.lastLine,
      bytesRead: b.bytesRead,
    },
    [packed.buffer, lengths.buffer],
  );
  while (inFlight >= 2) await new Promise<void>((r) => (wake = r));
}
port.postMessage(null);
