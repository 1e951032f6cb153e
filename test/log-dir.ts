// A signed log written to a directory at its tlog-tiles paths, as a mirror holds it, and a plain
// HTTP(S) file server over such a directory that can be told to fail: what a verifier reads from.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { integrate, signCheckpoint, signerFromKey, TileMap, tilePath } from '../src/log/index.ts';
import { type Entry, encodeEntry } from '../src/registry/index.ts';
import { writeAtomically } from '../src/verify/source.ts';

export const tmp = (name: string) => mkdtempSync(join(tmpdir(), `tuidang-${name}-`));

/** Byte `at` of `file` in the log directory `dir` flipped (a bit of it): a tampered copy. */
export function flip(dir: string, file: string, at: number): void {
  const path = join(dir, file);
  const bytes = readFileSync(path);
  bytes[at] = (bytes[at] as number) ^ 1;
  writeFileSync(path, bytes);
}

/** `n` declarations of one day in the party, each with a commitment of its own. */
export const declarations = (
  n: number,
  channel = (_i: number) => 'web' as 'web' | 'import',
): Entry[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'declaration',
    day: '2026-11-20',
    orgs: ['party'],
    channel: channel(i),
    commitment: new Uint8Array(32).fill(i % 251),
  }));

/** The entries' tiles and a checkpoint signed by `skey` for `origin`, written into `dir`. */
export async function writeLog(
  dir: string,
  log: readonly Entry[],
  origin: string,
  skey: string,
): Promise<string> {
  const r = await integrate(new TileMap().readTiles, 0, log.map(encodeEntry));
  for (const t of r.tiles) await writeAtomically(join(dir, tilePath(t.tile)), t.data);
  const note = signCheckpoint({ origin, treeSize: r.treeSize, root: r.root }, signerFromKey(skey));
  await writeAtomically(join(dir, 'checkpoint'), note);
  return dir;
}

/** A key and a self-signed certificate for 127.0.0.1 (PEM), made by Debian's openssl. */
export function selfSigned(): { key: string; cert: string } {
  const dir = tmp('tls');
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0)
    throw new Error(
      `openssl could not make a certificate: ${made.error?.message ?? made.stderr} (scripts/pretest.sh installs Debian's openssl)`,
    );
  const pem = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  rmSync(dir, { recursive: true });
  return pem;
}

export interface FileServer {
  readonly url: string;
  /** Connections accepted so far (TCP, before any TLS handshake). */
  readonly connections: () => number;
  /** GETs per path (without the leading slash), counted whatever was answered. */
  readonly hits: Map<string, number>;
  /** Statuses to answer for a path, one per request, before its file is served again. */
  readonly faults: Map<string, number[]>;
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1, under `prefix` (say `/log`), 404 for what it lacks: over HTTP, or over
 * HTTPS with `tls`'s key and certificate.
 */
export async function serveDir(
  dir: string,
  prefix = '',
  tls?: { key: string; cert: string },
): Promise<FileServer> {
  const hits = new Map<string, number>();
  const faults = new Map<string, number[]>();
  const handler: RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // Strict, as an object store is: `a//b` is not `a/b`.
    if (!url.pathname.startsWith(`${prefix}/`) || url.pathname.includes('//'))
      return void res.writeHead(404).end();
    const path = url.pathname.slice(prefix.length + 1);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const fault = faults.get(path)?.shift();
    if (fault !== undefined) return void res.writeHead(fault).end(`fault ${fault}`);
    try {
      const body = readFileSync(join(dir, normalize(path)));
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  };
  const server = tls ? createTlsServer(tls, handler) : createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    hits,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
