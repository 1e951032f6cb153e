// The registry at scale: a log of `--size` entries (default 100,000,000) built through `tuidang
// import -`, its records streamed on its standard input (or reused from the cache directory),
// served, and measured beside a 1,000,000-entry log in the same run: proof (after a warm-up of
// random proofs), statistics, page and declaration latencies, server memory and bytes per entry,
// each with its ratio to the 1 M figure; then the whole large log mirrored with `tuidang mirror`,
// verified from that mirror and over HTTP with `tuidang verify`, each against a plain SHA-256 loop
// measured in the same run (`--no-mirror`, `--no-http` and `--no-verify` leave parts out).
//
// Logs are kept under BENCH_CACHE (default ~/.cache/tuidang-bench), one directory per size, so
// that a rerun measures without building. Building runs at the lowest priority (nice 19). Each
// measurement adds its 300 declarations to the cached log, which therefore grows slightly.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { generateKey, parseSignerKey, tilePath } from '../src/log/index.ts';
import { startServer } from '../test/server-process.ts';
import { writeRecordsTo } from './import.ts';
import { entries, plainLoop } from './verify.ts';

/** Proofs asked, untimed, before the 2,000 timed: what a server that has run a while has seen. */
const PROOF_WARM_UP = 6000;

const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
const ORIGIN = 'bench.example/log';

interface Log {
  readonly size: number;
  readonly dataDir: string;
  readonly skey: string;
  /** Seconds the import took (in this run or the one that built the log). */
  readonly importSeconds?: number;
}

/** `tuidang import -` at nice 19, fed `size` synthetic records on its standard input. */
async function importStreamed(size: number, env: NodeJS.ProcessEnv, rejects: string) {
  const child = spawn(
    'nice',
    [
      '-n',
      '19',
      process.execPath,
      main,
      'import',
      '-',
      '--source',
      'bench',
      '--batch',
      '65536',
      '--rejects',
      rejects,
    ],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'inherit', 'inherit'] },
  );
  const exited = once(child, 'exit');
  await writeRecordsTo(child.stdin, size);
  const [code] = await exited;
  return code as number;
}

/** A log of `size` entries under `cache`, imported now unless an earlier run built it. */
async function logOf(cache: string, size: number): Promise<Log> {
  const dir = join(cache, `scale-${size}`);
  const dataDir = join(dir, 'data');
  const keyFile = join(dir, 'signing-key');
  if (existsSync(join(dir, 'built'))) {
    // A rerun measures the log an earlier run built, and reports how long that build took.
    const importSeconds = Number(readFileSync(join(dir, 'built'), 'utf8')) || undefined;
    return { size, dataDir, skey: readFileSync(keyFile, 'utf8'), importSeconds };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const skey = generateKey(ORIGIN).skey;
  writeFileSync(keyFile, skey, { mode: 0o600 });
  console.log(
    `importing ${size.toLocaleString('en')} synthetic records through tuidang import, streamed on its standard input…`,
  );
  const t = performance.now();
  const code = await importStreamed(
    size,
    { DATA_DIR: dataDir, TUIDANG_SIGNER_KEY: skey, TUIDANG_ORIGIN: ORIGIN },
    join(dir, 'rejects'),
  );
  const importSeconds = (performance.now() - t) / 1000;
  if (code !== 0) throw new Error(`tuidang import exited with ${code}`);
  writeFileSync(join(dir, 'built'), `${importSeconds}\n`);
  console.log(
    `imported ${size.toLocaleString('en')} records through tuidang import in ${importSeconds.toFixed(0)} s (${Math.round(size / importSeconds).toLocaleString('en')}/s)`,
  );
  return { size, dataDir, skey, importSeconds };
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssFile'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** A process's read counters (/proc/PID/io): read calls and bytes read from storage. */
function procIo(pid: number): { syscr: number; read_bytes: number } {
  const text = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1] ?? 0);
  return { syscr: field('syscr'), read_bytes: field('read_bytes') };
}

/** Empties the kernel's page cache (root only: /proc/sys/vm/drop_caches). */
function dropPageCache(): void {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '1\n');
  } catch (e) {
    throw new Error(`--cold needs to empty the page cache, as root: ${(e as Error).message}`);
  }
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
}

async function timed(n: number, request: (i: number) => Promise<Response>): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await request(i);
    await res.arrayBuffer();
    times.push(performance.now() - t);
    if (res.status >= 400) throw new Error(`${res.url} answered ${res.status}`);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n / 2)] as number, p99: times[Math.floor(n * 0.99)] as number };
}

interface Figures {
  readonly entries: number;
  /** Seconds from starting `tuidang serve` to its serving the log. */
  readonly startup: number;
  readonly proof: Latency;
  readonly stats: Latency;
  readonly home: Latency;
  readonly declaration: Latency;
  readonly idleRss: number;
  readonly rss: number;
  /** What the RSS after the probe holds: pages of files (the Node binary, libraries) and V8's heap. */
  readonly rssFile: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly bytesPerEntry: number;
  /** Read calls per timed proof, and bytes read from the disk (page-cache misses) per proof. */
  readonly proofReads: number;
  readonly proofDiskBytes: number;
}

/** The bench's servers serve /metrics to this token: their V8 heap, after the probe. */
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** The server's V8 heap (used and committed) and external memory, from its /metrics. */
async function memoryOf(url: string) {
  const res = await fetch(`${url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await res.text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    heapUsed: gauge('nodejs_heap_size_used_bytes'),
    heapTotal: gauge('nodejs_heap_size_total_bytes'),
    external: gauge('nodejs_external_memory_bytes'),
  };
}

/** Serves a log and measures it, sequential requests over keep-alive connections. */
async function measure(log: Log, cold: boolean): Promise<Figures> {
  const started = performance.now();
  const server = await startServer({
    DATA_DIR: log.dataDir,
    TUIDANG_SIGNER_KEY: log.skey,
    TUIDANG_ORIGIN: parseSignerKey(log.skey).name,
    RATE_LIMIT: '0',
    METRICS_TOKEN,
  });
  const startup = (performance.now() - started) / 1000;
  const pid = server.child.pid as number;
  try {
    const get = (path: string) => fetch(`${server.url}${path}`);
    const { treeSize } = (await (await get('/api/v1/stats')).json()) as { treeSize: number };
    for (let i = 0; i < 50; i++) await (await get('/zh-hans/')).arrayBuffer(); // warm up
    const idleRss = procStatus(pid, 'VmRSS');
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const randomProof = () =>
      get(`/api/v1/proof/inclusion?index=${Math.floor(random() * treeSize)}&treeSize=${treeSize}`);
    // A server that has run a while: its cache holds the upper tiles' trees (at 100 M, the 1,526
    // level-1 tiles, 24 MiB), and what stays is the one random read of a level-0 tile per proof.
    await timed(PROOF_WARM_UP, randomProof);
    // --cold: the kernel's page cache emptied, as for a log many times larger than memory, where
    // the level-0 tile of a random proof is on disk (the server's own caches stay warm).
    if (cold) dropPageCache();
    const before = procIo(pid);
    const proof = await timed(2000, randomProof);
    const after = procIo(pid);
    // What a proof costs the server in reads: read calls (SQLite reads a page a call) and bytes
    // that came from the disk, not the page cache.
    const proofReads = (after.syscr - before.syscr) / 2000;
    const proofDiskBytes = (after.read_bytes - before.read_bytes) / 2000;
    const stats = await timed(500, () => get('/api/v1/stats'));
    const home = await timed(600, () => get('/zh-hans/'));
    const declaration = await timed(300, (i) =>
      fetch(`${server.url}/api/v1/declarations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          language: 'zh-Hans',
          declarants: [{ name: `规模${i}`, nameKind: 'alias', orgs: ['party'], region: 'CN-GD' }],
        }),
      }),
    );
    const rss = procStatus(pid, 'VmRSS');
    const memory = await memoryOf(server.url);
    return {
      entries: treeSize,
      startup,
      proof,
      stats,
      home,
      declaration,
      idleRss,
      rss,
      rssFile: procStatus(pid, 'RssFile'),
      ...memory,
      bytesPerEntry: treeBytes(log.dataDir) / treeSize,
      proofReads,
      proofDiskBytes,
    };
  } finally {
    await server.kill('SIGTERM');
  }
}

interface Verified {
  readonly entries: number;
  readonly seconds: number;
  readonly peak: number;
}

/** Runs `tuidang <args>` as a user would: seconds, peak memory and what it printed. */
async function timedCommand(args: string[], home: string): Promise<Verified & { out: string }> {
  const t = performance.now();
  const child: ChildProcess = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, procStatus(child.pid as number, 'VmHWM'));
    } catch {} // exited between two samples
  }, 200);
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  const [code] = await once(child, 'exit');
  clearInterval(sampler);
  const seconds = (performance.now() - t) / 1000;
  if (code !== 0) throw new Error(`tuidang ${args[0]} exited with ${code}: ${out}`);
  const entries =
    args[0] === 'verify'
      ? (JSON.parse(out) as { treeSize: number }).treeSize
      : Number(/mirrored and verified ([\d,]+) entries/.exec(out)?.[1]?.replaceAll(',', '') ?? 0);
  return { entries, seconds, peak, out };
}

/**
 * `tuidang verify` of the whole log as a user runs it, each line printed as soon as it is measured
 * (a run at 400 M takes hours): unless `mirror` is false, first `tuidang mirror` of it (which
 * verifies the copy over HTTP as it writes it, so its rate is a floor for verifying over HTTP; it
 * needs about as much disk again as the log's tiles and entries) and `tuidang verify` of that
 * mirror; then `tuidang verify` over HTTP from the server (unless `http` is false).
 */
async function verifyWhole(
  log: Log,
  floor: number,
  opts: { mirror: boolean; copy: boolean; http: boolean },
): Promise<void> {
  const server = await startServer({
    DATA_DIR: log.dataDir,
    TUIDANG_SIGNER_KEY: log.skey,
    TUIDANG_ORIGIN: parseSignerKey(log.skey).name,
  });
  const home = join(log.dataDir, '..', 'verifier-home');
  const mirrorDir = join(log.dataDir, '..', 'mirror');
  const line = (name: string, r: Verified, goal?: number) => {
    const rate = r.entries / r.seconds;
    const ratio = rate / floor;
    const judged =
      goal === undefined ? '' : ` (goal ≥ ${goal}: ${ratio >= goal ? 'met' : 'NOT met'})`;
    console.log(
      `${name.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(9)} entries/s  ratio ${ratio.toFixed(2)}${judged}  peak RSS ${Math.round(r.peak / 2 ** 20)} MiB${goal === undefined ? '' : ` (goal ≤ 256: ${r.peak <= 256 * 2 ** 20 ? 'met' : 'NOT met'})`}  ${Math.round(r.seconds)} s`,
    );
  };
  const label = millions(log.size);
  try {
    if (opts.mirror) {
      rmSync(mirrorDir, { recursive: true, force: true });
      if (opts.copy) {
        const t = performance.now();
        copyMirror(log.dataDir, mirrorDir);
        console.log(
          `  mirror copied from the database in ${Math.round((performance.now() - t) / 1000)} s (--copy-mirror: not verified, not timed as tuidang mirror)`,
        );
      } else {
        const made = await timedCommand(['mirror', server.url, mirrorDir], home);
        line('tuidang mirror URL DIR (verifies as it copies)', made);
      }
      console.log(
        `  the mirror took ${Math.round(treeBytes(mirrorDir) / 2 ** 20).toLocaleString('en')} MiB`,
      );
      const local = await timedCommand(
        ['verify', mirrorDir, '--no-cache', '--no-remember', '--json'],
        home,
      );
      line(`tuidang verify DIR (the mirror), ${label}`, local, 0.8);
      rmSync(mirrorDir, { recursive: true, force: true });
    }
    if (opts.http) {
      const http = await timedCommand(
        ['verify', server.url, '--no-cache', '--no-remember', '--json'],
        home,
      );
      line(`tuidang verify URL, whole ${label} log`, http, 0.5);
    }
  } finally {
    rmSync(mirrorDir, { recursive: true, force: true });
    await server.kill('SIGTERM');
  }
}

/**
 * A mirror written straight from the log's database, without verifying it: what `tuidang mirror`
 * writes (every tile and entry bundle, the edge's partial ones at their widths, the checkpoint and
 * the key) in minutes instead of the hour `tuidang mirror` takes at 400 M, for measuring
 * `tuidang verify DIR`. Read in one transaction, so that the tiles are those of the checkpoint.
 */
function copyMirror(dataDir: string, dir: string): void {
  const db = new DatabaseSync(join(dataDir, 'tuidang.db'), { readOnly: true });
  const made = new Set<string>();
  const put = (path: string, data: Uint8Array | string) => {
    const folder = dirname(join(dir, path));
    if (!made.has(folder)) mkdirSync(folder, { recursive: true });
    made.add(folder);
    writeFileSync(join(dir, path), data);
  };
  try {
    db.exec('BEGIN');
    const head = db
      .prepare(
        'SELECT c.note AS note, t.tree_size AS size FROM totals t JOIN checkpoints c ON c.tree_size = t.tree_size',
      )
      .get() as { note: string; size: number };
    const { vkey } = db.prepare('SELECT vkey FROM log_key').get() as { vkey: string };
    let n = 0;
    // Tiles by key, (level + 1) · 2^44 + index (src/store/sqlite-log.ts), or in a database of an
    // earlier schema by level and index.
    const keyed = db.prepare("SELECT 1 FROM pragma_table_info('tiles') WHERE name = 'key'").get();
    const rows = db
      .prepare(
        keyed
          ? 'SELECT (key >> 44) - 1 AS level, key & 17592186044415 AS idx, width, data FROM tiles ORDER BY key'
          : 'SELECT level, idx, width, data FROM tiles ORDER BY level, idx',
      )
      .iterate() as Iterable<{ level: number; idx: number; width: number; data: Uint8Array }>;
    for (const row of rows) {
      put(tilePath({ level: row.level, index: row.idx, width: row.width }), row.data);
      if (++n % 200_000 === 0) process.stdout.write(`\r  copied ${n.toLocaleString('en')} tiles`);
    }
    process.stdout.write(
      `\r  copied ${n.toLocaleString('en')} tiles of ${head.size.toLocaleString('en')} entries\n`,
    );
    put('checkpoint', head.note);
    put('vkey', `${vkey}\n`);
  } finally {
    db.exec('ROLLBACK');
    db.close();
  }
}

/** Bytes of every file under `dir`, in any folder below it. */
function treeBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  return n;
}

/** The floor: a plain SHA-256 loop (leaf and node hashes) over 1,000,000 entries, in entries/s. */
function sha256Floor(): number {
  const list = entries(1_000_000);
  const t = performance.now();
  plainLoop(list);
  return 1_000_000 / ((performance.now() - t) / 1000);
}

/** A log's size in millions of entries, as the tables label it. */
const millions = (n: number) => `${(n / 1e6).toLocaleString('en')} M`;
const ms = (x: number) => `${x.toFixed(2)} ms`.padStart(10);
const mib = (x: number) => `${Math.round(x / 2 ** 20)} MiB`.padStart(10);

/** Serves both logs in turn and prints their figures side by side, with each goal at the large one. */
async function measureBoth(base: Log, big: Log, size: number, cold: boolean): Promise<void> {
  const a = await measure(base, cold);
  const b = await measure(big, cold);
  const label = millions;
  console.log(
    `\n${'figure'.padEnd(52)} ${label(a.entries).padStart(10)} ${label(b.entries).padStart(10)}  ratio  goal at ${label(b.entries)}`,
  );
  const row = (
    name: string,
    x: number,
    y: number,
    show: (v: number) => string,
    goal?: [string, boolean],
  ) =>
    console.log(
      `${name.padEnd(52)} ${show(x)} ${show(y)}  ${x === 0 ? '    —' : (y / x).toFixed(2).padStart(5)}  ${goal ? `${goal[0]}: ${goal[1] ? 'met' : 'NOT met'}` : ''}`,
    );
  const sec = (x: number) => `${x.toFixed(2)} s`.padStart(10);
  row('start-up (serve to serving)', a.startup, b.startup, sec, ['≤ 2 s', b.startup <= 2]);
  row('inclusion proof p50', a.proof.p50, b.proof.p50, ms, ['≤ 1 ms', b.proof.p50 <= 1]);
  row('inclusion proof p99', a.proof.p99, b.proof.p99, ms, ['≤ 5 ms', b.proof.p99 <= 5]);
  const per = (x: number) => x.toFixed(1).padStart(10);
  row('  read calls per proof', a.proofReads, b.proofReads, per);
  row(
    '  KiB read from disk per proof (page-cache misses)',
    a.proofDiskBytes / 1024,
    b.proofDiskBytes / 1024,
    per,
  );
  row('GET /api/v1/stats p50', a.stats.p50, b.stats.p50, ms);
  row('GET /api/v1/stats p99', a.stats.p99, b.stats.p99, ms, ['≤ 10 ms', b.stats.p99 <= 10]);
  row('home page p50', a.home.p50, b.home.p50, ms);
  row('home page p99', a.home.p99, b.home.p99, ms, ['≤ 10 ms', b.home.p99 <= 10]);
  row('declaration (durable, sequential) p50', a.declaration.p50, b.declaration.p50, ms);
  row('declaration (durable, sequential) p99', a.declaration.p99, b.declaration.p99, ms);
  row('server RSS idle', a.idleRss, b.idleRss, mib);
  row('server RSS after 2,000 proofs, 600 pages, 300 decl', a.rss, b.rss, mib, [
    '≤ 256 MiB',
    b.rss <= 256 * 2 ** 20,
  ]);
  row('  of which pages of files (Node, libraries)', a.rssFile, b.rssFile, mib);
  row('  V8 heap used, after the probe', a.heapUsed, b.heapUsed, mib);
  row('  V8 heap committed, after the probe', a.heapTotal, b.heapTotal, mib);
  row('  external (buffers outside the heap)', a.external, b.external, mib);
  row(
    'storage, bytes per entry',
    a.bytesPerEntry,
    b.bytesPerEntry,
    (v) => v.toFixed(1).padStart(10),
    ['≤ 100', b.bytesPerEntry <= 100],
  );
  if (big.importSeconds !== undefined) {
    // 400,000,000 records in 45 minutes.
    const rate = size / big.importSeconds;
    const goal = 400_000_000 / (45 * 60);
    console.log(
      `building the ${label(size)} log through tuidang import - took ${Math.round(big.importSeconds)} s (${Math.round(rate).toLocaleString('en')} records/s; goal ≥ ${Math.round(goal).toLocaleString('en')}/s, 400 M in 45 min: ${rate >= goal ? 'met' : 'NOT met'})`,
    );
  }
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      size: { type: 'string', default: '100000000' },
      base: { type: 'string', default: '1000000' },
      'no-verify': { type: 'boolean' },
      'no-mirror': { type: 'boolean' },
      'no-http': { type: 'boolean' },
      'copy-mirror': { type: 'boolean' },
      'no-measure': { type: 'boolean' },
      cold: { type: 'boolean' },
      'build-only': { type: 'boolean' },
    },
  });
  const size = Number(values.size);
  const baseSize = Number(values.base);
  const cache = process.env.BENCH_CACHE || join(homedir(), '.cache', 'tuidang-bench');
  console.log(`logs kept in ${cache} (BENCH_CACHE)`);
  const started = performance.now();
  const base = await logOf(cache, baseSize);
  const big = await logOf(cache, size);
  if (values['build-only']) {
    console.log('built; --build-only: nothing measured');
    return;
  }
  if (!values['no-measure']) await measureBoth(base, big, size, values.cold === true);
  if (!values['no-verify']) {
    const floor = sha256Floor();
    console.log(
      `\n${'plain SHA-256 loop (floor)'.padEnd(44)} ${Math.round(floor).toLocaleString('en').padStart(9)} entries/s`,
    );
    await verifyWhole(big, floor, {
      mirror: !values['no-mirror'],
      copy: values['copy-mirror'] === true,
      http: !values['no-http'],
    });
  }
  console.log(`\nthe scale benchmark took ${Math.round((performance.now() - started) / 1000)} s`);
}
