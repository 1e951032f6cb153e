// deploy/nginx.conf, as shipped, in a real nginx (Debian's) in front of a real registry with
// TRUST_PROXY=1: TLS works, a client that forges X-Forwarded-For is still one client to the rate
// limit, bodies over 1 MiB stop at the proxy, and nginx writes no client address anywhere.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { selfSigned } from '../../test/log-dir.ts';
import { exited } from '../../test/wait.ts';
import { readConfig } from '../config/index.ts';
import { startRegistry } from './start.ts';

const NGINX = '/usr/sbin/nginx';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

function https(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: 'registry.example', ...opts.headers },
        rejectUnauthorized: false, // the test's own self-signed certificate
        timeout: 20_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} in 20 s`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

test('deploy/nginx.conf in a real nginx: TLS, one client per address, body limit, no address logged', {
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-nginx-'));
  chmodSync(dir, 0o777); // nginx's workers run as nobody and write their temporary files here
  const registry = await startRegistry(
    readConfig({
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'silent',
    }),
  );
  const [tls, plain] = [await freePort(), await freePort()];
  const pem = selfSigned();
  writeFileSync(join(dir, 'key.pem'), pem.key);
  writeFileSync(join(dir, 'cert.pem'), pem.cert);
  // The shipped file with this machine's ports, certificate and log directory.
  const site = readFileSync(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8')
    .replace('127.0.0.1:8080', new URL(registry.url).host)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tls} ssl http2;`)
    .replace('listen 80;', `listen 127.0.0.1:${plain};`)
    .replace(/^\s*listen \[::\].*$/gm, '')
    .replace(/\/etc\/letsencrypt\/live\/registry\.example\/fullchain\.pem/, join(dir, 'cert.pem'))
    .replace(/\/etc\/letsencrypt\/live\/registry\.example\/privkey\.pem/, join(dir, 'key.pem'))
    .replace('/var/log/nginx/', `${dir}/`);
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `error_log ${dir}/main-error.log info;\npid ${dir}/nginx.pid;\nevents {}\nhttp {\n  access_log ${dir}/default-access.log;\n  include ${dir}/site.conf;\n}\n`,
  );
  const nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nginx.stderr.on('data', (d) => {
    stderr += d;
  });
  try {
    for (let i = 0; ; i++) {
      try {
        await https(tls, '/healthz');
        break;
      } catch (e) {
        if (i > 50) throw new Error(`nginx did not start: ${stderr} ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const stats = await https(tls, '/api/v1/stats');
    assert.equal(stats.status, 200, stats.body);

    // 50 declarants at once is the burst one client may use; more from the same client waits,
    // whatever it writes in X-Forwarded-For.
    const declare = (n: number, forged: string) =>
      https(tls, '/api/v1/declarations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forged },
        body: JSON.stringify({
          language: 'en',
          declarants: Array.from({ length: n }, (_, i) => ({
            name: `p${i}`,
            nameKind: 'alias',
            orgs: ['party'],
          })),
        }),
      });
    assert.equal((await declare(50, '198.51.100.1')).status, 201);
    const again = await declare(1, '198.51.100.2');
    assert.equal(again.status, 429, `a forged X-Forwarded-For is a new client: ${again.body}`);

    const big = await https(tls, '/api/v1/declarations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    assert.equal(big.status, 413, 'the proxy refuses bodies over 1 MiB');

    const redirect = await fetch(`http://127.0.0.1:${plain}/en/`, { redirect: 'manual' });
    assert.equal(redirect.status, 301, 'plain HTTP is sent to HTTPS');
  } finally {
    // A graceful stop, and a kill if it takes longer than 10 s.
    const stopped = exited(nginx, 10_000);
    nginx.kill('SIGQUIT');
    await stopped.catch(() => {
      nginx.kill('SIGKILL');
      return exited(nginx, 10_000);
    });
    await registry.close();
  }
  // Nothing nginx wrote for this site holds the client's address (its own start-up lines aside).
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.log') && f !== 'main-error.log'))
    assert.doesNotMatch(readFileSync(join(dir, f), 'utf8'), /127\.0\.0\.1|198\.51\.100/, f);
});
