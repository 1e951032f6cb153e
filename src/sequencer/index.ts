export { IdempotencyKeyError } from './idempotency.ts';
export type { Receipt } from './prepare.ts';
export {
  type Declarations,
  IdempotencyConflictError,
  PoolFullError,
  Sequencer,
  type SequencerOptions,
} from './sequencer.ts';
