// A graceful stop: SIGTERM while 50 declarations are in flight. Every request already taken gets an
// HTTP answer (its receipt, or a problem document saying to come back), none ends in a reset, and
// every acknowledged declaration is in the log after the restart.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Acknowledged } from '../../test/acknowledged.ts';
import { auditLog } from '../../test/audit.ts';
import { startServer } from '../../test/server-process.ts';
import { exited } from '../../test/wait.ts';
import type { Receipt } from '../sequencer/index.ts';

const IN_FLIGHT = 50;

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

test('SIGTERM under 50 concurrent declarations: every request is answered, nothing acknowledged is lost', {
  timeout: 120_000,
}, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tuidang-shutdown-'));
  const env = { DATA_DIR: dataDir, TUIDANG_ORIGIN: 'shutdown.example/log' };
  const server = await startServer(env);
  const { port } = new URL(server.url);
  // Each request sends its headers and half its body, then waits: it is in flight when the signal
  // comes, and sends the rest after.
  const started: Array<() => void> = [];
  const answers = Array.from({ length: IN_FLIGHT }, (_, i) => {
    const body = JSON.stringify({
      language: 'en',
      declarants: [{ name: `person ${i}`, nameKind: 'alias', orgs: ['party'] }],
    });
    const half = Math.floor(body.length / 2);
    return new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/declarations',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'idempotency-key': randomUUID(),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: String(res.headers['content-type']),
              body: text,
            }),
          );
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, half));
      req.flushHeaders();
      started.push(() => req.end(body.slice(half)));
    });
  });
  // Let the server take every connection and read the headers, then stop it.
  await new Promise((r) => setTimeout(r, 500));
  const stopped = exited(server.child, 60_000);
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  for (const finish of started) finish();
  const settled = await Promise.allSettled(answers);
  const resets = settled.filter((s) => s.status === 'rejected');
  assert.deepEqual(
    resets.map((r) => String((r as PromiseRejectedResult).reason)),
    [],
    'no request ended without an answer',
  );
  const acknowledged = new Acknowledged();
  for (const s of settled) {
    const a = (s as PromiseFulfilledResult<Answer>).value;
    if (a.status === 201) {
      acknowledged.add((JSON.parse(a.body) as { receipts: Receipt[] }).receipts);
    } else {
      assert.equal(a.status, 503, a.body);
      assert.match(a.type, /application\/problem\+json/);
    }
  }
  assert.equal((await stopped).code, 0, server.output());
  assert.equal(acknowledged.count, IN_FLIGHT, 'the requests taken before the signal were logged');
  assert.match(server.output(), /"msg":"stopped"/);

  const again = await startServer(env);
  try {
    await auditLog(again.url, acknowledged.receipts, acknowledged.checkpoints);
  } finally {
    await again.kill('SIGTERM');
  }
});
