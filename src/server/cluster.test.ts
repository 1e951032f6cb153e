// Two `tuidang serve` processes on one PostgreSQL database: both accept declarations, one
// sequences. Killing the sequencing one under load: the other takes over within 5 s, nothing
// acknowledged is lost, and there is never a fork.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditLog } from '../../test/audit.ts';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { type ServerProcess, startServer } from '../../test/server-process.ts';
import { decodeBase64, generateKey } from '../log/index.ts';
import type { Receipt } from '../sequencer/index.ts';

const _b64 = (s: string) => decodeBase64(s) as Uint8Array;

test('two nodes, one sequencer: kill it under load, the other takes over, no fork, nothing lost', {
  timeout: 120_000,
}, async () => {
  const key = generateKey('cluster.example/log');
  const env = {
    DATABASE_URL: postgresUrl,
    DATABASE_SCHEMA: freshSchema(),
    TUIDANG_ORIGIN: 'cluster.example/log',
    TUIDANG_SIGNER_KEY: key.skey,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-cluster-')),
  };
  const first = await startServer(env); // starts first, so it holds the sequencer lock
  const second = await startServer(env);
  const acknowledged: Receipt[] = [];
  const checkpoints = new Set<string>();
  let stop = false;
  const answeredBy = new Map<ServerProcess, number>();

  const client = async (server: ServerProcess, tag: string) => {
    for (let i = 0; !stop; i++) {
      try {
        const res = await fetch(`${server.url}/api/v1/declarations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            language: 'en',
            declarants: [{ name: `${tag}${i}`, nameKind: 'alias', orgs: ['league'] }],
          }),
          signal: AbortSignal.timeout(20_000),
        });
        if (res.status !== 201) continue;
        answeredBy.set(server, (answeredBy.get(server) ?? 0) + 1);
        for (const r of ((await res.json()) as { receipts: Receipt[] }).receipts) {
          acknowledged.push(r);
          checkpoints.add(r.checkpoint);
        }
      } catch {
        if (server === first) return; // killed
      }
    }
  };
  const clients = [0, 1, 2, 3].map((c) => client(c % 2 === 0 ? first : second, `c${c}-`));
  await sleep(1500);
  const before = acknowledged.length;
  assert.ok(before > 0, 'declarations were logged before the kill');
  assert.ok((answeredBy.get(second) ?? 0) > 0, 'the node that does not sequence answers too');

  await first.kill('SIGKILL');
  const killedAt = Date.now();
  const countAtKill = acknowledged.length;
  // The surviving node's requests must be answered again within 5 s.
  while (acknowledged.length === countAtKill && Date.now() - killedAt < 10_000) await sleep(20);
  const takeover = Date.now() - killedAt;
  assert.ok(acknowledged.length > countAtKill, 'the surviving node logs again');
  assert.ok(takeover < 5000, `took over in ${takeover} ms`);
  await sleep(500);
  stop = true;
  await Promise.all(clients);

  try {
    const { treeSize } = await auditLog(second.url, acknowledged, checkpoints);
    console.log(
      `# ${acknowledged.length} acknowledged, takeover in ${takeover} ms, final tree size ${treeSize}`,
    );
  } finally {
    await second.kill('SIGTERM');
  }
});
