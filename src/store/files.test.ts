// The data directory and every file that holds what the registry stores are its owner's alone,
// whatever the umask: the directory 0700; the database, its WAL and shared memory, the lock and
// backups 0600. Also for a data directory an older version created with the umask's modes.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { append } from '../../test/stores.ts';
import { SqliteStore } from './sqlite.ts';
import { backupDatabase, DATABASE_FILES, LOCK_FILE } from './sqlite-db.ts';

const umask = process.umask(0o022);
after(() => process.umask(umask));

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const modes = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, mode(join(dir, f))]));

test('a new data directory is 0700 and its files 0600 under umask 022', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'tuidang-files-')), 'data');
  const store = new SqliteStore(dir);
  await append(store, 3);
  const lock = await store.cluster.lockSequencer();
  assert.equal(mode(dir), '700');
  assert.deepEqual(
    modes(dir),
    Object.fromEntries([...DATABASE_FILES, LOCK_FILE].map((f) => [f, '600'])),
  );
  const copy = join(mkdtempSync(join(tmpdir(), 'tuidang-backup-')), 'copy.db');
  assert.equal(backupDatabase(dir, copy), 3);
  assert.equal(mode(copy), '600', 'the backup');
  await lock?.release();
  await store.close();
});

test("an older data directory's modes are tightened when the store opens", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-files-'));
  const first = new SqliteStore(dir);
  await append(first, 1);
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  const again = new SqliteStore(dir);
  assert.equal(mode(dir), '700');
  assert.deepEqual(
    Object.values(modes(dir)),
    readdirSync(dir).map(() => '600'),
  );
  await again.close();
  await first.close();
});
