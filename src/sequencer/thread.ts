// The sequencer's thread (see threaded.ts): opens its own connection to the store, runs the
// single-machine Sequencer on it, and answers the main thread in batches. Its log lines and
// metrics are sent to the main thread, which owns the logger and /metrics.
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { TuidangError } from '../errors/index.ts';
import { signerFromKey } from '../log/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { Sequencer } from './sequencer.ts';
import type { WriteMetrics } from './telemetry.ts';
import { type FromThread, type ThreadData, type ToThread, toWire } from './threaded.ts';

const port = parentPort;
if (port === null)
  throw new TuidangError('internal', 'src/sequencer/thread.ts runs as a worker thread');
const data = workerData as ThreadData;

type Answers = Extract<FromThread, { answers: unknown }>;
let outbox: {
  answers: Answers['answers'][number][];
  logs: string[];
  metrics: Answers['metrics'][number][];
} = {
  answers: [],
  logs: [],
  metrics: [],
};
let flushing = false;
function send(): void {
  if (flushing) return;
  flushing = true;
  setImmediate(() => {
    flushing = false;
    const out = outbox;
    outbox = { answers: [], logs: [], metrics: [] };
    port?.postMessage(out satisfies FromThread);
  });
}

const logger = pino(
  { base: null, timestamp: false },
  {
    write(line: string) {
      outbox.logs.push(line);
      send();
    },
  },
);
const forward =
  (m: keyof WriteMetrics) =>
  (...a: unknown[]) => {
    outbox.metrics.push({ m, a });
    send();
  };
const metrics: WriteMetrics = {
  commit: forward('commit'),
  failure: forward('failure'),
  leader: forward('leader'),
  treeSize: forward('treeSize'),
  reclaimed: forward('reclaimed'),
  publication: forward('publication'),
};

let store: Store | undefined;
let sequencer: Sequencer;
try {
  store = openStore({ dataDir: data.dataDir });
  sequencer = await Sequencer.open(store, {
    origin: data.origin,
    signer: signerFromKey(data.skey),
    delayMs: data.delayMs,
    maxBatch: data.maxBatch,
    maxPool: data.maxPool,
    logger,
    metrics,
  });
} catch (e) {
  await store?.close().catch(() => {});
  port.postMessage({ failedToStart: toWire(e) } satisfies FromThread);
  process.exit(1);
}
port.postMessage({ ready: true, treeSize: sequencer.treeSize } satisfies FromThread);

function answer<T>(id: number, work: Promise<T>, as: (v: T) => Answers['answers'][number]): void {
  work
    .then(
      (v) => outbox.answers.push(as(v)),
      (e: unknown) => outbox.answers.push({ id, error: toWire(e) }),
    )
    .finally(send);
}

port.on('message', async (m: ToThread) => {
  for (const { id, s, info } of m.submits)
    answer(id, sequencer.sequence(s, info), (receipts) => ({ id, receipts }));
  for (const { id, targets, reason } of m.voids)
    answer(id, sequencer.void(targets, reason), (treeSize) => ({ id, treeSize }));
  if (m.close) {
    await sequencer.close();
    await store?.close();
    // Answers of the last commit go out before the thread ends.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    port.postMessage({ closed: true } satisfies FromThread);
    port.close();
  }
});
