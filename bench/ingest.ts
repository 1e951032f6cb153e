// Durable declarations per second through the whole registry (HTTP, validation, group commit,
// fsync, receipts with proofs), against two baselines with the same clients and body in the same
// run: a bare Fastify route (the ceiling of any Node HTTP service on this machine) and a durable
// echo (the same route writing each body to SQLite with fsync in a group commit per event-loop turn
// and answering with a receipt-sized body: the floor of any durable service). What the registry
// does beyond the echo (hashing, signing, proofs, idempotency, limits) is its own cost.
// Each run also says where the CPU went (the machine's busy cores, the server's by thread, the load
// generator's: on a 2-core machine they share the cores), and `--profile DIR` writes each server's
// CPU profiles (one a thread, for Chrome's DevTools) to DIR/<server>-<connections>/.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { SERVE_NODE_FLAGS } from '../test/server-process.ts';
import { cpuMeter, describeCpu } from './cpu.ts';

const body = JSON.stringify({
  language: 'zh-Hans',
  declarants: [{ name: '张三', nameKind: 'alias', orgs: ['party', 'league'], region: 'CN-GD' }],
});

async function startServer(
  mode: string,
  env: NodeJS.ProcessEnv = {},
  profileDir?: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(new URL('./ingest-server.ts', import.meta.url).pathname, [mode], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    // Every server of the comparison with the Node flags the registry is deployed with.
    execArgv: [
      ...process.execArgv,
      ...SERVE_NODE_FLAGS,
      ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
    ],
    env: { ...process.env, ...env },
  });
  // The server's log lines (JSON) may come before the URL.
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream }))
    if (line.startsWith('http')) return { child, url: line };
  throw new Error(`the ${mode} server exited before it listened`);
}

async function load(url: string, connections: number, seconds: number) {
  const result = await autocannon({
    url: `${url}/api/v1/declarations`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
    timeout: 30,
  });
  return {
    ok: result['2xx'],
    perSecond: result['2xx'] / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

interface Row {
  readonly connections: number;
  readonly server: string;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly note: string;
  /** Where the CPU went during the run (bench/cpu.ts). */
  readonly cpu: string;
}

const rate = (n: number) => Math.round(n).toLocaleString('en');

function printRow(r: Row): void {
  console.log(
    `${String(r.connections).padStart(5)} conns  ${r.server.padEnd(22)} ${rate(r.perSecond).padStart(7)}/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(5)} ms  errors ${r.errors}  ${r.note}`,
  );
  console.log(`        ${r.cpu}`);
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64,1024' },
      profile: { type: 'string' },
    },
  });
  const profile = typeof values.profile === 'string' ? resolve(values.profile) : undefined;
  const seconds = Number(values.seconds);
  const levels = String(values.connections).split(',').map(Number);
  const backends: Array<[string, NodeJS.ProcessEnv]> = [['SQLite', { DATABASE_URL: '' }]];
  // PostgreSQL: DATABASE_URL, else the local test database; a schema of its own per run (and per
  // number of connections), so that no run builds on another's log, dropped at the end.
  // DATABASE_URL=off skips it.
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${process.pid}`;
  if (databaseUrl !== 'off')
    backends.push(['PostgreSQL', { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema }]);
  console.log(
    `single-declarant submissions, ${seconds} s per run; load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const rows: Row[] = [];
  for (const connections of levels) {
    const measureServer = async (mode: string, env: NodeJS.ProcessEnv = {}) => {
      const label = `${mode}${env.DATABASE_URL ? '-postgresql' : mode === 'registry' ? '-sqlite' : ''}`;
      const server = await startServer(
        mode,
        env,
        profile === undefined ? undefined : join(profile, `${label}-${connections}`),
      );
      const meter = cpuMeter(server.child.pid as number);
      const r = await load(server.url, connections, seconds);
      const cpu = describeCpu(meter(), r.ok);
      let logged = '';
      if (mode === 'registry') {
        server.child.send('stats');
        const [{ treeSize }] = (await once(server.child, 'message')) as [{ treeSize: number }];
        logged = `logged ${treeSize}`;
      }
      server.child.kill();
      await once(server.child, 'exit');
      return { ...r, logged, cpu };
    };
    const bare = await measureServer('bare');
    rows.push({ connections, server: 'bare Fastify', ...bare, note: 'ceiling (no durable work)' });
    printRow(rows.at(-1) as Row);
    const echo = await measureServer('durable');
    rows.push({
      connections,
      server: 'durable echo (SQLite)',
      ...echo,
      note: `floor: ${(echo.perSecond / bare.perSecond).toFixed(2)}× bare`,
    });
    printRow(rows.at(-1) as Row);
    let sqlite = 0;
    for (const [name, env] of backends) {
      const r = await measureServer(
        'registry',
        env.DATABASE_SCHEMA
          ? { ...env, DATABASE_SCHEMA: `${env.DATABASE_SCHEMA}_${connections}` }
          : env,
      );
      const toEcho = r.perSecond / echo.perSecond;
      let note = `${toEcho.toFixed(2)}× durable echo, ${(r.perSecond / bare.perSecond).toFixed(2)}× bare`;
      if (name === 'SQLite') {
        sqlite = r.perSecond;
        const met = toEcho >= 0.7 && (connections < 1024 || r.p99 <= 1000);
        note += ` (goal ≥ 0.7×${connections >= 1024 ? ', p99 ≤ 1000 ms' : ''}: ${met ? 'met' : 'NOT met'})`;
      } else {
        const toSqlite = r.perSecond / sqlite;
        note += `, ${toSqlite.toFixed(2)}× registry on SQLite (goal ≥ 0.5: ${toSqlite >= 0.5 ? 'met' : 'NOT met'})`;
      }
      rows.push({ connections, server: `registry (${name})`, ...r, note: `${note}  ${r.logged}` });
      printRow(rows.at(-1) as Row);
    }
  }
  console.log('\nfor README (durable declarations per second, same run):\n');
  console.log('| connections | server | req/s | p50 ms | p99 ms | ratio |');
  console.log('|---:|---|---:|---:|---:|---|');
  for (const r of rows)
    console.log(
      `| ${r.connections} | ${r.server} | ${rate(r.perSecond)} | ${r.p50} | ${r.p99} | ${r.note.replace(/\s+logged \d+$/, '')} |`,
    );
  if (databaseUrl !== 'off') {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    for (const connections of levels)
      await db.query(`DROP SCHEMA IF EXISTS ${schema}_${connections} CASCADE`);
    await db.end();
  }
}
