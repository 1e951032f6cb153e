export type { Receipt } from '../registry/index.ts';
export { ClusterSequencer, NotSequencingError } from './cluster.ts';
export { IdempotencyKeyError } from './idempotency.ts';
export { randomBytesFromPool } from './random.ts';
export {
  type Declarations,
  IdempotencyConflictError,
  PoolFullError,
  Sequencer,
  type SequencerOptions,
  SequencingError,
} from './sequencer.ts';
export type { Stage, Telemetry, WriteMetrics } from './telemetry.ts';
export { parseWitnesses, type WitnessConfig, type WitnessesOptions } from './witnesses.ts';
export { LogWriter, type PreparedDeclarations, VoidError } from './writer.ts';
