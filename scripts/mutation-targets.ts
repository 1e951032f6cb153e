// The targets of `npm run mutation`: what each mutates, and the test files run against it.

export interface Target {
  readonly mutate: readonly string[];
  readonly tests: readonly string[];
}

/** What each target mutates, and the test files run against it. */
export const targets: Record<string, Target> = {
  log: {
    mutate: ['src/log/**/*.ts', '!src/log/**/*.test.ts'],
    tests: ['src/log/*.test.ts'],
  },
  verify: {
    mutate: [
      'src/verify/**/*.ts',
      '!src/verify/**/*.test.ts',
      // Worker-thread entry points: what runs in a worker thread is not seen by the runner's
      // coverage hook, and the code is covered through verify.ts in the main thread.
      '!src/verify/in-worker.ts',
      '!src/verify/verify-worker.ts',
    ],
    tests: ['src/verify/*.test.ts'],
  },
  registry: {
    mutate: ['src/registry/**/*.ts', '!src/registry/**/*.test.ts'],
    tests: ['src/registry/*.test.ts'],
  },
  'receipt-erase': {
    mutate: [
      'src/server/pages/receipt*.ts',
      'src/server/pages/erase.ts',
      // The redaction and erasure of a publication in the SQLite and in-memory stores (line
      // ranges: moderate and erasePublication; keep them in step when those functions move).
      'src/store/sqlite-site.ts:87-111',
      'src/store/memory-site.ts:64-89',
      // Finishing an erasure that waits for an older reader (both stores use it).
      'src/store/erasure.ts',
    ],
    // Not the browser tests (src/web/receipts.test.ts, receipt-safety.test.ts): too slow to run
    // once per mutant. These drive the same pages over HTTP.
    tests: [
      // The check and erase pages posted to as without JavaScript, in the test's own process.
      'src/server/receipt-erase.test.ts',
      // The kept receipt pages: their keys, expiry and byte bound.
      'src/server/receipt-cache.test.ts',
      'src/store/erase.test.ts',
      'src/store/erasure.test.ts',
      // Moderation and erasure on every store (the in-memory one included), by their results.
      'src/store/site.test.ts',
      'src/server/statement-crowd.test.ts',
      'src/server/resend.test.ts',
      'src/web/pages.test.ts',
    ],
  },
};

/**
 * The target `name` names: a target of {@link targets}, or one source file of one (mutated alone,
 * against the target's tests). `tests`, comma-separated globs, narrows the test files.
 */
export function targetOf(name: string, tests?: string): Target {
  const file = name.replace(/^\.\//, '');
  const found =
    targets[file.replace(/^src\//, '').replace(/\/$/, '')] ??
    (file.endsWith('.ts')
      ? Object.values(targets)
          .filter((t) =>
            t.mutate.some((g) => g.startsWith(file) || file.startsWith(g.split('*')[0] as string)),
          )
          .map((t) => ({
            // A file the target mutates in part (a line range) is mutated in the same part.
            mutate: [t.mutate.find((g) => g.startsWith(`${file}:`)) ?? file],
            tests: t.tests,
          }))[0]
      : undefined);
  if (found === undefined)
    throw new Error(
      `no mutation target ${name}: name one of ${Object.keys(targets).join(', ')}, or a source file of one`,
    );
  return tests === undefined || tests === '' ? found : { ...found, tests: tests.split(',') };
}

/** Where the reports of a target go, under reports/mutation/. */
export function reportName(name: string): string {
  return name
    .replace(/^(\.\/)?src\//, '')
    .replace(/\/$/, '')
    .replaceAll('/', '-');
}
