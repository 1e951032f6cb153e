// Backup while serving under load, restore, start, verify: nothing acknowledged before the backup
// started is missing, and the restored log verifies.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Acknowledged } from '../../test/acknowledged.ts';
import { auditLog } from '../../test/audit.ts';
import { runCli as tuidang } from '../../test/cli.ts';
import { startServer } from '../../test/server-process.ts';
import { generateKey } from '../log/index.ts';
import type { Receipt } from '../sequencer/index.ts';
import { databasePath } from '../store/index.ts';

test('online backup under load; restore; every receipt acknowledged before the backup is there', {
  timeout: 120_000,
}, async () => {
  const key = generateKey('backup.example/log');
  const env = {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-backup-')),
    TUIDANG_ORIGIN: 'backup.example/log',
    TUIDANG_SIGNER_KEY: key.skey,
  };
  const server = await startServer(env);
  const acknowledged = new Acknowledged();
  let stop = false;
  const clients = Array.from({ length: 8 }, async (_, c) => {
    for (let i = 0; !stop; i++) {
      const res = await fetch(`${server.url}/api/v1/declarations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          language: 'en',
          declarants: [{ name: `b${c}-${i}`, nameKind: 'alias', orgs: ['party'] }],
        }),
      });
      acknowledged.add(((await res.json()) as { receipts: Receipt[] }).receipts);
    }
  });
  await acknowledged.more(100);
  const file = join(mkdtempSync(join(tmpdir(), 'tuidang-backup-file-')), 'copy.db');
  // Receipts acknowledged before the backup started must be in the copy.
  const before = acknowledged.receipts.slice();
  const made = await tuidang(env, 'backup', file);
  assert.equal(made.code, 0, made.stderr);
  // And the log grows on after the backup, so the copy is a snapshot of an earlier state.
  await acknowledged.more(100);
  stop = true;
  await Promise.all(clients);
  await server.kill('SIGTERM');
  const again = await tuidang(env, 'backup', file);
  assert.equal(again.code, 2, 'refuses to overwrite');

  const restored = { ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-restored-')) };
  copyFileSync(file, databasePath(restored.DATA_DIR));
  const revived = await startServer(restored);
  try {
    assert.ok(before.length > 0);
    const { treeSize } = await auditLog(
      revived.url,
      before,
      before.map((r) => r.checkpoint),
    );
    assert.ok(treeSize >= before.length);
    assert.ok(treeSize < acknowledged.count, 'the copy is a snapshot, not the final log');
  } finally {
    await revived.kill('SIGTERM');
  }
});
