export {
  openSource,
  type SourceSpec,
  useWorkerScript,
  verifyLogInWorker,
  type WorkerVerifyOptions,
} from './in-worker.ts';
export { configDir, type KnownLog, KnownLogs } from './known.ts';
export { type MirrorResult, mirror, VERIFIER_FILE } from './mirror.ts';
export { progressBar } from './progress.ts';
export {
  type Claim,
  commitsTo,
  parseReceipts,
  ReceiptError,
  type ReceiptFile,
  type ReceiptLog,
  type ReceiptProblem,
  type ReceiptResult,
  receiptFromCode,
  tiledLog,
  verifyReceipt,
} from './receipt.ts';
export {
  DirSource,
  fetchWithRetry,
  HttpSource,
  type LogSource,
  readTilesOf,
  SourceError,
  writeAtomically,
} from './source.ts';
export {
  checkSignatures,
  type Previous,
  totalsDifferences,
  VerificationError,
  type VerifyOptions,
  type VerifyResult,
  verifyLog,
} from './verify.ts';
