export { type Latest, WitnessState } from '../store/index.ts';
export { addCheckpoint, buildWitnessApp, type WitnessOptions } from './server.ts';
