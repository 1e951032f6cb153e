// The browser's entry point for the shared verifier vectors (src/web/verifiers-agree.test.ts).
import { runVectors } from './verifier-vectors.ts';

(globalThis as { runVectors?: typeof runVectors }).runVectors = runVectors;
