// HTTP behaviour that needs a sequencer in a particular state: a table of request → response.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Declarations, PoolFullError } from '../sequencer/index.ts';
import { MemoryStore, StoreError } from '../store/index.ts';
import { catalogs } from '../web/i18n.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';

const body = JSON.stringify({
  language: 'en',
  declarants: [{ name: 'x', nameKind: 'alias', orgs: ['party'] }],
});

/** A sequencer that answers every submission with no receipts, and counts them. */
function countingSequencer(): { sequencer: Declarations; calls: number[] } {
  const calls: number[] = [];
  const submit = async () => {
    calls.push(1);
    return [];
  };
  return { sequencer: { submit, close: async () => {}, poolDepth: 0, void: async () => 0 }, calls };
}

const logged: string[] = [];
const logger = createLogger({ write: (line: string) => logged.push(line) });

async function appWith(submit: Declarations['submit']) {
  const sequencer: Declarations = {
    submit,
    close: async () => {},
    poolDepth: 0,
    void: async () => 0,
  };
  return buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'example.org/log+00000000+AQ==',
    logger,
  });
}

/** Posts one declaration to the API. */
const declare = (app: Awaited<ReturnType<typeof appWith>>) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers: { 'content-type': 'application/json' },
    payload: body,
  });

test('a full pool answers 503 with Retry-After, and says nothing was recorded', async () => {
  const app = await appWith(() => Promise.reject(new PoolFullError('full')));
  const res = await declare(app);
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['retry-after'], '1');
  assert.match(res.json().detail, /nothing was recorded/);
});

test('an unexpected failure is a 500 without details, and is logged without the request', async () => {
  logged.length = 0;
  const app = await appWith(() => Promise.reject(new Error('disk exploded')));
  const res = await declare(app);
  assert.equal(res.statusCode, 500);
  assert.doesNotMatch(res.body, /disk exploded|at /);
  assert.equal(logged.length, 1);
  assert.match(logged[0] as string, /disk exploded/);
  assert.doesNotMatch(logged[0] as string, /"name"|127\.0\.0\.1/);
});

test('an unreachable database is a 503 with Retry-After, and is logged without the request', async () => {
  logged.length = 0;
  const app = await appWith(() =>
    Promise.reject(new StoreError('unavailable', 'database query failed: connection refused')),
  );
  const res = await declare(app);
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['retry-after'], '5');
  assert.match(res.json().detail, /database cannot be reached/);
  assert.doesNotMatch(res.body, /connection refused/);
  assert.equal(logged.length, 1);
  assert.match(logged[0] as string, /connection refused/);
  assert.doesNotMatch(logged[0] as string, /"declarants"|nameKind|127\.0\.0\.1/);
});

test('the OpenAPI document describes the API', async () => {
  const app = await appWith(async () => []);
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  for (const path of [
    '/api/v1/declarations',
    '/api/v1/stats',
    '/api/v1/proof/inclusion',
    '/api/v1/proof/consistency',
    '/log/checkpoint',
  ]) {
    assert.ok(doc.paths[path], path);
  }
  const schema =
    doc.paths['/api/v1/declarations'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(schema.required, ['language', 'declarants']);
});

test('unknown addresses and methods are problems, not stack traces', async () => {
  const app = await appWith(async () => []);
  for (const [method, url] of [
    ['GET', '/api/v1/nope'],
    ['DELETE', '/api/v1/stats'],
    ['GET', '/log/nope'],
  ] as const) {
    const res = await app.inject({ method, url });
    assert.equal(res.statusCode, 404, `${method} ${url}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  }
});

test('rate limits: per address, 429 with Retry-After for the API and the form; loopback without a proxy is not limited', async () => {
  const { sequencer, calls } = countingSequencer();
  const app = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'example.org/log+00000000+AQ==',
    logger,
    rateLimit: 2,
  });
  const post = (remoteAddress: string, payload = body) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: { 'content-type': 'application/json' },
      payload,
      remoteAddress,
    });
  const fifty = JSON.stringify({
    language: 'en',
    declarants: Array(50).fill({ name: 'x', nameKind: 'alias', orgs: ['party'] }),
  });
  // Two declarants a minute, and a family of up to 50 may declare at once.
  assert.equal((await post('198.51.100.7', fifty)).statusCode, 201);
  const limited = await post('198.51.100.7');
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.headers['retry-after'], '30');
  assert.match(limited.json().detail, /Too many declarations .* nothing was recorded/);
  assert.equal((await post('198.51.100.8')).statusCode, 201, 'another address');
  for (let i = 0; i < 5; i++) assert.equal((await post('127.0.0.1')).statusCode, 201, 'loopback');
  const form = await app.inject({
    method: 'POST',
    url: '/zh-hans/declare',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'rows=1&d0.name=A&d0.nameKind=alias&d0.orgs=party&action=declare',
    remoteAddress: '198.51.100.7',
  });
  assert.equal(form.statusCode, 429);
  assert.ok(form.body.includes(catalogs['zh-Hans']['declare.tooMany'](30)));
  assert.equal(calls.length, 7, 'limited requests never reached the sequencer');
});

test('the honeypot: a form that fills the hidden field is refused and nothing is declared', async () => {
  const { sequencer, calls } = countingSequencer();
  const app = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'example.org/log+00000000+AQ==',
    logger,
  });
  const res = await app.inject({
    method: 'POST',
    url: '/en/declare',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload:
      'rows=1&d0.name=A&d0.nameKind=alias&d0.orgs=party&website=http%3A%2F%2Fspam.example&action=declare',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /could not be accepted/);
  assert.equal(calls.length, 0);
});

/** An app whose declarations need a (small, fast) scrypt proof of work of `cost` tries. */
async function appWithWork(cost: number) {
  const { ProofOfWork } = await import('./pow.ts');
  const pow = new ProofOfWork({
    seed: new Uint8Array(32).fill(3),
    cost,
    scryptN: 16,
    waitSeconds: 3,
  });
  const sequencer: Declarations = {
    submit: async () => [],
    close: async () => {},
    poolDepth: 0,
    void: async () => 0,
  };
  return buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'example.org/log+00000000+AQ==',
    logger,
    pow,
  });
}

test('proof of work on the API: 403 with how to solve it, 201 with a solved challenge, once', async () => {
  const { solveChallenge } = await import('altcha-lib');
  const { deriveKey } = await import('../web/client/scrypt-key.ts');
  const app = await appWithWork(2);
  const post = (altcha?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: { 'content-type': 'application/json', ...(altcha ? { altcha } : {}) },
      payload: body,
    });
  const refused = await post();
  assert.equal(refused.statusCode, 403);
  assert.match(refused.json().detail, /GET \/api\/v1\/challenge/);
  const challenge = (await app.inject({ method: 'GET', url: '/api/v1/challenge' })).json();
  const solution = await solveChallenge({ challenge, deriveKey });
  const payload = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
  assert.equal((await post(payload)).statusCode, 201);
  assert.equal((await post(payload)).statusCode, 403, 'a solution is used once');
});

test('a page that fails is an HTML page in its language, with the status and Retry-After of the error', async () => {
  for (const [failure, status, retryAfter, text] of [
    [new Error('disk exploded'), 500, undefined, catalogs['zh-Hant']['errorPage.ourSide']],
    [
      new StoreError('unavailable', 'connection refused'),
      503,
      '5',
      catalogs['zh-Hant']['errorPage.busy'],
    ],
  ] as const) {
    logged.length = 0;
    const store = new MemoryStore();
    store.state = () => Promise.reject(failure);
    const app = await buildApp({
      store,
      sequencer: countingSequencer().sequencer,
      vkey: 'example.org/log+00000000+AQ==',
      logger,
    });
    const res = await app.inject({ method: 'GET', url: '/zh-hant/stats' });
    assert.equal(res.statusCode, status);
    assert.equal(res.headers['retry-after'], retryAfter);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.ok(res.body.includes(text), res.body);
    assert.doesNotMatch(res.body, /disk exploded|connection refused|at /);
    assert.equal(logged.length, 1, 'logged once, for the operator');
  }
});

test('challenges cost the server an scrypt evaluation each: a client may ask for CHALLENGES_PER_MINUTE a minute', async () => {
  const { CHALLENGES_PER_MINUTE } = await import('./admission.ts');
  const app = await appWithWork(1);
  const ask = (remoteAddress: string) =>
    app.inject({ method: 'GET', url: '/api/v1/challenge?declarants=2', remoteAddress });
  for (let i = 0; i < CHALLENGES_PER_MINUTE; i++)
    assert.equal((await ask('203.0.113.5')).statusCode, 200, `challenge ${i + 1}`);
  const refused = await ask('203.0.113.5');
  assert.equal(refused.statusCode, 429);
  assert.ok(Number(refused.headers['retry-after']) > 0);
  assert.match(refused.json().detail, /proof-of-work challenges/);
  assert.equal((await ask('198.51.100.5')).statusCode, 200, 'another client is not held back');
});
