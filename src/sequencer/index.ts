export type { Receipt } from '../registry/index.ts';
export { NotSequencingError } from './cluster.ts';
export { IdempotencyKeyError } from './idempotency.ts';
export {
  type Declarations,
  IdempotencyConflictError,
  PoolFullError,
  Sequencer,
  type SequencerOptions,
} from './sequencer.ts';
export { VoidError } from './writer.ts';
