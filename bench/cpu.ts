// Where a benchmark's CPU time goes, read from Linux's /proc: the machine's busy cores, and a
// process's CPU time by thread (its threads' names: MainThread, a worker's, libuv's, V8's).
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks a second of /proc's times (USER_HZ, 100 on every Linux Node runs on). */
const HZ = 100;

/** Seconds of CPU time, busy and in all, of every core since boot (the first line of /proc/stat). */
function machine(): { busy: number; all: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] as string)
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const all = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] as number) + (fields[4] as number); // idle, and waiting for the disk
  return { busy: (all - idle) / HZ, all: all / HZ };
}

/** Seconds of CPU time (user and system) of each thread of `pid`, summed by the thread's name. */
function threads(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName; // exited
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    // "tid (name) state ppid …": the name may hold spaces and parentheses; the fields after the
    // last ")" start at the state (field 3), so utime and stime (fields 14 and 15) are 11 and 12.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    const seconds = (Number(rest[11]) + Number(rest[12])) / HZ;
    byName.set(name, (byName.get(name) ?? 0) + seconds);
  }
  return byName;
}

/** Bytes `pid` has caused to be written to the disk (/proc/PID/io), or 0 once it has exited. */
function written(pid: number): number {
  try {
    return Number(/^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export interface CpuSpent {
  /** Seconds between the start and the end of the count. */
  readonly seconds: number;
  /** Cores of the machine busy on average (any process). */
  readonly machineBusy: number;
  readonly cores: number;
  /** Cores the server process used on average, in all and by thread name (largest first). */
  readonly server: number;
  readonly serverThreads: ReadonlyArray<readonly [string, number]>;
  /** Cores this process (the load generator) used on average. */
  readonly loadGenerator: number;
  /** Bytes the server wrote to the disk. */
  readonly written: number;
}

/**
 * Starts counting the CPU time of the machine, of the process `pid` and of this one; the function
 * it returns stops and says how many cores each used on average in between.
 */
export function cpuMeter(pid: number): () => CpuSpent {
  const m0 = machine();
  const s0 = threads(pid);
  const b0 = process.cpuUsage();
  const w0 = written(pid);
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const m1 = machine();
    const s1 = threads(pid);
    const b1 = process.cpuUsage(b0);
    const serverThreads = [...s1]
      .map(([name, s]) => [name, (s - (s0.get(name) ?? 0)) / seconds] as const)
      .filter(([, cores]) => cores >= 0.005)
      .sort((a, b) => b[1] - a[1]);
    return {
      seconds,
      machineBusy: (m1.busy - m0.busy) / seconds,
      cores: Math.round((m1.all - m0.all) / seconds),
      server: serverThreads.reduce((a, [, c]) => a + c, 0),
      serverThreads,
      loadGenerator: (b1.user + b1.system) / 1e6 / seconds,
      written: written(pid) - w0,
    };
  };
}

/**
 * One line: the machine's busy cores, the server's by thread, the load generator's, and the
 * server's CPU time and bytes written to the disk per answered request.
 */
export function describeCpu(c: CpuSpent, requests: number): string {
  const f = (n: number) => n.toFixed(2);
  const threads = c.serverThreads
    .slice(0, 4)
    .map(([n, x]) => `${n} ${f(x)}`)
    .join(', ');
  const per = (x: number) => (requests > 0 ? x / requests : 0);
  const micros = Math.round(per(c.server * c.seconds * 1e6));
  const kib = per(c.written / 1024).toFixed(1);
  return `CPU: machine ${f(c.machineBusy)} of ${c.cores} cores busy; server ${f(c.server)} (${threads}), ${micros} µs and ${kib} KiB written a request; load generator ${f(c.loadGenerator)}`;
}
