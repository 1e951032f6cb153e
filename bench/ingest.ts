// Durable declarations per second through the whole registry (HTTP, validation, group commit,
// fsync, receipts with proofs), against a bare Fastify route with the same clients and body in the
// same run: the ceiling for any Node HTTP service on this machine.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';

const body = JSON.stringify({
  language: 'zh-Hans',
  declarants: [{ name: '张三', nameKind: 'alias', orgs: ['party', 'league'], region: 'CN-GD' }],
});

async function startServer(
  mode: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(new URL('./ingest-server.ts', import.meta.url).pathname, [mode], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
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

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64,1024' },
    },
  });
  const seconds = Number(values.seconds);
  const levels = String(values.connections).split(',').map(Number);
  const backends: Array<[string, NodeJS.ProcessEnv, number]> = [
    ['SQLite', { DATABASE_URL: '' }, 0.7],
  ];
  // PostgreSQL: DATABASE_URL, else the local test database; a schema of its own per run, so that
  // no run builds on another's log, dropped at the end. DATABASE_URL=off skips it.
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${process.pid}`;
  if (databaseUrl !== 'off')
    backends.push(['PostgreSQL', { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema }, 0.35]);
  console.log(`single-declarant submissions, ${seconds} s per run`);
  for (const connections of levels) {
    const bare = await startServer('bare');
    const ceiling = await load(bare.url, connections, seconds);
    bare.child.kill();
    console.log(
      `${String(connections).padStart(5)} connections  bare Fastify        ${Math.round(ceiling.perSecond).toLocaleString('en').padStart(7)} req/s  p50 ${ceiling.p50} ms  p99 ${ceiling.p99} ms`,
    );
    for (const [name, env, goal] of backends) {
      const server = await startServer('registry', env);
      const r = await load(server.url, connections, seconds);
      server.child.send('stats');
      const [{ treeSize }] = (await once(server.child, 'message')) as [{ treeSize: number }];
      server.child.kill();
      const ratio = r.perSecond / ceiling.perSecond;
      console.log(
        `${String(connections).padStart(5)} connections  registry (${name.padEnd(10)}) ${Math.round(r.perSecond).toLocaleString('en').padStart(7)} durable/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ratio ${ratio.toFixed(2)} (goal ≥ ${goal}, p99 ≤ 1000 ms)  errors ${r.errors}  logged ${treeSize}`,
      );
    }
  }
  if (databaseUrl !== 'off') {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  }
}
