export type { BundleCheck, CheckBundle } from './hashers.ts';
export {
  openSource,
  type SourceSpec,
  startVerifierHashers,
  useWorkerScript,
  verifyLogInWorker,
  type WorkerVerifyOptions,
} from './in-worker.ts';
export { configDir, type KnownLog, KnownLogs } from './known.ts';
export { type MirrorResult, mirror, VERIFIER_FILE } from './mirror.ts';
export { progressBar } from './progress.ts';
export {
  checkPublished,
  csvDifferences,
  type Difference,
  figureValue,
  LANGUAGE_PREFIXES,
  pageDifferences,
  pageFigures,
  requiredFigures,
  statsDifferences,
  totalsDifferences,
} from './published.ts';
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
  describeTile,
  type Previous,
  VerificationError,
  type VerifyOptions,
  type VerifyResult,
  verifyLog,
} from './verify.ts';
