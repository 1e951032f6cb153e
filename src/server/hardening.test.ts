// No request can crash or pin the server, and the limits count what a flood needs: declarants,
// per client (an IPv6 /64; the rightmost untrusted hop behind a proxy), with no budget spent by a
// request that did no work.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { solveChallenge } from 'altcha-lib';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { countingSequencer } from '../../test/sequencer.ts';
import { socketDone } from '../../test/wait.ts';
import type { Declarations } from '../sequencer/index.ts';
import { MemoryStore, PostgresStore, SqliteStore } from '../store/index.ts';
import { deriveKey } from '../web/client/scrypt-key.ts';
import { type AppOptions, buildApp } from './app.ts';
import { connectionCap } from './connections.ts';
import { createLogger } from './logger.ts';
import { ProofOfWork } from './pow.ts';

const logged: string[] = [];
const logger = createLogger({ write: (line: string) => logged.push(line) });

const counting = countingSequencer;

const app = (sequencer: Declarations, extra: Partial<AppOptions> = {}) =>
  buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'example.org/log+00000000+AQ==',
    logger,
    ...extra,
  });

const family = (n: number) =>
  JSON.stringify({
    language: 'en',
    declarants: Array.from({ length: n }, (_, i) => ({
      name: `Person ${String.fromCharCode(65 + (i % 26))}`,
      nameKind: 'alias',
      orgs: ['party'],
    })),
  });

test('hostile addresses: no redirect off the site, no invalid header, no 500, security headers on every answer', async () => {
  logged.length = 0;
  const a = await app(counting().sequencer);
  for (const url of [
    '/%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%5C%5Cevil.example',
    '/%09/evil.example',
    '/%E2%80%AEevil',
    '/%0d%0aSet-Cookie:%20a=b',
    '/%0aLocation:%20http://evil.example',
    '/%ff',
    '/en/%ff',
    '/api/v1/%ff',
    '/%00',
    '/en/statements/%E2%80%AE',
    '/zh-hans%2F..%2F..%2Fevil',
    `/${'a'.repeat(5000)}`,
  ]) {
    const res = await a.inject({ method: 'GET', url });
    assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
    assert.ok(res.headers['content-security-policy'], `${url}: security headers`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    const location = res.headers.location;
    if (location !== undefined)
      assert.match(String(location), /^\/(?![/\\])/, `${url} redirects to ${location}`);
    assert.equal(res.headers['set-cookie'], undefined, url);
  }
  assert.deepEqual(logged, [], 'nothing logged, no stack trace');
});

test('repeated query parameters take the first value', async () => {
  const a = await app(counting().sequencer);
  for (const url of [
    '/en/statements?q=a&q=b',
    '/en/statements?region=CN-GD&region=CN-BJ',
    '/en/statements?org=party&org=league&year=2024&year=x&before=3&before=4',
    '/api/v1/proof/inclusion?index=0&index=1&treeSize=1&treeSize=2',
    '/en/statements?__proto__=x&constructor=y&toString=z',
  ]) {
    const res = await a.inject({ method: 'GET', url });
    assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
  }
});

test('invalid UTF-8 in a JSON body or a form is refused with 400, never stored as U+FFFD', async () => {
  const { sequencer, declared } = counting();
  const a = await app(sequencer);
  const json = Buffer.concat([
    Buffer.from('{"language":"en","declarants":[{"name":"Li'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('","nameKind":"alias","orgs":["party"]}]}'),
  ]);
  const api = await a.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers: { 'content-type': 'application/json' },
    payload: json,
  });
  assert.equal(api.statusCode, 400);
  assert.match(api.json().detail, /UTF-8/);
  for (const payload of [
    Buffer.concat([Buffer.from('rows=1&d0.name=Li'), Buffer.from([0xc3, 0x28])]),
    Buffer.from('rows=1&d0.name=Li%FF%FE&d0.nameKind=alias&d0.orgs=party&action=declare'),
    Buffer.from('rows=1&d0.name=%EF%BF%BD&d0.nameKind=alias&d0.orgs=party&action=declare'),
  ]) {
    const form = await a.inject({
      method: 'POST',
      url: '/en/declare',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });
    assert.equal(form.statusCode, 400, payload.toString('latin1'));
    assert.ok(form.headers['content-security-policy']);
    assert.match(
      form.body,
      /<html lang="en"|could not be read|Please write at least one letter|cannot be used/,
    );
  }
  assert.deepEqual(declared, []);
});

test('the rate limit counts declarants, and a request that did no work spends no budget', async () => {
  const { sequencer, declared } = counting();
  const pow = new ProofOfWork({
    seed: new Uint8Array(32).fill(3),
    cost: 2,
    scryptN: 16,
    waitSeconds: 3,
  });
  const a = await app(sequencer, { rateLimit: 10, pow });
  const post = async (n: number, solved: boolean, remoteAddress = '198.51.100.7') => {
    let altcha: string | undefined;
    if (solved) {
      const challenge = await pow.challenge(n);
      const solution = await solveChallenge({ challenge, deriveKey });
      altcha = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
    }
    return a.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: { 'content-type': 'application/json', ...(altcha ? { altcha } : {}) },
      payload: family(n),
      remoteAddress,
    });
  };
  for (let i = 0; i < 200; i++) assert.equal((await post(1, false)).statusCode, 403);
  const oneForTwo = await a.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers: {
      'content-type': 'application/json',
      altcha: Buffer.from(
        JSON.stringify({
          challenge: await pow.challenge(1),
          solution: await solveChallenge({ challenge: await pow.challenge(1), deriveKey }),
        }),
      ).toString('base64'),
    },
    payload: family(2),
    remoteAddress: '198.51.100.7',
  });
  assert.equal(oneForTwo.statusCode, 403, 'a challenge for one does not pay for two');
  assert.match(oneForTwo.json().detail, /declarants=2/);
  // 200 refused requests later, the whole budget (50 saved up) is still there.
  assert.equal((await post(50, true)).statusCode, 201);
  const limited = await post(1, true);
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.headers['retry-after'], '6');
  assert.deepEqual(declared, [50]);
});

test('an IPv6 client is its /64: rotating addresses inside it shares one budget', async () => {
  const { sequencer, declared } = counting();
  const a = await app(sequencer, { rateLimit: 3 });
  const statuses: number[] = [];
  for (let i = 1; i <= 60; i++) {
    const res = await a.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: { 'content-type': 'application/json' },
      payload: family(1),
      remoteAddress: `2001:db8:1:2::${i.toString(16)}`,
    });
    statuses.push(res.statusCode);
  }
  assert.equal(statuses.filter((s) => s === 201).length, 50, 'the burst, then refused');
  const other = await a.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers: { 'content-type': 'application/json' },
    payload: family(1),
    remoteAddress: '2001:db8:1:3::1',
  });
  assert.equal(other.statusCode, 201, 'the next /64 is another client');
  assert.equal(declared.length, 51);
});

test('behind a proxy, the client is the rightmost untrusted hop, not what it wrote leftmost', async () => {
  for (const trustProxy of [1, '10.0.0.1'] as const) {
    const { sequencer, declared } = counting();
    const a = await app(sequencer, { rateLimit: 1, trustProxy });
    const post = (xff: string) =>
      a.inject({
        method: 'POST',
        url: '/api/v1/declarations',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
        payload: family(1),
        remoteAddress: '10.0.0.1',
      });
    const statuses: number[] = [];
    // The client forges a new leftmost entry each time; the proxy appends the real address.
    for (let i = 0; i < 60; i++)
      statuses.push((await post(`192.0.2.${i}, 203.0.113.5`)).statusCode);
    assert.equal(statuses.filter((s) => s === 201).length, 50, `TRUST_PROXY=${trustProxy}`);
    assert.equal((await post('203.0.113.6')).statusCode, 201, 'another client');
    assert.equal(declared.length, 51);
  }
});

test('the form: limits count its declarants; the ticket is bound to the client that fetched it', async () => {
  const { sequencer, declared } = counting();
  let now = Date.UTC(2026, 10, 25, 12);
  const pow = new ProofOfWork({
    seed: new Uint8Array(32).fill(3),
    cost: 2,
    scryptN: 16,
    waitSeconds: 3,
    now: () => now,
  });
  const a = await app(sequencer, { pow });
  const ticketFor = async (remoteAddress: string) => {
    const page = await a.inject({ method: 'GET', url: '/en/declare', remoteAddress });
    return /name="ticket" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  };
  const post = (ticket: string, remoteAddress: string, rows = 1) =>
    a.inject({
      method: 'POST',
      url: '/en/declare',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `rows=${rows}&ticket=${ticket}&${Array.from({ length: rows }, (_, i) => `d${i}.name=Li&d${i}.nameKind=alias&d${i}.orgs=party`).join('&')}&action=declare`,
      remoteAddress,
    });
  const ticket = await ticketFor('198.51.100.1');
  now += 10_000;
  const elsewhere = await post(ticket, '203.0.113.9');
  assert.equal(elsewhere.statusCode, 400, 'fetched by one client, posted by another');
  assert.match(elsewhere.body, /connection changed/);
  const four = await post(ticket, '198.51.100.1', 4);
  assert.equal(four.statusCode, 400, 'four people need twelve seconds');
  assert.match(four.body, /2 seconds/);
  now += 2_000;
  assert.equal((await post(ticket, '198.51.100.1', 4)).statusCode, 200);
  assert.equal((await post(ticket, '198.51.100.1', 4)).statusCode, 400, 'spent');
  assert.deepEqual(declared, [4]);
});

async function listening(extra: Partial<AppOptions>) {
  const a = await app(counting().sequencer, extra);
  await a.listen({ port: 0, host: '127.0.0.1' });
  const port = (a.server.address() as { port: number }).port;
  return { a, port, open: () => openSocket(port) };
}
/** A connection to `port` on loopback, once it is open. */
const openSocket = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
// Resolves when the server has ended the connection (its 'end', 'close' or 'error'), within 10 s.
// The socket is read (resume) so that its 'end' arrives even when the server wrote an answer
// first: an unread socket never sees the end, stays in CLOSE-WAIT, and never emits 'close'.
const closed = (s: Socket) => {
  s.resume();
  return socketDone(s, 10_000);
};

test('one address holds at most the capped number of connections (loopback is exempt in the app)', async () => {
  const server = createServer((_req, res) => res.end('ok'));
  connectionCap(server, 4, (a) => a);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const sockets = await Promise.all(Array.from({ length: 6 }, () => openSocket(port)));
  // Two are closed by the server at once; the first four stay open.
  await Promise.all(sockets.slice(4).map(closed));
  assert.equal(sockets.filter((s) => !s.destroyed && !s.readableEnded).length, 4);
  for (const s of sockets.slice(0, 2)) s.destroy();
  await Promise.all(sockets.slice(0, 2).map(closed));
  await new Promise((r) => setTimeout(r, 50));
  const res = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(res.status, 200, 'a closed connection frees a place');
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  // The app does not cap the machine itself: local clients and benchmarks open many.
  const { a, port: appPort, open: openApp } = await listening({ connectionsPerAddress: 2 });
  const many = await Promise.all(Array.from({ length: 5 }, openApp));
  const ok = await fetch(`http://127.0.0.1:${appPort}/api/v1/stats`);
  assert.equal(ok.status, 200);
  assert.equal(many.filter((s) => !s.destroyed).length, 5);
  for (const s of many) s.destroy();
  await a.close();
});

test('slow bodies and silent connections are cut off by the timeouts', async () => {
  const { a, port, open } = await listening({
    timeouts: { requestMs: 200, headersMs: 200, idleMs: 200, keepAliveMs: 200 },
  });
  const sockets = await Promise.all(Array.from({ length: 6 }, open));
  // Half trickle a body that never ends, half send only part of their headers.
  for (const [i, s] of sockets.entries())
    s.write(
      i % 2
        ? 'POST /api/v1/declarations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{'
        : 'GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n',
    );
  await Promise.all(sockets.map(closed));
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/stats`);
  assert.equal(res.status, 200, 'the server still answers');
  await a.close();
});

test("the wait for a cut connection ends on the server's end, though the client never closes its side (CLOSE-WAIT)", async () => {
  const server = createNetServer((socket) => socket.end('HTTP/1.1 408 Request Timeout\r\n\r\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  // allowHalfOpen: the client does not end its side when the server ends its own, so no 'close'.
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  socket.on('error', () => {});
  assert.equal(await closed(socket), 'end');
  assert.equal(socket.destroyed, false, 'still open on this side: waiting for close would hang');
  socket.destroy();
  await new Promise((r) => server.close(r));
});

test('a 500 logs one reason line with the route, and none of the error fields', async () => {
  logged.length = 0;
  const failing: Declarations = {
    submit: async () => {
      throw Object.assign(new Error('disk exploded'), {
        rejected: ['someone@mail.example'],
        detail: 'Key (email)=(someone@mail.example) already exists',
      });
    },
    close: async () => {},
    poolDepth: 0,
    void: async () => 0,
  };
  const a = await app(failing);
  const res = await a.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers: { 'content-type': 'application/json' },
    payload: family(1),
  });
  assert.equal(res.statusCode, 500);
  assert.ok(res.headers['content-security-policy']);
  assert.equal(logged.length, 1);
  const line = JSON.parse(logged[0] as string);
  assert.equal(line.msg, 'unexpected error in POST /api/v1/declarations: Error: disk exploded');
  assert.match(line.err.stack, /disk exploded/);
  assert.doesNotMatch(logged[0] as string, /mail\.example/);
});

test('repeated parameters on the statements search, on SQLite and PostgreSQL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-params-'));
  const stores = [new SqliteStore(dir), new PostgresStore(postgresUrl, { schema: freshSchema() })];
  try {
    for (const store of stores) {
      const a = await buildApp({
        store,
        sequencer: counting().sequencer,
        vkey: 'example.org/log+00000000+AQ==',
        logger,
      });
      for (const url of [
        '/en/statements?q=a&q=b',
        '/en/statements?region=CN-GD&region=CN-BJ',
        '/en/statements?org=party&org=league&year=2024&year=2025',
      ]) {
        const res = await a.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, `${store.constructor.name} ${url}`);
      }
      await a.close();
    }
  } finally {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
