// The verifier's GET: one retry rule for fetch and for node:http alike (three tries at most, again
// only after a thrown error or a 5xx answer); over HTTP and HTTPS with kept-alive connections; a
// server that falls silent or cuts a body short fails the try rather than holding the verifier.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import {
  declarations,
  type FileServer,
  selfSigned,
  serveDir,
  tmp,
  writeLog,
} from '../../test/log-dir.ts';
import { until } from '../../test/wait.ts';
import { TuidangError } from '../errors/index.ts';
import { generateKey, verifierFromKey } from '../log/index.ts';
import { getBytes, reason, retried } from './http.ts';
import { HttpSource } from './source.ts';
import { verifyLog } from './verify.ts';

/** A `once` that gives the listed answers (a status, or an error to throw) one after another. */
function answers(...list: Array<number | Error>) {
  const calls = { n: 0 };
  const once = async () => {
    const next = list[calls.n++];
    if (next instanceof Error) throw next;
    return { status: next as number };
  };
  return { calls, once };
}
const failed = (status: number) => new TuidangError('unreachable', `answered ${status}`);

test('an answer under 500 is taken at once, even a 404', async () => {
  for (const status of [200, 404, 429]) {
    const { calls, once } = answers(status, 200);
    assert.equal((await retried(once, failed)).status, status);
    assert.equal(calls.n, 1);
  }
});

test('a 5xx answer or a thrown error is tried again, up to three tries', async () => {
  const flaky = answers(503, new Error('ECONNRESET'), 200);
  assert.equal((await retried(flaky.once, failed)).status, 200);
  assert.equal(flaky.calls.n, 3);

  const down = answers(500, 502, 503, 200);
  const started = performance.now();
  await assert.rejects(retried(down.once, failed), /answered 503/, 'the last try says why');
  // Not at once: a pause of 200 ms before the second try, 800 ms before the third.
  assert.ok(performance.now() - started >= 990, 'pauses between the tries');
  assert.equal(down.calls.n, 3, 'no fourth try');

  const broken = answers(503, 503, new Error('ECONNREFUSED'));
  await assert.rejects(retried(broken.once, failed), /ECONNREFUSED/);
  assert.equal(broken.calls.n, 3);
});

test("a thrown value that is not an Error is told as the verifier's own error", async () => {
  await assert.rejects(
    retried(() => Promise.reject('down'), failed),
    (e: unknown) => e instanceof TuidangError && e.code === 'unreachable' && e.message === 'down',
  );
});

const origin = 'tls.example/log';
const key = generateKey(origin);

/** A served log of 300 entries, and the 10 sequential GETs of its checkpoint that opened how many connections. */
async function tenGets(server: FileServer): Promise<number> {
  const before = server.connections();
  for (let i = 0; i < 10; i++) {
    const { status, body } = await getBytes(`${server.url}/checkpoint`);
    assert.equal(status, 200);
    assert.match(new TextDecoder().decode(body), new RegExp(`^${origin}\n300\n`));
  }
  return server.connections() - before;
}

test('over HTTP, one kept-alive connection carries request after request', async () => {
  const server = await serveDir(await writeLog(tmp('http'), declarations(300), origin, key.skey));
  try {
    assert.equal(await tenGets(server), 1);
  } finally {
    await server.close();
  }
});

test('at most 32 connections to a server at once, the other requests waiting their turn', async () => {
  const held: Array<() => void> = [];
  const slow = await rawServer((socket) =>
    socket.on('data', () =>
      held.push(() => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')),
    ),
  );
  const gets = Array.from({ length: 40 }, () => getBytes(`${slow.url}/tile/0/000`));
  try {
    await until(() => held.length >= 32, 10_000, 'the first 32 requests');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(slow.sockets.length, 32);
    while (held.length > 0) (held.shift() as () => void)();
    await until(() => held.length === 8, 10_000, 'the 8 requests that waited');
    for (const answer of held) answer();
    for (const { status, body } of await Promise.all(gets)) {
      assert.equal(status, 200);
      assert.equal(Buffer.from(body).toString(), 'ok');
    }
    assert.equal(slow.sockets.length, 32, 'the waiting requests reused those connections');
  } finally {
    await slow.close();
    await Promise.allSettled(gets);
  }
});

test('only http: and https: addresses are read', async () => {
  await assert.rejects(getBytes('ftp://127.0.0.1/checkpoint'), (e: unknown) => {
    assert.ok(e instanceof TuidangError && e.code === 'unreachable', String(e));
    assert.equal(
      e.message,
      'ftp://127.0.0.1/checkpoint: only http: and https: addresses can be read',
    );
    return true;
  });
});

test('an error is told with its causes, and one with no message by its code or its parts', () => {
  const refused = (address: string) =>
    Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
  const bothAddresses = new AggregateError([refused('::1:9'), refused('127.0.0.1:9')], '');
  assert.equal(
    reason(new TypeError('fetch failed', { cause: bothAddresses })),
    'fetch failed (connect ECONNREFUSED ::1:9; connect ECONNREFUSED 127.0.0.1:9)',
  );
  const coded = Object.assign(new Error(''), { code: 'ECONNRESET' });
  assert.equal(reason(new Error('fetch failed', { cause: coded })), 'fetch failed (ECONNRESET)');
  assert.equal(reason(new RangeError('')), 'RangeError');
  assert.equal(reason('down'), 'down');
  // A chain of causes is cut after three.
  let deep = new Error('5');
  for (const n of ['4', '3', '2', '1']) deep = new Error(n, { cause: deep });
  assert.equal(reason(deep), '1 (2 (3 (4)))');
});

test('an error that is its own cause, or its own part, is told and retried without looping', async () => {
  const looped = new Error('reset');
  looped.cause = looped;
  assert.equal(reason(looped), 'reset (reset (reset (reset)))');
  const nested = new AggregateError([], '');
  assert.equal(reason(nested), 'AggregateError');
  nested.errors.push(nested);
  // Parts within parts are told three deep, as causes are (without a bound, the stack overflows).
  assert.equal(reason(nested), 'AggregateError');
  nested.errors.push(new Error('refused'));
  assert.equal(reason(nested), 'AggregateError; refused; refused; refused');
  // The certificate check walks the causes too: a loop ends, and the error is tried again.
  let tries = 0;
  await assert.rejects(
    retried(
      () => {
        tries++;
        return Promise.reject(looped);
      },
      () => new Error('5xx'),
    ),
    (e) => e === looped,
  );
  assert.equal(tries, 3);
});

test('over HTTPS: a certificate not trusted is refused, saying so; once trusted, requests share a kept-alive connection and the log verifies', async () => {
  const tls = selfSigned();
  const dir = await writeLog(tmp('https'), declarations(300), origin, key.skey);
  const server = await serveDir(dir, '', tls);
  const trusted = getCACertificates('default');
  try {
    // Refused at the first try: a certificate refused now is refused again.
    await assert.rejects(getBytes(`${server.url}/checkpoint`), /self-signed certificate/);
    assert.equal(server.connections(), 1);
    // fetch (the registry's API, the checkpoint's address) says only "fetch failed" of itself.
    await assert.rejects(
      HttpSource.resolve(server.url),
      /^SourceError: cannot fetch https:\S+\/log\/checkpoint: fetch failed \(self-signed certificate/,
    );
    assert.equal(server.connections(), 2);

    setDefaultCACertificates([...trusted, tls.cert]);
    assert.equal(await tenGets(server), 1);
    const source = await HttpSource.resolve(server.url);
    const result = await verifyLog(source, { logKeys: [verifierFromKey(key.vkey)] });
    assert.equal(result.checkpoint.treeSize, 300);
    assert.equal(result.totals.entries, 300);
    assert.ok(server.hits.get('tile/entries/001.p/44'), 'the tiles came over HTTPS');
  } finally {
    setDefaultCACertificates(trusted);
    await server.close();
  }
});

/** A TCP server on 127.0.0.1 that hands each connection to `talk`, counting them. */
async function rawServer(talk: (socket: Socket) => void) {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    talk(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

test('a server that falls silent: each try is given up after the timeout, three tries, and the last says why', async () => {
  const silent = await rawServer(() => {});
  try {
    const started = performance.now();
    await assert.rejects(getBytes(`${silent.url}/checkpoint`, 150), (e: unknown) => {
      assert.ok(e instanceof TuidangError, String(e));
      assert.equal(e.code, 'unreachable');
      assert.equal(e.message, 'no answer in 0.15 s');
      return true;
    });
    assert.ok(performance.now() - started >= 3 * 150 + 1000 - 10);
    assert.equal(silent.sockets.length, 3, 'each try on a connection of its own');
  } finally {
    await silent.close();
  }
});

test('a body cut short fails the try, and is tried again', async () => {
  const cut = await rawServer((socket) =>
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789');
      setTimeout(() => socket.destroy(), 20);
    }),
  );
  try {
    await assert.rejects(getBytes(`${cut.url}/tile/0/000`), /aborted|ECONNRESET|socket hang up/);
    assert.equal(cut.sockets.length, 3);
  } finally {
    await cut.close();
  }
});
