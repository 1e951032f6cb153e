export type { Receipt } from '../registry/index.ts';
export { IdempotencyKeyError } from './idempotency.ts';
export {
  type Declarations,
  IdempotencyConflictError,
  PoolFullError,
  Sequencer,
  type SequencerOptions,
} from './sequencer.ts';
