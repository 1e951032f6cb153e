// Upgrades: an existing database at an older schema is migrated only on the operator's word
// (TUIDANG_MIGRATE=yes, after a backup), never under a running sequencer of the older version, and
// a node whose code is older than the database's schema does not sequence it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import pg from 'pg';
import { runCli } from '../../test/cli.ts';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { integrate, TileMap, tilePath, treeRoot } from '../log/index.ts';
import { emptyTotals, type Totals } from '../registry/index.ts';
import { PostgresStore } from './postgres.ts';
import { lockKey, MIGRATIONS as PG_MIGRATIONS } from './postgres-db.ts';
import { SqliteStore } from './sqlite.ts';
import { DATABASE_FILE, MIGRATIONS as SQLITE_MIGRATIONS } from './sqlite-db.ts';

/** A data directory whose database stopped one migration short, as the previous version left it. */
function olderSqlite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-upgrade-'));
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  for (const m of SQLITE_MIGRATIONS.slice(0, -1)) db.exec(m);
  db.exec(`PRAGMA user_version = ${SQLITE_MIGRATIONS.length - 1}`);
  db.close();
  return dir;
}

test('SQLite: an older database is refused without TUIDANG_MIGRATE=yes, and migrated with it', async () => {
  const dir = olderSqlite();
  const to = SQLITE_MIGRATIONS.length;
  assert.throws(
    () => new SqliteStore(dir),
    new RegExp(
      `schema version ${to - 1} and this tuidang needs ${to}: back it up first \\(tuidang backup FILE\\).*TUIDANG_MIGRATE=yes`,
    ),
  );
  const res = await runCli({ DATA_DIR: dir, PORT: '0' }, 'serve');
  assert.equal(res.code, 2, res.stderr);
  assert.equal(res.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
  const store = new SqliteStore(dir, { migrate: true });
  assert.deepEqual(store.migration, { from: to - 1, to });
  await store.close();
  const again = new SqliteStore(dir);
  assert.equal(again.migration, undefined, 'nothing to do the second time');
  await again.close();
  // A new data directory needs no word: there is nothing to lose.
  const fresh = new SqliteStore(mkdtempSync(join(tmpdir(), 'tuidang-upgrade-')));
  assert.equal(fresh.migration, undefined);
  await fresh.close();
});

test('PostgreSQL: no migration without the word, none while an older node sequences; an older node does not sequence a newer schema', async () => {
  const schema = freshSchema();
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path = ${schema}`);
    for (const m of PG_MIGRATIONS.slice(0, -1)) await client.query(m);
    await client.query('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    await client.query('INSERT INTO schema_version VALUES ($1)', [PG_MIGRATIONS.length - 1]);

    const refused = new PostgresStore(postgresUrl, { schema });
    await assert.rejects(refused.ready(), /TUIDANG_MIGRATE=yes/);
    await refused.close();

    // An older node sequences: it holds the sequencer's lock in its session.
    await client.query('SELECT pg_advisory_lock($1::bigint)', [lockKey('sequence', schema)]);
    const busy = new PostgresStore(postgresUrl, { schema, migrate: true });
    await assert.rejects(busy.ready(), /a node still sequences this log.*stop every node/);
    await busy.close();
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey('sequence', schema)]);

    const store = new PostgresStore(postgresUrl, { schema, migrate: true });
    await store.ready();
    assert.deepEqual(store.migration, {
      from: PG_MIGRATIONS.length - 1,
      to: PG_MIGRATIONS.length,
    });
    const lock = await store.cluster.lockSequencer();
    assert.ok(lock, 'this version sequences its own schema');
    await lock.release();
    // A newer tuidang migrated the schema further: this node no longer takes the lock.
    await client.query('UPDATE schema_version SET version = version + 1');
    await assert.rejects(
      store.cluster.lockSequencer(),
      /upgraded to schema version \d+ by a newer tuidang; this node .* does not sequence it/,
    );
    await store.close();
  } finally {
    await client.end();
  }
});

test('SQLite: tiles stored by level and index before are found by their key after the migration', async () => {
  // The database as the schema before keyed tiles left it, with a log of 600 entries in it.
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-upgrade-'));
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  const before = SQLITE_MIGRATIONS.findIndex((m) => m.includes('tiles_by_key'));
  for (const m of SQLITE_MIGRATIONS.slice(0, before)) db.exec(m);
  db.exec(`PRAGMA user_version = ${before}`);
  const entries = Array.from({ length: 600 }, (_, i) => new Uint8Array([i >> 8, i & 0xff, 7]));
  const built = await integrate(new TileMap().readTiles, 0, entries);
  const put = db.prepare('INSERT INTO tiles (level, idx, width, data) VALUES (?, ?, ?, ?)');
  for (const { tile, data } of built.tiles) put.run(tile.level, tile.index, tile.width, data);
  db.close();

  const store = new SqliteStore(dir, { migrate: true });
  try {
    assert.equal(store.migration?.from, before);
    for (const { tile, data } of built.tiles)
      assert.deepEqual(
        [...((await store.readTiles([tile]))[0] as Uint8Array)],
        [...data],
        tilePath(tile),
      );
    // Narrower reads of the edge's tiles, and the tree they make, are those of before.
    assert.deepEqual(Buffer.from(await treeRoot(store.readTiles, 600)), Buffer.from(built.root));
    await assert.rejects(store.readTiles([{ level: 0, index: 3, width: 256 }]), /not stored/);
  } finally {
    await store.close();
  }
});

/** Totals as a database kept them whole, in one row, before the imported tally had a row of its own. */
function wholeTotals(): Totals {
  const t = emptyTotals();
  t.entries = 12;
  t.registered.declarants = 2;
  t.registered.days['2026-12-01'] = 2;
  t.imported.declarants = 9;
  t.imported.days['2004-12-03'] = 9;
  t.imported.regions['CN-SC'] = 9;
  t.voided.flood = 1;
  return t;
}

test('SQLite and PostgreSQL: totals kept in one row before are the same totals after the migration', async () => {
  const totals = wholeTotals();
  const dir = olderSqlite();
  const db = new DatabaseSync(join(dir, DATABASE_FILE));
  db.prepare('INSERT INTO totals (id, tree_size, json) VALUES (1, 12, ?)').run(
    JSON.stringify(totals),
  );
  db.close();
  const sqlite = new SqliteStore(dir, { migrate: true });
  try {
    assert.deepEqual((await sqlite.state()).totals, totals);
  } finally {
    await sqlite.close();
  }

  const schema = freshSchema();
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path = ${schema}`);
    for (const m of PG_MIGRATIONS.slice(0, -1)) await client.query(m);
    await client.query('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    await client.query('INSERT INTO schema_version VALUES ($1)', [PG_MIGRATIONS.length - 1]);
    await client.query('INSERT INTO totals (id, tree_size, json) VALUES (1, 12, $1)', [
      JSON.stringify(totals),
    ]);
    const store = new PostgresStore(postgresUrl, { schema, migrate: true });
    try {
      assert.deepEqual((await store.state()).totals, totals);
    } finally {
      await store.close();
    }
  } finally {
    await client.end();
  }
});
