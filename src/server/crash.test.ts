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
import { startServer } from '../../test/server-process.ts';
import {
  decodeBase64,
  hashLeaf,
  openCheckpoint,
  parseEntryBundle,
  proveConsistency,
  type ReadTiles,
  TILE_WIDTH,
  tilePath,
  treeRoot,
  verifierFromKey,
  verifyConsistency,
  verifyInclusion,
} from '../log/index.ts';
import { decodeEntry, tally } from '../registry/index.ts';
import type { Receipt } from '../sequencer/index.ts';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 20);
const CLIENTS = 16;
const b64 = (s: string) => decodeBase64(s) as Uint8Array;

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

  // Restart once more and check the whole log.
  const server = await startServer(env);
  try {
    const vkey = (await (await fetch(`${server.url}/log/vkey`)).text()).trim();
    const verifier = verifierFromKey(vkey);
    const final = openCheckpoint(
      await (await fetch(`${server.url}/log/checkpoint`)).text(),
      [verifier],
      'crash.example/log',
    );
    const readTiles: ReadTiles = (tiles) =>
      Promise.all(
        tiles.map(async (t) => {
          const res = await fetch(`${server.url}/log/${tilePath(t)}`);
          assert.equal(res.status, 200, tilePath(t));
          return new Uint8Array(await res.arrayBuffer());
        }),
      );
    assert.deepEqual(
      Buffer.from(await treeRoot(readTiles, final.treeSize)),
      Buffer.from(final.root),
      'tiles reproduce the root',
    );

    const bundles = await readTiles(
      Array.from({ length: Math.ceil(final.treeSize / TILE_WIDTH) }, (_, i) => ({
        level: -1,
        index: i,
        width: Math.min(TILE_WIDTH, final.treeSize - i * TILE_WIDTH),
      })),
    );
    const entries = bundles.flatMap((b, i) =>
      parseEntryBundle(b, Math.min(TILE_WIDTH, final.treeSize - i * TILE_WIDTH)),
    );
    const stats = (await (await fetch(`${server.url}/api/v1/stats`)).json()) as { totals: unknown };
    assert.deepEqual(stats.totals, tally(entries.map(decodeEntry)), 'totals recount');

    for (const r of acknowledged) {
      assert.ok(
        r.index < final.treeSize,
        `acknowledged index ${r.index} is in the log of ${final.treeSize}`,
      );
      assert.deepEqual(
        Buffer.from(entries[r.index] as Uint8Array),
        Buffer.from(b64(r.entry)),
        `entry ${r.index} is the acknowledged one`,
      );
      const cp = openCheckpoint(r.checkpoint, [verifier]);
      verifyInclusion(
        r.index,
        r.treeSize,
        hashLeaf(b64(r.entry)),
        r.inclusionProof.map(b64),
        cp.root,
      );
    }
    for (const note of checkpoints) {
      const cp = openCheckpoint(note, [verifier]);
      verifyConsistency(
        cp.treeSize,
        final.treeSize,
        cp.root,
        final.root,
        await proveConsistency(readTiles, cp.treeSize, final.treeSize),
      );
    }
    console.log(
      `# ${ROUNDS} kills, ${sent} requests, ${acknowledged.length} acknowledged declarants, final tree size ${final.treeSize}`,
    );
  } finally {
    await server.kill('SIGTERM');
  }
});
