export { PoolFullError, type Receipt, Sequencer, type SequencerOptions } from './sequencer.ts';
