// GET over HTTP(S) for the thousands of small tiles a verifier reads, with node:http's keep-alive
// agent: per request it costs a fraction of fetch (whose streams and promises were a third of a
// verifier's time), and each body is one buffer.
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { TuidangError } from '../errors/index.ts';

const unreachable = (message: string) => new TuidangError('unreachable', message);

/** Per scheme, its client and a keep-alive agent: 32 connections to a host at most. */
const clients: Record<string, { get: typeof http.get; agent: http.Agent }> = {
  'http:': { get: http.get, agent: new http.Agent({ keepAlive: true, maxSockets: 32 }) },
  'https:': { get: https.get, agent: new https.Agent({ keepAlive: true, maxSockets: 32 }) },
};

/** The largest body accepted: a full entry bundle is at most 256 × 65,537 bytes. */
const MAX_BODY = 256 * 65_537;

/** No answer (or no more bytes) for this long fails a try, unless the caller sets another. */
const TIMEOUT_MS = 30_000;

function getOnce(
  url: URL,
  client: (typeof clients)[string],
  timeoutMs: number,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = client.get(url, { agent: client.agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy(unreachable(`more than ${MAX_BODY} bytes`));
        else chunks.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(unreachable(`no answer in ${timeoutMs / 1000} s`)));
    req.on('error', reject);
  });
}

/** The TLS error codes of a certificate refused (untrusted, expired, for another name). */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|ISSUER|ALTNAME|SIGNATURE/;

/** Whether `e`, or an error that caused it, is a certificate refused: trying again is in vain. */
function certificateRefused(e: unknown): boolean {
  for (let x = e, depth = 0; x instanceof Error && depth < 4; x = x.cause, depth++)
    if (CERTIFICATE_CODE.test(String((x as NodeJS.ErrnoException).code ?? ''))) return true;
  return false;
}

/**
 * What went wrong, in words: an error's message and its causes' (fetch's own says only "fetch
 * failed"); an error with no message (a connection refused on every address) by its code or parts.
 */
export function reason(e: unknown, depth = 0): string {
  if (!(e instanceof Error)) return String(e);
  const own =
    e.message ||
    (e as NodeJS.ErrnoException).code ||
    (e instanceof AggregateError && depth < 3
      ? e.errors.map((x) => reason(x, depth + 1)).join('; ')
      : '') ||
    e.name;
  return e.cause !== undefined && depth < 3 ? `${own} (${reason(e.cause, depth + 1)})` : own;
}

/** The pauses before the second and the third try of {@link retried}. */
const PAUSES_MS = [200, 800];

/**
 * `once()`, tried again after a network error (anything it throws but a certificate refused) or a
 * 5xx answer (the server's trouble, perhaps passing): three tries at most, with growing pauses, so
 * a verifier neither gives up at the first hiccup nor retries for ever. Returns the first answer under 500; throws the last
 * try's error, or `failed(status)` when that try answered 5xx.
 */
export async function retried<T extends { readonly status: number }>(
  once: () => Promise<T>,
  failed: (status: number) => Error,
): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt <= PAUSES_MS.length; attempt++) {
    if (attempt > 0) await sleep(PAUSES_MS[attempt - 1] as number);
    try {
      const res = await once();
      if (res.status < 500) return res;
      last = failed(res.status);
    } catch (e) {
      if (certificateRefused(e)) throw e;
      last = e;
    }
  }
  throw last instanceof Error ? last : unreachable(String(last));
}

/** GET `url`: its status and body, {@link retried}, each try given up after `timeoutMs` of silence. */
export function getBytes(
  url: string,
  timeoutMs = TIMEOUT_MS,
): Promise<{ status: number; body: Uint8Array }> {
  const parsed = new URL(url);
  const client = clients[parsed.protocol];
  if (client === undefined)
    return Promise.reject(unreachable(`${url}: only http: and https: addresses can be read`));
  return retried(
    () => getOnce(parsed, client, timeoutMs),
    (status) => unreachable(`${url} answered ${status}`),
  );
}
