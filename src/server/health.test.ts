// /healthz and /readyz for load balancers: with PostgreSQL behind a proxy that the test cuts,
// /readyz turns 503 (naming the database) within seconds while /healthz and the published
// checkpoint still answer, and turns 200 again once the database is back.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { until } from '../../test/wait.ts';
import { readConfig } from '../config/index.ts';
import { failingChecks } from './health.ts';
import { VERSION } from './logger.ts';
import { startRegistry } from './start.ts';

const TOKEN = 'health-test-metrics-token';

/** A TCP proxy to PostgreSQL that can be cut (every connection dropped, new ones refused). */
async function cuttableProxy() {
  const target = new URL(postgresUrl);
  const sockets = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const url = new URL(postgresUrl);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

test('/readyz follows the database; /healthz only the process', { timeout: 120_000 }, async () => {
  const proxy = await cuttableProxy();
  const registry = await startRegistry(
    readConfig({
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-health-')),
      DATABASE_URL: proxy.url,
      DATABASE_SCHEMA: freshSchema(),
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      LOG_LEVEL: 'silent',
      METRICS_TOKEN: TOKEN,
    }),
  );
  const get = (path: string) =>
    fetch(`${registry.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  const metric = async (name: string) => {
    const text = await (
      await fetch(`${registry.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    return new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
  };
  try {
    assert.equal((await get('/healthz')).status, 200);
    const ready = await get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
    assert.equal(await metric('tuidang_log_tree_size_stale'), '0');
    assert.equal(await metric(`tuidang_build_info\\{version="${VERSION}"\\}`), '1');

    proxy.cut();
    const readyz = (status: number) => async () => (await get('/readyz')).status === status;
    const tookDown = await until(readyz(503), 10_000, 'not ready once the database is cut', 100);
    const down = (await (await get('/readyz')).json()) as { failing: Record<string, string> };
    assert.ok('database' in down.failing, JSON.stringify(down));
    assert.equal((await get('/healthz')).status, 200, 'the process still lives');
    assert.equal(await metric('tuidang_log_tree_size_stale'), '1', 'the size is marked stale');
    proxy.restore();
    const cameBack = await until(readyz(200), 20_000, 'ready once it is back', 100);
    console.log(
      `# not ready after ${Math.round(tookDown)} ms, ready again after ${Math.round(cameBack)} ms`,
    );
  } finally {
    proxy.restore();
    await registry.close();
    await proxy.close();
  }
});

test('a check that hangs counts as failing after the timeout; one that throws says why', async () => {
  const failing = await failingChecks({
    timeoutMs: 50,
    checks: {
      fine: () => undefined,
      hangs: () => new Promise(() => {}),
      throws: async () => {
        throw new TypeError('no route to host');
      },
      says: () => 'commits are failing',
    },
  });
  assert.deepEqual(failing, {
    hangs: 'no answer within 50 ms',
    throws: 'no route to host',
    says: 'commits are failing',
  });
});
