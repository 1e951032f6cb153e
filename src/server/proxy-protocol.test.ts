// The PROXY protocol listener: headers read exactly (v1 and v2), hostile ones refused, and a Tor
// circuit limited as one client, over a real socket on loopback.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  Command,
  IPv4Address,
  IPv4ProxyAddress,
  IPv6Address,
  IPv6ProxyAddress,
  TransportProtocol,
  UnspecProxyAddress,
  V2ProxyProtocol,
} from 'proxy-protocol-js';
import { countingSequencer } from '../../test/sequencer.ts';
import { socketDone } from '../../test/wait.ts';
import { readConfig } from '../config/index.ts';
import { MemoryStore } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { ProxyHeaderError, proxyProtocolServer, readProxyHeader } from './proxy-protocol.ts';
import { startRegistry } from './start.ts';

const v2 = (command: Command, address: IPv4ProxyAddress | IPv6ProxyAddress | UnspecProxyAddress) =>
  Buffer.from(new V2ProxyProtocol(command, TransportProtocol.STREAM, address).build());

test('headers: v1 and v2 read to their last byte; what follows is left for HTTP', () => {
  const tor = 'PROXY TCP6 fc00:dead:beef:4dad::0:1b ::1 27 80\r\nGET / HTTP/1.1\r\n';
  assert.deepEqual(readProxyHeader(Buffer.from(tor)), {
    address: 'fc00:dead:beef:4dad::1b',
    length: tor.indexOf('GET'),
  });
  assert.deepEqual(readProxyHeader(Buffer.from('PROXY TCP4 192.0.2.7 127.0.0.1 5000 80\r\n')), {
    address: '192.0.2.7',
    length: 40,
  });
  assert.deepEqual(readProxyHeader(Buffer.from('PROXY UNKNOWN\r\n')), {
    address: undefined,
    length: 15,
  });
  const four = v2(
    Command.PROXY,
    new IPv4ProxyAddress(
      IPv4Address.createFrom([198, 51, 100, 9]),
      4000,
      IPv4Address.createFrom([127, 0, 0, 1]),
      80,
    ),
  );
  assert.deepEqual(readProxyHeader(Buffer.concat([four, Buffer.from('GET')])), {
    address: '198.51.100.9',
    length: four.length,
  });
  const six = v2(
    Command.PROXY,
    new IPv6ProxyAddress(
      IPv6Address.createFrom([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
      4000,
      IPv6Address.createFrom([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
      80,
    ),
  );
  assert.equal(readProxyHeader(six)?.address, '2001:db8::1');
  const local = v2(Command.LOCAL, new UnspecProxyAddress());
  assert.deepEqual(readProxyHeader(local), { address: undefined, length: 16 });
  // Incomplete: wait for more, at every cut.
  for (const whole of [Buffer.from(tor), four, six])
    for (let cut = 1; cut < (readProxyHeader(whole)?.length ?? 0); cut++)
      assert.equal(readProxyHeader(whole.subarray(0, cut)), undefined, `cut at ${cut}`);
});

test('headers: anything else is refused before it is believed', () => {
  const bad = [
    'GET / HTTP/1.1\r\n\r\n',
    'PROXY TCP4 evil.example 127.0.0.1 1 2\r\n',
    'PROXY TCP4 2001:db8::1 127.0.0.1 1 2\r\n',
    'PROXY TCP6 192.0.2.1 ::1 1 2\r\n',
    'PROXY TCP4 192.0.2.1\r\n',
    'PROXY HTTP 192.0.2.1 127.0.0.1 1 2\r\n',
    `PROXY TCP4 ${'1'.repeat(120)}`,
  ];
  for (const b of bad) assert.throws(() => readProxyHeader(Buffer.from(b)), ProxyHeaderError, b);
  const huge = Buffer.from(v2(Command.LOCAL, new UnspecProxyAddress()));
  huge.writeUInt16BE(60_000, 14);
  assert.throws(() => readProxyHeader(huge), /too long/);
  const wrongVersion = Buffer.from(v2(Command.LOCAL, new UnspecProxyAddress()));
  wrongVersion[12] = 0x30;
  assert.throws(() => readProxyHeader(wrongVersion), /malformed/);
});

/** One HTTP/1.1 request on a fresh connection to the PROXY listener; the status, or 0 if closed. */
function request(
  port: number,
  header: string | Buffer,
  body: string,
  split: boolean,
): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (d) => {
    answer += d.toString('latin1');
  });
  socket.on('error', () => {}); // a refused connection is an answer of 0
  // The answer is complete once the server has ended the connection: 'end' (a half-closed socket
  // may never emit 'close'), 'close' or 'error', within 10 s.
  const done = socketDone(socket, 10_000).then(() => {
    socket.destroy();
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
  });
  const http = Buffer.from(
    `POST /api/v1/declarations HTTP/1.1\r\nHost: x.onion\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  if (split) {
    socket.write(header);
    setTimeout(() => socket.write(http), 20);
  } else socket.write(Buffer.concat([Buffer.from(header), http]));
  return done;
}

test('on loopback: each Tor circuit is one client, whatever its requests say; no header, no answer', async () => {
  const { sequencer, declared } = countingSequencer();
  const app = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'example.org/log+00000000+AQ==',
    logger: createLogger({ write: () => {} }),
    rateLimit: 1, // a burst of 50, then one a minute
    trustProxy: 1, // even a declared proxy's X-Forwarded-For does not name an onion client
  });
  await app.ready();
  const listener = proxyProtocolServer(app.server, 2_000);
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  const { port } = listener.address() as { port: number };
  const body = JSON.stringify({
    language: 'en',
    declarants: [{ name: 'Person A', nameKind: 'alias', orgs: ['party'] }],
  });
  const circuit = (id: number) =>
    `PROXY TCP6 fc00:dead:beef:4dad::${(id >> 16).toString(16)}:${(id & 0xffff).toString(16)} ::1 ${id & 0xffff} 80\r\n`;
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push(await request(port, circuit(0x10001), body, i % 2 === 0));
    assert.equal(statuses.filter((s) => s === 201).length, 50, 'one circuit: one budget');
    assert.equal(statuses.filter((s) => s === 429).length, 10);
    assert.equal(await request(port, circuit(0x10002), body, false), 201, 'another circuit');
    assert.equal(await request(port, 'PROXY TCP4 192.0.2.9 127.0.0.1 1 80\r\n', body, true), 201);
    assert.equal(await request(port, '', body, false), 0, 'no PROXY header: closed unanswered');
    assert.equal(await request(port, 'PROXY TCP4 nope 127.0.0.1 1 80\r\n', body, false), 0);
    assert.equal(declared.length, 52);
  } finally {
    listener.close();
    await app.close();
  }
});

test('PROXY_PROTOCOL_LISTEN: tuidang serve opens the listener beside PORT', async () => {
  const free = createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
  const { port } = free.address() as { port: number };
  await new Promise((r) => free.close(r));
  assert.throws(() => readConfig({ PROXY_PROTOCOL_LISTEN: '8081' }), /PROXY_PROTOCOL_LISTEN=8081/);
  const registry = await startRegistry(
    readConfig({
      TUIDANG_POW: 'off',
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-proxy-')),
      PROXY_PROTOCOL_LISTEN: `127.0.0.1:${port}`,
    }),
  );
  try {
    const body = JSON.stringify({
      language: 'en',
      declarants: [{ name: 'Person A', nameKind: 'alias', orgs: ['party'] }],
    });
    assert.equal(
      await request(port, 'PROXY TCP6 fc00:dead:beef:4dad::1:2 ::1 2 80\r\n', body, false),
      201,
    );
  } finally {
    await registry.close();
  }
});
