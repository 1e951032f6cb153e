// The metrics are served only where the operator allows it, and do not tell sign-in or erasure
// outcomes apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfig } from '../config/index.ts';
import { MemoryStore } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createMetrics, metricsServer, statusLabel } from './metrics.ts';

const sequencer = {
  submit: async () => [],
  close: async () => {},
  poolDepth: 0,
  void: async () => 0,
};
const logger = createLogger({ write: () => {} });
const token = 'an-operator-token-0123456789';

test('/metrics: not served without a token; served with the right one only', async () => {
  const open = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'x/log+00000000+AQ==',
    logger,
  });
  assert.equal((await open.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
  const app = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'x/log+00000000+AQ==',
    logger,
    metricsToken: token,
  });
  for (const authorization of [undefined, 'Bearer wrong', `Bearer ${token}x`, token]) {
    const res = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: authorization ? { authorization } : {},
    });
    assert.equal(res.statusCode, 404, String(authorization));
    assert.doesNotMatch(res.body, /tuidang_/);
  }
  const ok = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /tuidang_sequencer_pool_depth 0/);
});

test('staff sign-in and erase outcomes are not counted by status', async () => {
  const metrics = createMetrics(() => 0);
  const app = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'x/log+00000000+AQ==',
    logger,
    metrics,
    metricsToken: token,
  });
  for (const password of ['wrong', 'also wrong'])
    await app.inject({
      method: 'POST',
      url: '/staff/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=admin&password=${password}`,
    });
  await app.inject({
    method: 'POST',
    url: '/en/erase',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'receipt=x',
  });
  const text = await metrics.registry.metrics();
  const series = text.split('\n').filter((l) => /route="(\/staff\/login|\/:lang\/erase)"/.test(l));
  assert.ok(
    series.some((l) => l.startsWith('tuidang_http_requests_total')),
    'still counted',
  );
  for (const l of series.filter((l) => l.startsWith('tuidang_http_requests_total')))
    assert.match(l, /status="any"/);
  assert.equal(statusLabel('/staff/login', 401), 'any');
  assert.equal(statusLabel('/staff/login', 503), '5xx');
  assert.equal(statusLabel('/:lang/declare', 429), '429');
});

test('METRICS_LISTEN: a separate listener serves the metrics alone', async () => {
  const metrics = createMetrics(() => 3);
  const server = await metricsServer(metrics, '127.0.0.1', 0);
  const { port } = server.address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /tuidang_sequencer_pool_depth 3/);
  assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
  await new Promise((r) => server.close(r));
  const config = readConfig({ METRICS_LISTEN: '[::1]:9464', METRICS_TOKEN: token });
  assert.deepEqual(config.metricsListen, { host: '::1', port: 9464 });
  assert.throws(() => readConfig({ METRICS_LISTEN: '9464' }), /host:port/);
  assert.throws(() => readConfig({ METRICS_TOKEN: 'short' }), /16 printable/);
});

test('configuration: the newsletter needs TUIDANG_PUBLIC_URL; TRUST_PROXY=true is refused', () => {
  assert.throws(
    () => readConfig({ SMTP_URL: 'smtp://127.0.0.1:25' }),
    /SMTP_URL is set but TUIDANG_PUBLIC_URL is not/,
  );
  assert.equal(
    readConfig({ SMTP_URL: 'smtp://127.0.0.1:25', TUIDANG_PUBLIC_URL: 'https://r.example/' })
      .publicUrl,
    'https://r.example',
  );
  assert.throws(() => readConfig({ TUIDANG_PUBLIC_URL: 'javascript:alert(1)' }), /https:\/\//);
  assert.throws(() => readConfig({ TRUST_PROXY: 'true' }), /number of proxies/);
  assert.equal(readConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
  assert.equal(readConfig({ RATE_LIMIT_IPV6_PREFIX: '56' }).ipv6Prefix, 56);
});
