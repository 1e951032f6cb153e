// The audit that crash and failover tests run at the end: the whole log verifies (mirrored and
// checked tile by tile), the published totals equal the recount, every acknowledged receipt is in
// the final log, and every checkpoint anyone saw is consistent with the final one (one root per
// size: no fork).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENTRIES_LEVEL,
  openCheckpoint,
  parseEntryBundle,
  proveConsistency,
  TILE_WIDTH,
  verifierFromKey,
  verifyConsistency,
} from '../src/log/index.ts';
import type { Receipt } from '../src/sequencer/index.ts';
import {
  DirSource,
  HttpSource,
  mirror,
  readTilesOf,
  totalsDifferences,
  verifyReceipt,
} from '../src/verify/index.ts';

export async function auditLog(
  url: string,
  acknowledged: readonly Receipt[],
  seen: Iterable<string>,
): Promise<{ treeSize: number }> {
  const remote = await HttpSource.resolve(url);
  const logKeys = [verifierFromKey((await remote.vkey()) ?? '')];
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-audit-'));
  const result = await mirror(url, dir, { logKeys });
  const final = result.checkpoint;
  const stats = await remote.stats();
  assert.equal(stats?.treeSize, final.treeSize, 'the log did not move during the audit');
  assert.deepEqual(
    totalsDifferences(stats?.totals, result.totals),
    [],
    'published totals equal the recount',
  );

  const local = new DirSource(dir);
  const readTiles = readTilesOf(local);
  const bundles = new Map<number, Uint8Array[]>();
  const entryAt = async (index: number) => {
    const k = Math.floor(index / TILE_WIDTH);
    if (!bundles.has(k)) {
      const width = Math.min(TILE_WIDTH, final.treeSize - k * TILE_WIDTH);
      bundles.set(
        k,
        parseEntryBundle(await local.tile({ level: ENTRIES_LEVEL, index: k, width }), width),
      );
    }
    return bundles.get(k)?.[index % TILE_WIDTH];
  };
  for (const r of acknowledged) {
    await verifyReceipt(r, logKeys);
    assert.ok(
      r.index < final.treeSize,
      `acknowledged entry ${r.index} is in the log of ${final.treeSize}`,
    );
    assert.equal(
      Buffer.from((await entryAt(r.index)) ?? []).toString('base64'),
      r.entry,
      `entry ${r.index} is the acknowledged one`,
    );
  }
  const roots = new Map<number, string>();
  for (const note of seen) {
    const cp = openCheckpoint(note, logKeys);
    const root = Buffer.from(cp.root).toString('base64');
    assert.equal(roots.get(cp.treeSize) ?? root, root, `one root for tree size ${cp.treeSize}`);
    roots.set(cp.treeSize, root);
    verifyConsistency(
      cp.treeSize,
      final.treeSize,
      cp.root,
      final.root,
      await proveConsistency(readTiles, cp.treeSize, final.treeSize),
    );
  }
  return { treeSize: final.treeSize };
}
