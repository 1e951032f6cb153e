// The worker thread of `verifyLogInWorker` (src/verify/in-worker.ts). tuidang-verify.mjs bundles it
// and starts itself as the worker, so this module must do nothing on the main thread.
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { TuidangError } from '../errors/index.ts';
import { verifierFromKey } from '../log/index.ts';
import { HASHER_ROLE, serveHasher, startHashers } from './hashers.ts';
import { openSource, type VerifyWorkerData, type WorkerMessage } from './in-worker.ts';
import { VerificationError, verifyLog } from './verify.ts';

/** Verifies what the main thread asked for (workerData) and posts the result or the error. */
async function serve(port: MessagePort): Promise<void> {
  const { spec, opts, script, hashers } = workerData as VerifyWorkerData;
  const send = (m: WorkerMessage) => port.postMessage(m);
  let reported = 0;
  const pool = hashers > 0 ? startHashers(new URL(script), hashers) : undefined;
  try {
    const source = await openSource(spec);
    const result = await verifyLog(source, {
      ...(pool ? { checkBundle: pool.check } : {}),
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
  } finally {
    await pool?.close();
  }
}

// Off the main thread this module is the worker; imported on the main thread it does nothing.
// A hashing thread that the verification thread started is one too (src/verify/hashers.ts).
if (!isMainThread && parentPort !== null) {
  if (workerData === HASHER_ROLE) serveHasher(parentPort);
  else await serve(parentPort);
}
