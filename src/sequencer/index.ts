export type { Receipt } from '../registry/index.ts';
export { NotSequencingError } from './cluster.ts';
export { IdempotencyKeyError } from './idempotency.ts';
export {
  type Declarations,
  IdempotencyConflictError,
  PoolFullError,
  Sequencer,
  type SequencerOptions,
  SequencingError,
} from './sequencer.ts';
export type { Stage, Telemetry, WriteMetrics } from './telemetry.ts';
export { VoidError } from './writer.ts';
