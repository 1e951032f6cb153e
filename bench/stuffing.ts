// What stuffing the count costs an attacker now (docs/abuse.md): CPU-seconds and wall time per
// 1,000 entries, through the real proof of work, ticket and rate-limit code, per path.
//  - API (and the form with JavaScript): solving the scrypt challenges a submission needs (the work
//    grows with its declarants), by two solvers: the browser's own (src/web/client/scrypt-key.ts,
//    @noble/hashes in JavaScript), run here in Node and, when Chromium is installed, in Chromium;
//    and a native one, node:crypto's scrypt (OpenSSL's C), the fastest this machine has. A phone's
//    time is estimated from desktop Chromium's with a stated factor (PHONE_FACTOR).
//  - The server's side: issuing a challenge (one scrypt evaluation) and checking a solution.
//  - Without JavaScript: no CPU, but each ticket must have been open 3 s per declarant, a client's
//    tickets ripen one after another, and the same rate limit applies: a simulated clock drives the
//    real ticket and limiter code, with tickets fetched forty at once.
//  - The volunteer path has no proof of work: staff sign in, and are limited and audited instead.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { cpuUsage } from 'node:process';
import { parseArgs } from 'node:util';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey as nativeKey } from 'altcha-lib/algorithms/scrypt';
import { build } from 'esbuild';
import { DEFAULT_POW_COST } from '../src/config/config.ts';
import { MAX_DECLARANTS } from '../src/registry/index.ts';
import { ProofOfWork, SCRYPT } from '../src/server/pow.ts';
import { RateLimiter } from '../src/server/rate-limit.ts';
import { deriveKey as browserKey } from '../src/web/client/scrypt-key.ts';

/**
 * How much slower a mid-range phone runs this JavaScript than a desktop core: an assumption, from
 * the ratio of single-core browser benchmark scores (Speedometer 3, JetStream 2) between a current
 * desktop and a mid-range Android phone (e.g. a Galaxy A5x), which is about 4 to 5.
 */
const PHONE_FACTOR = 5;

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

type DeriveKey = typeof browserKey;

/** CPU-seconds (all threads) per 1,000 declarants to solve `rounds` challenges for `declarants`. */
async function solving(pow: ProofOfWork, declarants: number, rounds: number, derive: DeriveKey) {
  let evaluations = 0;
  const challenges: Challenge[] = [];
  for (let i = 0; i < rounds; i++) challenges.push(await pow.challenge(declarants));
  const start = cpuUsage();
  for (const challenge of challenges) {
    const solution = await solveChallenge({ challenge, deriveKey: derive });
    if (!solution) throw new Error('challenge not solved');
    evaluations += solution.counter + 1;
  }
  const cpu = cpuSeconds(start);
  return {
    per1000: (cpu / (rounds * declarants)) * 1000,
    perEvaluationMs: (cpu / evaluations) * 1000,
    perDeclarant: evaluations / rounds / declarants,
  };
}

/**
 * CPU-seconds used so far by every process descended from this one (Chromium's browser, renderer
 * and helper processes), from /proc: on a shared machine the page's wall time says little, its CPU
 * time does. Undefined where there is no /proc.
 */
function childrenCpuSeconds(): number | undefined {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // After the command name (which may hold spaces and parentheses): state ppid … utime stime.
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return undefined;
  }
  const descends = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid; p !== undefined && p > 1; p = stats.get(p)?.ppid)
      if (p === process.pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, s] of stats) if (descends(pid)) ticks += s.ticks;
  // Linux's USER_HZ, the unit of /proc/<pid>/stat's times, is 100.
  return ticks / 100;
}

/** Desktop Chromium per declarant, solving in a page with the page's own code: CPU and wall time. */
async function inChromium(pow: ProofOfWork, rounds: number) {
  let launchBrowser: typeof import('../test/browser.ts').launchBrowser;
  try {
    ({ launchBrowser } = await import('../test/browser.ts'));
  } catch {
    return undefined;
  }
  const script = await build({
    stdin: {
      contents: `import { solveChallenge } from 'altcha-lib';
import { deriveKey } from './src/web/client/scrypt-key.ts';
globalThis.solveAll = async (challenges) => {
  const t = performance.now();
  let evaluations = 0;
  for (const challenge of challenges) evaluations += (await solveChallenge({ challenge, deriveKey })).counter + 1;
  return { ms: performance.now() - t, evaluations };
};`,
      resolveDir: new URL('../', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const challenges: Challenge[] = [];
  for (let i = 0; i < rounds; i++) challenges.push(await pow.challenge(1));
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.addScriptTag({ content: script.outputFiles[0]?.text ?? '' });
    // One round to compile and warm up, as a visitor's second evaluation would be.
    await page.evaluate('solveAll([])');
    const cpuBefore = childrenCpuSeconds();
    const r = (await page.evaluate(`solveAll(${JSON.stringify(challenges)})`)) as {
      ms: number;
      evaluations: number;
    };
    const cpuAfter = childrenCpuSeconds();
    const cpuMs =
      cpuBefore === undefined || cpuAfter === undefined ? r.ms : (cpuAfter - cpuBefore) * 1000;
    return {
      perDeclarantMs: cpuMs / rounds,
      perEvaluationMs: cpuMs / r.evaluations,
      wallPerDeclarantMs: r.ms / rounds,
      measuredCpu: cpuBefore !== undefined,
    };
  } catch (e) {
    console.log(`  (Chromium not measured: ${(e as Error).message.split('\n')[0]})`);
    return undefined;
  } finally {
    await browser?.close();
  }
}

/** The server's cost: issuing a challenge (one evaluation) and checking a solution (two HMACs). */
async function serverSide(pow: ProofOfWork, rounds: number) {
  let start = cpuUsage();
  const payloads: string[] = [];
  const challenges: Challenge[] = [];
  for (let i = 0; i < rounds; i++) challenges.push(await pow.challenge(1));
  const issueMs = (cpuSeconds(start) / rounds) * 1000;
  for (const challenge of challenges) {
    const solution = await solveChallenge({ challenge, deriveKey: nativeKey });
    payloads.push(Buffer.from(JSON.stringify({ challenge, solution })).toString('base64'));
  }
  // Fake solutions to genuine challenges: refused, at the same small cost (the first round warms
  // the code up).
  let fakeMs = 0;
  for (let round = 0; round < 2; round++) {
    start = cpuUsage();
    for (let i = 0; i < 20; i++)
      for (const challenge of challenges) {
        const fake = { challenge, solution: { counter: 1, derivedKey: '00'.repeat(32) } };
        await pow.checkSolution(Buffer.from(JSON.stringify(fake)).toString('base64'));
      }
    fakeMs = (cpuSeconds(start) / rounds / 20) * 1000;
  }
  start = cpuUsage();
  for (const p of payloads) if (!(await pow.checkSolution(p))) throw new Error('not accepted');
  const checkMs = (cpuSeconds(start) / rounds) * 1000;
  return { issueMs, checkMs, fakeMs };
}

/** Simulated seconds for one client to get `entries` declarants past the limiter with a solution
 * each time (the API), or with tickets fetched `parallel` at once (no JavaScript). */
async function wallTime(
  perMinute: number,
  entries: number,
  batch: number,
  tickets?: { wait: number; parallel: number },
): Promise<number> {
  let now = Date.UTC(2026, 0, 1, 1);
  const start = now;
  const limiter = new RateLimiter(perMinute, 60_000, () => now, MAX_DECLARANTS);
  const pow = new ProofOfWork({
    seed: new Uint8Array(32).fill(9),
    cost: 1,
    scryptN: 16,
    waitSeconds: tickets?.wait ?? 0,
    now: () => now,
  });
  const held: string[] = [];
  let admitted = 0;
  while (admitted < entries) {
    const n = Math.min(batch, entries - admitted);
    if (tickets) {
      if (held.length === 0)
        for (let i = 0; i < tickets.parallel; i++) held.push(pow.ticket('attacker'));
      const ticket = held[0];
      // Budget first (checked without spending), then the ticket, as the form does it.
      const budget = limiter.check('attacker', n);
      if (!budget.ok) {
        now += budget.retryAfterSeconds * 1000;
        continue;
      }
      const v = await pow.checkTicket(ticket, 'attacker', n);
      if (v.verdict === 'early') {
        now += v.seconds * 1000;
        continue;
      }
      held.shift();
      if (v.verdict !== 'ok') continue;
    }
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
      cost: { type: 'string', default: String(DEFAULT_POW_COST) },
      'rate-limit': { type: 'string', default: '30' },
      wait: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '20' },
    },
  });
  const cost = Number(values.cost);
  const perMinute = Number(values['rate-limit']);
  const wait = Number(values.wait);
  const rounds = Number(values.rounds);
  const seed = new Uint8Array(32).fill(7);
  const pow = new ProofOfWork({ seed, cost, waitSeconds: wait });

  // On a shared machine, wall times are worth little: say how busy it was.
  console.log(
    `load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores; CPU times are per process, wall times suffer from the load`,
  );
  console.log(
    `TUIDANG_POW_COST=${cost} (scrypt N=${SCRYPT.N}, r=${SCRYPT.r}: ${(SCRYPT.N * SCRYPT.r * 128) / 2 ** 20} MiB an evaluation), RATE_LIMIT=${perMinute}, TUIDANG_POW_WAIT=${wait}`,
  );
  console.log('API and the form with JavaScript, CPU-seconds per 1,000 entries:');
  let native1000 = 0;
  for (const declarants of [1, MAX_DECLARANTS]) {
    const r = Math.max(2, Math.round(rounds / declarants));
    const js = await solving(pow, declarants, r, browserKey);
    const native = await solving(pow, declarants, r, nativeKey);
    native1000 = Math.max(native1000, native.per1000);
    console.log(
      `  ${String(declarants).padStart(2)} declarant(s) a submission (${native.perDeclarant.toFixed(1)} evaluations a declarant): ` +
        `browser's solver in Node ${js.per1000.toFixed(1)} CPU-s (${js.perEvaluationMs.toFixed(1)} ms an evaluation); ` +
        `native solver (node:crypto, OpenSSL) ${native.per1000.toFixed(1)} CPU-s (${native.perEvaluationMs.toFixed(1)} ms an evaluation): ` +
        `${(js.per1000 / native.per1000).toFixed(1)}× less`,
    );
  }
  const loaded = new ProofOfWork({ seed, cost, waitSeconds: wait, load: () => 1 });
  const full = await solving(loaded, 1, Math.max(3, Math.floor(rounds / 4)), nativeKey);
  console.log(
    `  pool saturated (ten times the work): native solver ${full.per1000.toFixed(1)} CPU-s per 1,000 entries`,
  );
  const chromium = await inChromium(pow, rounds);
  if (chromium) {
    console.log(
      `  desktop Chromium (this machine), the page's own solver: ${chromium.perDeclarantMs.toFixed(0)} CPU-ms a declarant ` +
        `(${chromium.perEvaluationMs.toFixed(1)} ms an evaluation; ${chromium.wallPerDeclarantMs.toFixed(0)} ms of wall time${chromium.measuredCpu ? '' : ', CPU not measured'}), ` +
        `${chromium.perDeclarantMs.toFixed(0)} CPU-s per 1,000 entries; ` +
        `a mid-range phone, estimated at ${PHONE_FACTOR}× slower: ${((chromium.perDeclarantMs * PHONE_FACTOR) / 1000).toFixed(1)} s a declarant ` +
        `(${((chromium.perDeclarantMs * PHONE_FACTOR * 10) / 1000).toFixed(0)} s with the pool saturated)`,
    );
  } else console.log('  desktop Chromium: not installed here, not measured');
  const server = await serverSide(pow, Math.max(10, rounds));
  console.log(
    `  the server: ${server.issueMs.toFixed(1)} CPU-ms to issue a challenge, ${(server.checkMs * 1000).toFixed(0)} CPU-µs to check a solution, ` +
      `${(server.fakeMs * 1000).toFixed(0)} CPU-µs to refuse a fake one (no scrypt evaluation)`,
  );
  const api = await wallTime(perMinute, 1000, MAX_DECLARANTS);
  console.log(
    `  wall time, one client (IPv4 address or IPv6 /64): ${(api / 60).toFixed(1)} min per 1,000 entries ` +
      `(the first ${MAX_DECLARANTS} at once, then ${perMinute} a minute)`,
  );
  const noJs = await wallTime(perMinute, 1000, MAX_DECLARANTS, { wait, parallel: 40 });
  console.log(
    `Without JavaScript (the form's tickets): 0 CPU-s per 1,000 entries; 40 tickets fetched at once ripen one after another, ${wait} s a declarant: ` +
      `${(noJs / 60).toFixed(1)} min per 1,000 entries per client`,
  );
  console.log(
    'Volunteers: no proof of work (staff sign in; their accounts are limited and audited instead)',
  );
  const perDay = Math.min(perMinute * 60 * 24, (24 * 3600) / Math.max(wait, 1e-9));
  console.log(
    `1,000,000 entries in a day: ${Math.ceil(1_000_000 / (perMinute * 60 * 24))} clients with JavaScript and ` +
      `${((native1000 * 1000) / 3600).toFixed(1)} CPU-hours of native solving, or ${Math.ceil(1_000_000 / perDay)} clients without`,
  );
}
