// `npm run bench -- [name …]`: runs the named benchmarks (all when none is named). Each prints its
// figures next to a baseline measured in the same run, since this machine is shared and noisy.

const benchmarks: Record<string, { about: string; run: (args: string[]) => Promise<void> }> = {
  ingest: {
    about:
      'durable declarations/s over HTTP vs. a durable echo (SQLite, fsync, group commit) and a bare Fastify route, SQLite and PostgreSQL, 64 and 1,024 connections, with where the CPU went (--profile DIR: CPU profiles of each server)',
    run: async (a) => (await import('./ingest.ts')).run(a),
  },
  verify: {
    about: 'verify a 1,000,000-entry log from a local mirror vs. a plain SHA-256 loop',
    run: async (a) => (await import('./verify.ts')).run(a),
  },
  web: {
    about: 'time to first byte of the pages at 1,000,000 entries vs. a bare Fastify page',
    run: async (a) => (await import('./web.ts')).run(a),
  },
  import: {
    about: 'import 10,000,000 historical records vs. a raw insert of the same rows into SQLite',
    run: async (a) => (await import('./import.ts')).run(a),
  },
  scale: {
    about:
      'a log of --size entries (default 100,000,000, built once through tuidang import, kept in BENCH_CACHE) beside 1,000,000: proofs, stats, pages, declarations, RSS, verify',
    run: async (a) => (await import('./scale.ts')).run(a),
  },
  stuffing: {
    about:
      "what 1,000 stuffed entries cost an attacker, per path: CPU-seconds of the scrypt proof of work for the browser's and a native solver, the server's share, wall time per client",
    run: async (a) => (await import('./stuffing.ts')).run(a),
  },
  volunteer: {
    about:
      "a 1,000-row volunteer CSV upload: the answer's size and time, a reload, printing the receipts, the server's peak RSS",
    run: async (a) => (await import('./volunteer.ts')).run(a),
  },
  log: {
    about: 'integrate 1,000,000 entries of 50 bytes vs. a plain SHA-256 loop',
    run: async (a) => (await import('./log.ts')).run(a),
  },
};

const argv = process.argv.slice(2);
const firstOption = argv.findIndex((a) => a.startsWith('-'));
const requested = firstOption < 0 ? argv : argv.slice(0, firstOption);
const rest = firstOption < 0 ? [] : argv.slice(firstOption);
if (rest.includes('--help') || rest.includes('-h')) {
  console.log(
    `usage: npm run bench -- [name …] [options]\n\nbenchmarks (all when none is named):\n${Object.entries(
      benchmarks,
    )
      .map(([k, b]) => `  ${k.padEnd(8)} ${b.about}`)
      .join('\n')}`,
  );
  process.exit(0);
}
const unknown = requested.filter((p) => !(p in benchmarks));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}; choose from: ${Object.keys(benchmarks).join(', ')}`,
  );
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(benchmarks)) {
  console.log(`\n## ${name}: ${benchmarks[name]?.about}`);
  await benchmarks[name]?.run(rest);
}
