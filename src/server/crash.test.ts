// Crash safety: under concurrent load the server is killed with SIGKILL at random moments and
// restarted. Every acknowledged receipt must be in the final log, the log must verify, and every
// checkpoint anyone saw must be consistent with the final one. CHAOS_ROUNDS sets the rounds
// (`npm run chaos` runs many more than `npm test`).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Acknowledged } from '../../test/acknowledged.ts';
import { auditLog } from '../../test/audit.ts';
import { startServer } from '../../test/server-process.ts';
import type { Receipt } from '../sequencer/index.ts';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 20);
const CLIENTS = 16;

test(`SIGKILL under load, ${ROUNDS} rounds: nothing acknowledged is lost, no fork`, {
  timeout: 600_000,
}, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tuidang-crash-'));
  const env = { DATA_DIR: dataDir, TUIDANG_ORIGIN: 'crash.example/log' };
  const acknowledged = new Acknowledged();
  let sent = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const server = await startServer(env);
    let stop = false;
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      while (!stop) {
        const n = 1 + ((sent + c) % 3);
        sent++;
        const body = {
          language: 'en',
          declarants: Array.from({ length: n }, (_, i) => ({
            name: `r${round}c${c}i${i}`,
            nameKind: 'alias',
            orgs: ['party'],
          })),
        };
        try {
          const res = await fetch(`${server.url}/api/v1/declarations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (res.status !== 201) continue;
          acknowledged.add(((await res.json()) as { receipts: Receipt[] }).receipts);
        } catch {
          return; // the server died under us: this request was never acknowledged
        }
      }
    });
    // Killed at a random moment: after a random number of answers, while requests are in flight.
    await acknowledged.more(1 + Math.floor(Math.random() * 40));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
  }
  assert.ok(acknowledged.count > ROUNDS, `only ${acknowledged.count} acknowledged declarations`);

  // Restart once more and audit the whole log.
  const server = await startServer(env);
  try {
    const { treeSize } = await auditLog(
      server.url,
      acknowledged.receipts,
      acknowledged.checkpoints,
    );
    console.log(
      `# ${ROUNDS} kills, ${sent} requests, ${acknowledged.count} acknowledged declarants, final tree size ${treeSize}`,
    );
  } finally {
    await server.kill('SIGTERM');
  }
});
