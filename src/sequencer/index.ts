export type { Receipt } from '../registry/index.ts';
export { ClusterSequencer } from './cluster.ts';
export {
  type Declarations,
  IdempotencyConflictError,
  NotSequencingError,
  PoolFullError,
  type SequencerOptions,
  SequencingError,
} from './declarations.ts';
export {
  ForkError,
  refuseFork,
  reportWitnessAhead,
  type Sighting,
  witnessSightings,
} from './fork-guard.ts';
export { IdempotencyKeyError, keyIdOf } from './idempotency.ts';
export { type PublicLog, PublishedLogView, type PublishedState, tileWithin } from './public-log.ts';
export {
  type Clock,
  type PublicationStatus,
  Publisher,
  systemClock,
} from './publisher.ts';
export { randomBytesFromPool } from './random.ts';
export { RecoverError, type Recovered, recoverTail, type TailSource } from './recover.ts';
export { replayReceipts } from './replay.ts';
export { Sequencer } from './sequencer.ts';
export { type Stage, type Telemetry, telemetry, type WriteMetrics } from './telemetry.ts';
export { ThreadedSequencer } from './threaded.ts';
export { parseWitnesses, type WitnessConfig, type WitnessesOptions } from './witnesses.ts';
export { LogWriter, type PreparedDeclarations, VoidError } from './writer.ts';
