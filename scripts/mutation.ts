// `npm run mutation [-- target…]`: mutation testing with StrykerJS, one target after another (see
// stryker.config.mjs for the targets and docs/testing.md for how to read the results). Prints the
// mutation score of each target and the time it took. Reports: reports/mutation/<target>/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { reportName, targetOf, targets } from './mutation-targets.ts';

const root = resolve(import.meta.dirname, '..');
const names = process.argv.slice(2);
const chosen = names.length > 0 ? names : Object.keys(targets);
for (const name of chosen) {
  try {
    targetOf(name);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
const reportDir = (name: string) => join(root, 'reports/mutation', reportName(name));

interface Report {
  files: Record<string, { mutants: Array<{ status: string }> }>;
}

/** Stryker's score: killed and timed-out over all valid mutants (no-coverage counts as survived). */
function score(name: string): string {
  const file = join(reportDir(name), 'mutation.json');
  if (!existsSync(file)) return 'no report';
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const count: Record<string, number> = {};
  for (const f of Object.values(report.files))
    for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const detected = (count.Killed ?? 0) + (count.Timeout ?? 0);
  const valid = detected + (count.Survived ?? 0) + (count.NoCoverage ?? 0);
  const pct = valid === 0 ? 100 : (100 * detected) / valid;
  return `${pct.toFixed(2)} % (${detected} of ${valid} detected; ${count.Survived ?? 0} survived, ${count.NoCoverage ?? 0} not covered, ${count.Ignored ?? 0} ignored)`;
}

const lines: string[] = [];
let failed = false;
for (const name of chosen) {
  const started = Date.now();
  // The tap runner starts `node` from PATH for every test file: the Node 24 of node_modules/.bin.
  // TUIDANG_QUICK_VECTORS: src/log/vectors.test.ts checks its largest roots one way, not three.
  const PATH = [join(root, 'node_modules/.bin'), process.env.PATH].join(delimiter);
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', 'stryker.config.mjs'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PATH, TUIDANG_MUTATE: name, TUIDANG_QUICK_VECTORS: '1' },
    },
  );
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (run.status !== 0) failed = true;
  lines.push(`${name}: ${run.status === 0 ? score(name) : 'stryker failed'}, ${minutes} min`);
}
console.log(`\nmutation scores\n${lines.map((l) => `  ${l}`).join('\n')}`);
process.exit(failed ? 1 : 0);
