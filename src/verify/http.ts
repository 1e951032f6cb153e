// GET over HTTP(S) for the thousands of small tiles a verifier reads, with node:http's keep-alive
// agent: per request it costs a fraction of fetch (whose streams and promises were a third of a
// verifier's time), and each body is one buffer.
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { TuidangError } from '../errors/index.ts';

const unreachable = (message: string) => new TuidangError('unreachable', message);

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

/** The largest body accepted: a full entry bundle is at most 256 × 65,537 bytes. */
const MAX_BODY = 256 * 65_537;

/** No answer (or no more bytes) for this long fails the try. */
const TIMEOUT_MS = 30_000;

function getOnce(url: URL): Promise<{ status: number; body: Buffer }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(
      url,
      { agent: agents[url.protocol as keyof typeof agents], timeout: TIMEOUT_MS },
      (res) => {
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
      },
    );
    req.on('timeout', () => req.destroy(unreachable(`no answer in ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
  });
}

/**
 * GET `url`: its status and body, tried again on network errors and 5xx answers (three tries,
 * growing pauses). Throws the last error if every try failed.
 */
export async function getBytes(url: string): Promise<{ status: number; body: Uint8Array }> {
  const parsed = new URL(url);
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await sleep(200 * 4 ** (attempt - 1));
    try {
      const res = await getOnce(parsed);
      if (res.status < 500) return res;
      last = unreachable(`${url} answered ${res.status}`);
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : unreachable(String(last));
}
