// Two `tuidang serve` processes on one PostgreSQL database: both accept declarations, one
// sequences. Killing the sequencing one under load: the other takes over, nothing acknowledged is
// lost, and there is never a fork. The takeover time (from the kill to the first answer after it)
// is printed as a figure; the test waits on answers, not on the clock.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Acknowledged } from '../../test/acknowledged.ts';
import { auditLog } from '../../test/audit.ts';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { type ServerProcess, startServer } from '../../test/server-process.ts';
import { generateKey } from '../log/index.ts';
import type { Receipt } from '../sequencer/index.ts';

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
  const names = new Map<ServerProcess, string>([
    [first, 'first'],
    [second, 'second'],
  ]);
  const acknowledged = new Acknowledged();
  let stop = false;

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
        acknowledged.add(
          ((await res.json()) as { receipts: Receipt[] }).receipts,
          names.get(server),
        );
      } catch {
        if (server === first) return; // killed
      }
    }
  };
  const clients = [0, 1, 2, 3].map((c) => client(c % 2 === 0 ? first : second, `c${c}-`));
  const answered = (name: string) => acknowledged.by.get(name) ?? 0;
  // Both nodes answer, the one that does not sequence too.
  await acknowledged.until(() => answered('first') >= 20 && answered('second') >= 20);

  await first.kill('SIGKILL');
  const killedAt = performance.now();
  const secondAtKill = answered('second');
  await acknowledged.until(() => answered('second') > secondAtKill);
  const takeover = performance.now() - killedAt;
  await acknowledged.until(() => answered('second') >= secondAtKill + 20);
  stop = true;
  await Promise.all(clients);

  try {
    const { treeSize } = await auditLog(
      second.url,
      acknowledged.receipts,
      acknowledged.checkpoints,
    );
    assert.ok(treeSize >= acknowledged.count, 'every acknowledged declarant has an entry');
    console.log(
      `# ${acknowledged.count} acknowledged, takeover in ${Math.round(takeover)} ms, final tree size ${treeSize}`,
    );
  } finally {
    await second.kill('SIGTERM');
  }
});
