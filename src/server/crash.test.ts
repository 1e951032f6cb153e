// Crash safety: under concurrent load the server is killed with SIGKILL at random moments and
// restarted. Every acknowledged receipt must be in the final log, the log must verify, and every
// checkpoint anyone saw must be consistent with the final one. CHAOS_ROUNDS sets the rounds
// (`npm run chaos` runs many more than `npm test`).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditLog } from '../../test/audit.ts';
import { startServer } from '../../test/server-process.ts';
import { decodeBase64 } from '../log/index.ts';
import type { Receipt } from '../sequencer/index.ts';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 20);
const CLIENTS = 16;
const _b64 = (s: string) => decodeBase64(s) as Uint8Array;

test(`SIGKILL under load, ${ROUNDS} rounds: nothing acknowledged is lost, no fork`, {
  timeout: 600_000,
}, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tuidang-crash-'));
  const env = { DATA_DIR: dataDir, TUIDANG_ORIGIN: 'crash.example/log' };
  const acknowledged: Receipt[] = [];
  const checkpoints = new Set<string>();
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
          const { receipts } = (await res.json()) as { receipts: Receipt[] };
          for (const r of receipts) {
            acknowledged.push(r);
            checkpoints.add(r.checkpoint);
          }
        } catch {
          return; // the server died under us: this request was never acknowledged
        }
      }
    });
    await sleep(40 + Math.random() * 200);
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
  }
  assert.ok(acknowledged.length > ROUNDS, `only ${acknowledged.length} acknowledged declarations`);

  // Restart once more and audit the whole log.
  const server = await startServer(env);
  try {
    const { treeSize } = await auditLog(server.url, acknowledged, checkpoints);
    console.log(
      `# ${ROUNDS} kills, ${sent} requests, ${acknowledged.length} acknowledged declarants, final tree size ${treeSize}`,
    );
  } finally {
    await server.kill('SIGTERM');
  }
});
