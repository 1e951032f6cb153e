// The worker thread of `verifyLogInWorker` (src/verify/in-worker.ts). tuidang-verify.mjs bundles it
// and starts itself as the worker, so this module must do nothing on the main thread.
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { TuidangError } from '../errors/index.ts';
import { verifierFromKey } from '../log/index.ts';
import {
  openSource,
  type SourceSpec,
  type WorkerMessage,
  type WorkerVerifyOptions,
} from './in-worker.ts';
import { VerificationError, verifyLog } from './verify.ts';

/** Verifies what the main thread asked for (workerData) and posts the result or the error. */
async function serve(port: MessagePort): Promise<void> {
  const { spec, opts } = workerData as { spec: SourceSpec; opts: WorkerVerifyOptions };
  const send = (m: WorkerMessage) => port.postMessage(m);
  let reported = 0;
  try {
    const source = await openSource(spec);
    const result = await verifyLog(source, {
      logKeys: opts.logKeys.map((k) => verifierFromKey(k)),
      witnesses: (opts.witnesses ?? []).map((k) => verifierFromKey(k)),
      quorum: opts.quorum ?? 0,
      previous: opts.previous,
      ...(opts.checkpoint === undefined ? {} : { checkpoint: opts.checkpoint }),
      onProgress: (done, total) => {
        // A message per bundle would cost more than the bundle: report every 64k entries.
        if (done - reported >= 65_536 || done === total) {
          reported = done;
          send({ progress: done, total });
        }
      },
    });
    send({
      note: result.note,
      totals: result.totals,
      ...(result.refetched ? { refetched: result.refetched } : {}),
    });
  } catch (e) {
    const err = e as Error;
    send({
      error: {
        name: err.name,
        message: err.message,
        ...(e instanceof VerificationError ? { where: e.where } : {}),
        ...(e instanceof TuidangError ? { code: e.code } : {}),
      },
    });
  }
}

// Off the main thread this module is the worker; imported on the main thread it does nothing.
if (!isMainThread && parentPort !== null) await serve(parentPort);
