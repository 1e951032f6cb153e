export { addCheckpoint, buildWitnessApp, type WitnessOptions } from './server.ts';
export { type Latest, WitnessState } from './state.ts';
