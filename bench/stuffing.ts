// What stuffing the count costs an attacker now (docs/abuse.md): CPU-seconds and wall time per
// 1,000 entries, through the real proof of work, ticket and rate-limit code.
//  - CPU: solving the challenges a submission needs (the work grows with its declarants), measured
//    here, next to the same number of plain SHA-256 hashes as a baseline in the same run.
//  - Wall time from one client (one IPv4 address or IPv6 /64): the rate limiter, driven by a
//    simulated clock, with submissions of 50 declarants, each admitted as soon as it may be.
//  - Without JavaScript: no CPU, but each ticket must have been open 3 s per declarant, and the
//    same rate limit applies.
import { createHash } from 'node:crypto';
import { cpuUsage } from 'node:process';
import { parseArgs } from 'node:util';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { MAX_DECLARANTS } from '../src/registry/index.ts';
import { ProofOfWork } from '../src/server/pow.ts';
import { RateLimiter } from '../src/server/rate-limit.ts';

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

/** CPU-seconds to solve `rounds` challenges for `declarants`, and the hashes they took. */
async function solving(pow: ProofOfWork, declarants: number, rounds: number) {
  let hashes = 0;
  const start = cpuUsage();
  for (let i = 0; i < rounds; i++) {
    const challenge = await pow.challenge(declarants);
    const solution = await solveChallenge({ challenge, deriveKey });
    if (!solution) throw new Error('challenge not solved');
    hashes += solution.counter + 1;
  }
  return { cpu: cpuSeconds(start), hashes };
}

/** The same number of SHA-256 hashes in a plain loop: the floor any solver can reach. */
function baseline(hashes: number): number {
  const start = cpuUsage();
  let h = Buffer.alloc(32);
  for (let i = 0; i < hashes; i++) h = createHash('sha256').update(h).digest();
  return cpuSeconds(start);
}

/** Simulated seconds for one client to get `entries` declarants past the limiter. */
function wallTime(perMinute: number, entries: number, batch: number): number {
  let now = Date.UTC(2026, 0, 1, 1);
  const start = now;
  const limiter = new RateLimiter(perMinute, 60_000, () => now, MAX_DECLARANTS);
  let admitted = 0;
  while (admitted < entries) {
    const n = Math.min(batch, entries - admitted);
    const r = limiter.take('attacker', n);
    if (r.ok) admitted += n;
    else now += r.retryAfterSeconds * 1000;
  }
  return (now - start) / 1000;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      cost: { type: 'string', default: '5000' },
      'rate-limit': { type: 'string', default: '30' },
      wait: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '20' },
    },
  });
  const cost = Number(values.cost);
  const perMinute = Number(values['rate-limit']);
  const wait = Number(values.wait);
  const rounds = Number(values.rounds);
  const pow = new ProofOfWork({ seed: new Uint8Array(32).fill(7), cost, waitSeconds: wait });

  console.log(`TUIDANG_POW_COST=${cost}, RATE_LIMIT=${perMinute}, TUIDANG_POW_WAIT=${wait}`);
  let cpuPer1000 = 0;
  for (const declarants of [1, MAX_DECLARANTS]) {
    const { cpu, hashes } = await solving(pow, declarants, rounds);
    const floor = baseline(hashes);
    const per1000 = (cpu / (rounds * declarants)) * 1000;
    cpuPer1000 = Math.max(cpuPer1000, per1000);
    console.log(
      `  proof of work, ${String(declarants).padStart(2)} declarant(s) a submission: ` +
        `${per1000.toFixed(1)} CPU-s per 1,000 entries ` +
        `(${Math.round(hashes / rounds / declarants)} hashes a declarant; ` +
        `${(cpu / floor).toFixed(1)}× a plain SHA-256 loop of the same hashes, ${((floor / (rounds * declarants)) * 1000).toFixed(1)} CPU-s)`,
    );
  }
  const underLoad = new ProofOfWork({
    seed: new Uint8Array(32).fill(7),
    cost,
    waitSeconds: wait,
    load: () => 1,
  });
  const loaded = await solving(underLoad, 1, Math.max(5, Math.floor(rounds / 2)));
  console.log(
    `  proof of work under full load (pool saturated): ${((loaded.cpu / Math.max(5, Math.floor(rounds / 2))) * 1000).toFixed(1)} CPU-s per 1,000 entries`,
  );
  const seconds = wallTime(perMinute, 1000, MAX_DECLARANTS);
  console.log(
    `  wall time, one client (IPv4 address or IPv6 /64): ${(seconds / 60).toFixed(1)} min per 1,000 entries ` +
      `(the first ${MAX_DECLARANTS} at once, then ${perMinute} a minute); ${Math.ceil(1000 / MAX_DECLARANTS)} form tickets or solutions`,
  );
  console.log(
    `  without JavaScript: 0 CPU-s; each ticket of ${MAX_DECLARANTS} must have been open ${wait * MAX_DECLARANTS} s, ` +
      `then the same ${(seconds / 60).toFixed(1)} min per 1,000 entries per client`,
  );
  const perDay = perMinute * 60 * 24;
  console.log(
    `  1,000,000 entries in a day: ${Math.ceil(1_000_000 / perDay)} clients (${perDay} a day each) and ` +
      `${((cpuPer1000 * 1000) / 3600).toFixed(1)} CPU-hours with JavaScript, or none without`,
  );
}
