// `verifyLog` in a worker thread with a bounded heap, so that a verifier's memory is the same for
// a log of a thousand entries and of four hundred million. Left to itself, V8 lets the heap of a
// long, allocation-heavy run grow far past what it keeps alive (hundreds of megabytes); a worker's
// resource limits make it collect instead.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type ErrorCode, TuidangError } from '../errors/index.ts';
import { verifierFromKey } from '../log/index.ts';
import type { Totals } from '../registry/index.ts';
import { startHashers } from './hashers.ts';
import { DirSource, HttpSource, type LogSource, SourceError } from './source.ts';
import { checkSignatures, type Previous, VerificationError, type VerifyResult } from './verify.ts';

/** Where the log is, as plain data that can cross to the worker. */
export interface SourceSpec {
  /** A registry's address or a log prefix (over HTTP). */
  readonly url?: string;
  /** A mirror directory. */
  readonly dir?: string;
  /** With `url`: where full tiles are kept once fetched; none if undefined. */
  readonly cacheDir?: string | undefined;
}

export async function openSource(spec: SourceSpec): Promise<LogSource> {
  if (spec.url !== undefined) return HttpSource.resolve(spec.url, { cacheDir: spec.cacheDir });
  return new DirSource(spec.dir as string);
}

export interface WorkerVerifyOptions {
  /** Verifier keys (C2SP vkeys) of the log and of the witnesses. */
  readonly logKeys: readonly string[];
  readonly witnesses?: readonly string[];
  readonly quorum?: number;
  readonly previous?: Previous | undefined;
  readonly checkpoint?: string;
  /** Threads that hash the entries and level-0 tiles (0: the verifying thread does): one a core. */
  readonly hashers?: number;
}

/** What the verification thread is given: the log, the options, and how to start its hashers. */
export interface VerifyWorkerData {
  readonly spec: SourceSpec;
  readonly opts: WorkerVerifyOptions;
  /** The worker script (see {@link useWorkerScript}), which is also each hasher's. */
  readonly script: string;
  readonly hashers: number;
}

/**
 * The worker's script: verify-worker.ts, or for the single-file verifier (tuidang-verify.mjs) that
 * file itself, which serves as the worker when it runs off the main thread.
 */
let workerScript = new URL('./verify-worker.ts', import.meta.url);
export function useWorkerScript(url: URL): void {
  workerScript = url;
}

/**
 * Hashing threads for a verification on this thread (`tuidang mirror`, a benchmark): the worker
 * script's own, one a core unless told otherwise.
 */
export function startVerifierHashers(
  count = availableParallelism(),
): ReturnType<typeof startHashers> {
  return startHashers(workerScript, count);
}

/** Heap limits of the worker: what it keeps alive is a few megabytes at any size. */
const LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 12 };

export type WorkerMessage =
  | { readonly progress: number; readonly total: number }
  | { readonly note: string; readonly totals: Totals; readonly refetched?: readonly string[] }
  | { readonly error: WorkerError };

/** Verifies the log of `spec` as {@link verifyLog} does, in a worker thread of bounded memory. */
export async function verifyLogInWorker(
  spec: SourceSpec,
  opts: WorkerVerifyOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifyResult> {
  const data: VerifyWorkerData = {
    spec,
    opts,
    script: workerScript.href,
    hashers: opts.hashers ?? availableParallelism(),
  };
  const worker = new Worker(workerScript, {
    workerData: data,
    resourceLimits: LIMITS,
  });
  try {
    const done = await new Promise<{
      note: string;
      totals: Totals;
      refetched?: readonly string[];
    }>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if ('progress' in m) onProgress?.(m.progress, m.total);
        else if ('note' in m) resolve(m);
        else reject(rebuild(m.error));
      });
      worker.on('error', (e: Error & { code?: string }) =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new TuidangError(
                'internal',
                `the verifier ran out of its ${LIMITS.maxOldGenerationSizeMb} MiB heap`,
              )
            : e,
        ),
      );
      worker.on('exit', (code) =>
        reject(new TuidangError('internal', `the verifier thread exited (${code})`)),
      );
    });
    // The worker checked the signatures; opening the note again here gives the caller the
    // checkpoint as objects of this thread.
    const { checkpoint, cosigners } = checkSignatures(done.note, {
      logKeys: opts.logKeys.map((k) => verifierFromKey(k)),
      witnesses: (opts.witnesses ?? []).map((k) => verifierFromKey(k)),
      quorum: opts.quorum ?? 0,
    });
    return {
      checkpoint,
      note: done.note,
      cosigners,
      totals: done.totals,
      ...(done.refetched ? { refetched: done.refetched } : {}),
    };
  } finally {
    await worker.terminate();
  }
}

interface WorkerError {
  readonly name: string;
  readonly message: string;
  readonly where?: string;
  /** The code of a TuidangError, so that it stays one on this side (src/errors). */
  readonly code?: ErrorCode;
}

function rebuild(e: WorkerError): Error {
  if (e.name === 'VerificationError' && e.where !== undefined) {
    const v = new VerificationError(e.where, '');
    v.message = e.message;
    return v;
  }
  if (e.name === 'SourceError') return new SourceError(e.message);
  // A kind of TuidangError stays one (its code decides the exit code); anything else is a fault.
  const other =
    e.code === undefined
      ? new TuidangError('internal', `${e.name}: ${e.message}`)
      : new TuidangError(e.code, e.message);
  other.name = e.name;
  return other;
}
