// A listener that speaks the PROXY protocol (HAProxy's, v1 text and v2 binary), so that the
// client of a connection relayed by a local proxy is known: Tor's onion service with
// `HiddenServiceExportCircuitID haproxy` writes a v1 header whose source address stands for the
// circuit (fc00:dead:beef:4dad::/64, the circuit id in the low 32 bits), HAProxy with
// `send-proxy`/`send-proxy-v2` writes the client's address. Parsing the header is
// proxy-protocol-js's; finding where it ends in the stream, bounding it and checking what it says
// is done here, since every byte of it before the check is attacker-controlled when the listener
// is reachable by anyone but the proxy (keep it on loopback).
// Spec: https://www.haproxy.org/download/3.0/doc/proxy-protocol.txt (sections 2.1 and 2.2).
import type { Server } from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import {
  Command,
  IPv4ProxyAddress,
  IPv6ProxyAddress,
  V1ProxyProtocol,
  V2ProxyProtocol,
} from 'proxy-protocol-js';
import { TuidangError } from '../errors/index.ts';

/** The v2 signature (section 2.2): it cannot begin any HTTP request or v1 header. */
const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
/** The longest v1 line, CRLF included (section 2.1). */
const V1_MAX = 107;
/** v2 headers carry TLVs after the addresses; anything larger than this is not a proxy's. */
const V2_MAX = 16 + 1024;

/** What a header says: the client's address, or none (a proxy's own check, or UNKNOWN). */
export type ProxyHeader = { readonly address: string | undefined; readonly length: number };

export class ProxyHeaderError extends TuidangError<'bad-request'> {
  constructor(message: string) {
    super('bad-request', message);
    this.name = 'ProxyHeaderError';
  }
}

/**
 * The PROXY header at the start of `buf`: what it says and how many bytes it takes, or undefined
 * when more bytes are needed to tell. Throws ProxyHeaderError on anything that is not one.
 */
export function readProxyHeader(buf: Buffer): ProxyHeader | undefined {
  if (buf.length === 0) return undefined;
  if (buf[0] === V2_SIGNATURE[0]) return readV2(buf);
  const start = buf.subarray(0, 6).toString('latin1');
  if (!'PROXY '.startsWith(start) && !start.startsWith('PROXY '))
    throw new ProxyHeaderError('the connection does not start with a PROXY protocol header');
  const end = buf.subarray(0, V1_MAX).indexOf('\r\n');
  if (end < 0) {
    if (buf.length >= V1_MAX) throw new ProxyHeaderError('the PROXY v1 line is too long');
    return undefined;
  }
  const line = buf.subarray(0, end + 2).toString('latin1');
  const length = end + 2;
  if (/^PROXY UNKNOWN[ \r]/.test(line)) return { address: undefined, length };
  let parsed: V1ProxyProtocol;
  try {
    parsed = V1ProxyProtocol.parse(line);
  } catch {
    throw new ProxyHeaderError('the PROXY v1 line is malformed');
  }
  const address = parsed.source.ipAddress;
  const family = parsed.inetProtocol === 'TCP4' ? 'ipv4' : 'ipv6';
  // The library matches `[^ ]+`: only a real address of the stated family is believed.
  const ok =
    family === 'ipv4' ? ipaddr.IPv4.isValidFourPartDecimal(address) : ipaddr.IPv6.isValid(address);
  if (!ok) throw new ProxyHeaderError('the PROXY v1 line names no valid address');
  return { address: ipaddr.parse(address).toString(), length };
}

function readV2(buf: Buffer): ProxyHeader | undefined {
  const head = buf.subarray(0, V2_SIGNATURE.length);
  if (!V2_SIGNATURE.subarray(0, head.length).equals(head))
    throw new ProxyHeaderError('the connection does not start with a PROXY protocol header');
  if (buf.length < 16) return undefined;
  const length = 16 + buf.readUInt16BE(14);
  if (length > V2_MAX) throw new ProxyHeaderError('the PROXY v2 header is too long');
  if (buf.length < length) return undefined;
  let parsed: V2ProxyProtocol;
  try {
    parsed = V2ProxyProtocol.parse(new Uint8Array(buf.subarray(0, length)));
  } catch {
    throw new ProxyHeaderError('the PROXY v2 header is malformed');
  }
  if (parsed.command === Command.LOCAL) return { address: undefined, length };
  const a = parsed.proxyAddress;
  if (a instanceof IPv4ProxyAddress)
    return { address: ipaddr.fromByteArray([...a.sourceAddress.address]).toString(), length };
  if (a instanceof IPv6ProxyAddress)
    return { address: ipaddr.fromByteArray([...a.sourceAddress.address]).toString(), length };
  return { address: undefined, length }; // UNSPEC or a Unix socket: no client address
}

/** The client address a PROXY header gave a connection, if it came through the listener. */
const proxied = new WeakMap<Socket, string>();

export function proxiedAddress(socket: Socket): string | undefined {
  return proxied.get(socket);
}

/**
 * A listener whose connections each start with a PROXY header: the header is read and taken
 * off, and the connection handed to `server` (Node's documented way: emit 'connection') (the HTTP server) as if it had arrived there, its
 * client known by proxiedAddress. A connection that sends no valid header within `timeoutMs` is
 * closed without an answer.
 */
export function proxyProtocolServer(server: Server, timeoutMs = 10_000): NetServer {
  return createServer((socket) => {
    let buf: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    const fail = () => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      let header: ProxyHeader | undefined;
      try {
        header = readProxyHeader(buf);
      } catch {
        return fail();
      }
      if (header === undefined) return;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.pause();
      // Without an address (a proxy's health check, UNKNOWN), all such connections are one client.
      proxied.set(socket, header.address ?? 'proxy-without-address');
      server.emit('connection', socket);
      // The HTTP server reads the socket's handle directly from now on (it never sees bytes put
      // back with unshift): what came after the header is given to its data listener instead.
      const rest = buf.subarray(header.length);
      if (rest.length > 0) socket.emit('data', rest);
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });
}
