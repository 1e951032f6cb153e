// A sequencer for HTTP tests that need no log: it takes every declaration, answers no receipt, and
// counts the declarants of each submission.
import type { Declarations } from '../src/sequencer/index.ts';

export function countingSequencer(): { sequencer: Declarations; declared: number[] } {
  const declared: number[] = [];
  const submit: Declarations['submit'] = async (s) => {
    declared.push(s.declarants.length);
    return [];
  };
  return {
    sequencer: { submit, close: async () => {}, poolDepth: 0, void: async () => 0 },
    declared,
  };
}
