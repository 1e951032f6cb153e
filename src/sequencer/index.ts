export { IdempotencyKeyError } from './idempotency.ts';
export {
  IdempotencyConflictError,
  PoolFullError,
  type Receipt,
  Sequencer,
  type SequencerOptions,
} from './sequencer.ts';
