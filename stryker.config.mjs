// Mutation testing (StrykerJS with its TAP runner), run by `npm run mutation` (scripts/mutation.ts):
// one target at a time, named by TUIDANG_MUTATE (a target of scripts/mutation-targets.ts, or one
// source file of a target). docs/testing.md says what each target covers and what is left out.
import { resolve } from 'node:path';
import { reportName, targetOf } from './scripts/mutation-targets.ts';

const name = process.env.TUIDANG_MUTATE ?? 'log';
const target = targetOf(name, process.env.TUIDANG_MUTATION_TESTS);
const reports = `reports/mutation/${reportName(name)}`;
// The shared test vectors beside the checkout; the tests run in a sandbox copy one level deeper.
process.env.TUIDANG_SHARED ??= resolve(import.meta.dirname, '../shared');

export default {
  testRunner: 'tap',
  tap: {
    testFiles: target.tests,
    // `node` is Node 24 here: npm scripts put node_modules/.bin (the `node` package) first on PATH.
    // Each test file runs in one process (not `--test`), so the coverage hook sees its code.
    nodeArgs: [
      '--test-reporter=tap',
      '--test-timeout=300000',
      '-r',
      '{{hookFile}}',
      '{{testFile}}',
    ],
    forceBail: true,
  },
  mutate: target.mutate,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: Number(process.env.TUIDANG_MUTATION_CONCURRENCY ?? 2),
  // A mutant that loops for ever is a kill; on a loaded machine a normal run may take 20 s more.
  timeoutMS: 20000,
  timeoutFactor: 1.5,
  dryRunTimeoutMinutes: 20,
  incremental: true,
  incrementalFile: `${reports}/incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reports}/index.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowEmojis: false, reportTests: false, reportMutants: false },
  tempDirName: '.stryker-tmp',
  // Node strips the types itself and reads no tsconfig; Stryker's rewrite of tsconfig.json needs
  // the JavaScript API of TypeScript 5, which TypeScript 7 does not have.
  tsconfigFile: 'no-tsconfig-for-mutation.json',
  ignorePatterns: ['/bench', '/deploy', '/docs', '/reports', '/data', '/screenshots', '/.cache'],
  thresholds: { high: 90, low: 80, break: null },
};
