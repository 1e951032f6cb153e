// Metrics and logs carry no personal data: a declaration (with a name, a statement, from an
// address) and a failing one leave none of these in the log output or in /metrics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ed25519Signer } from '../log/index.ts';
import { Sequencer } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';

test('a declaration and a failure: useful metrics, no name, statement or address anywhere', async () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (l: string) => lines.push(l) });
  const store = new MemoryStore();
  let depth = () => 0;
  const metrics = createMetrics(() => depth());
  const sequencer = await Sequencer.open(store, {
    origin: 'obs.example/log',
    signer: ed25519Signer('obs.example/log', new Uint8Array(32).fill(9)),
    delayMs: 0,
    logger,
    metrics,
  });
  depth = () => sequencer.poolDepth;
  const app = await buildApp({
    store,
    sequencer,
    vkey: 'obs.example/log+00000000+AQ==',
    logger,
    metrics,
    metricsToken: 'an-operator-token-0123456789',
  });
  const secret = { name: 'Wang Secretname', statement: 'a statement nobody may log' };
  const body = {
    language: 'en',
    declarants: [{ ...secret, nameKind: 'real', orgs: ['party'], publish: true }],
  };
  const headers = { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.77' };
  const ok = await app.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers,
    payload: body,
    remoteAddress: '198.51.100.23',
  });
  assert.equal(ok.statusCode, 201);
  store.failNextCommit = new Error('disk full');
  const failed = await app.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers,
    payload: body,
    remoteAddress: '198.51.100.23',
  });
  assert.equal(failed.statusCode, 500);
  const form = await app.inject({
    method: 'POST',
    url: '/en/declare',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `rows=1&d0.name=${encodeURIComponent(secret.name)}&d0.statement=${encodeURIComponent(secret.statement)}&d0.nameKind=real&d0.orgs=league&action=declare`,
    remoteAddress: '198.51.100.23',
  });
  assert.equal(form.statusCode, 200);

  const text = (
    await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer an-operator-token-0123456789' },
    })
  ).body;
  assert.match(
    text,
    /tuidang_http_requests_total\{route="\/api\/v1\/declarations",method="POST",status="201"\} 1/,
  );
  assert.match(
    text,
    /tuidang_http_requests_total\{route="\/:lang\/declare",method="POST",status="200"\} 1/,
  );
  assert.match(text, /tuidang_sequencer_batch_entries_count 2/);
  assert.match(text, /tuidang_log_tree_size 2/);
  assert.match(text, /tuidang_sequencer_pool_depth 0/);

  const log = lines.join('');
  assert.match(
    text,
    /tuidang_write_failures_total\{stage="commit"\} 1/,
    'the failed commit is counted',
  );
  const failures = lines.filter((l) => l.includes('disk full'));
  assert.equal(failures.length, 1, `the failure is logged once: ${failures.join('')}`);
  assert.match(
    failures[0] ?? '',
    /commit of 1 entry at tree size 1 failed: disk full; nothing of it was logged; its 1 request was answered with an error/,
  );
  for (const output of [log, text]) {
    for (const s of [secret.name, secret.statement, '198.51.100.23', '203.0.113.77'])
      assert.equal(output.includes(s), false, `${s} leaked`);
  }
  await sequencer.close();
});

test('redaction: personal fields are censored even if logged by mistake', () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (l: string) => lines.push(l) });
  logger.info(
    {
      name: 'Li',
      statement: 's',
      email: 'a@b.example',
      req: { headers: { host: 'x' } },
      nested: { ip: '192.0.2.1', name: 'Zhao' },
    },
    'oops',
  );
  const out = lines.join('');
  for (const s of ['Li"', '"s"', 'a@b.example', '192.0.2.1', 'Zhao'])
    assert.equal(out.includes(s), false, `${s} leaked: ${out}`);
  assert.match(out, /\[redacted\]/);
});
