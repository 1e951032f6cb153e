// Erased means gone: after an erasure or a redaction, the text is in no file of the store. On
// SQLite every file of the data directory (the database, its write-ahead log and shared memory)
// is searched; on PostgreSQL the table's own files (heap, TOAST, indexes), when the test can read
// the server's data directory. The write-ahead log of PostgreSQL keeps the text until it is
// recycled: docs/operations.md says so.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type TestContext, test } from 'node:test';
import pg from 'pg';
import { postgresUrl } from '../../test/postgres.ts';
import { append, backends } from '../../test/stores.ts';
import { firstOf, until, within } from '../../test/wait.ts';
import { ownerTag } from '../registry/index.ts';
import type { PostgresStore } from './postgres.ts';
import type { SqliteStore } from './sqlite.ts';
import { DATABASE_FILE } from './sqlite-db.ts';
import type { Store } from './store.ts';

/** Publications with unmistakable texts; returns which to erase, redact and keep. */
async function publishAndErase(store: Store) {
  const mark = () => randomBytes(6).toString('hex');
  const texts = Array.from({ length: 30 }, (_, i) => ({
    index: i,
    name: `王${mark()}明`,
    statement: `我声明退出共青团 ${mark()} ${'和平'.repeat(i * 20)}`,
  }));
  // Several commits and moderation rounds, so that earlier versions are in many pages and frames.
  for (let k = 0; k < 3; k++) {
    await append(store, 10, {
      publications: texts.slice(10 * k, 10 * k + 10).map((t) => ({
        ...t,
        nameKind: 'real' as const,
        orgs: ['league'],
        day: '2026-11-25',
        language: 'zh-Hans',
        ownerTag: ownerTag(new Uint8Array(32).fill(t.index)),
      })),
    });
    for (let i = 10 * k; i < 10 * k + 10; i += 2)
      await store.site.moderate(i, { status: 'approved' });
  }
  const erased = texts.filter((t) => t.index % 3 === 0);
  const redacted = texts.filter((t) => t.index % 3 === 1);
  const kept = texts.filter((t) => t.index % 3 === 2);
  for (const t of erased) {
    const byOwner = t.index % 2 === 0;
    assert.equal(
      await store.site.erasePublication(
        t.index,
        byOwner ? ownerTag(new Uint8Array(32).fill(t.index)) : undefined,
      ),
      true,
    );
  }
  for (const t of redacted)
    assert.equal(
      await store.site.moderate(t.index, { status: 'approved', name: '[…]', statement: '[…]' }),
      true,
    );
  return {
    gone: [...erased.flatMap((t) => [t.name, t.statement]), ...redacted.map((t) => t.name)],
    kept: kept.map((t) => t.name),
  };
}

function found(files: readonly string[], texts: readonly string[]): string[] {
  const contents = files.map((f) => readFileSync(f));
  return texts.filter((t) => {
    // The distinctive part of each text; a statement's long tail may be compressed or split.
    const needle = Buffer.from(t.slice(0, 20));
    return contents.some((c) => c.includes(needle));
  });
}

test('sqlite: erased and redacted texts are in no file of the data directory', async () => {
  const [, make] = backends.find(([n]) => n === 'sqlite') as (typeof backends)[number];
  const { store, dir } = make();
  const files = () => readdirSync(dir as string).map((f) => join(dir as string, f));
  const { gone, kept } = await publishAndErase(store);
  assert.deepEqual(found(files(), gone), [], 'while the store is open');
  assert.equal(found(files(), kept).length, kept.length, 'the search finds what is kept');
  await store.close();
  assert.deepEqual(found(files(), gone), [], 'after closing');
});

/**
 * A new SQLite store with `count` publications of unmistakable texts in one commit, each with the
 * owner tag of `tag(index)` if given; and the files of its data directory.
 */
async function sqliteWith(count: number, tag?: (index: number) => Uint8Array) {
  const [, make] = backends.find(([n]) => n === 'sqlite') as (typeof backends)[number];
  const { store, dir } = make();
  const files = () => readdirSync(dir as string).map((f) => join(dir as string, f));
  const mark = () => randomBytes(6).toString('hex');
  const texts = Array.from({ length: count }, (_, i) => ({
    index: i,
    name: `李${mark()}华`,
    statement: `我声明退出少先队 ${mark()}`,
  }));
  await append(store, texts.length, {
    publications: texts.map((t) => ({
      ...t,
      nameKind: 'real' as const,
      orgs: ['pioneers'],
      day: '2026-11-26',
      language: 'zh-Hans',
      ...(tag ? { ownerTag: tag(t.index) } : {}),
    })),
  });
  type Text = (typeof texts)[number];
  return {
    store: store as SqliteStore,
    dir: dir as string,
    files,
    texts: texts as [Text, Text, ...Text[]],
  };
}

test('sqlite: an erasure alone, with no redaction after it, leaves the text in no file', async () => {
  const { store, files, texts } = await sqliteWith(4);
  const [erased, kept] = texts;
  // Before the erasure the text is in the write-ahead log: the search below can see it there.
  assert.deepEqual(found(files(), [erased.name]), [erased.name]);
  assert.equal(await store.site.erasePublication(erased.index), true);
  assert.deepEqual(found(files(), [erased.name, erased.statement]), [], 'right after the erasure');
  assert.deepEqual(found(files(), [kept.name]), [kept.name], 'the search finds what is kept');
  // Erasing what is gone changes nothing and says so.
  assert.equal(await store.site.erasePublication(erased.index), false);
  await store.close();
});

test('sqlite: a redaction alone leaves the old text in no file; a wrong owner tag erases nothing', async () => {
  const tag = (index: number) => ownerTag(new Uint8Array(32).fill(7 + index));
  const { store, files, texts } = await sqliteWith(3, tag);
  const [redacted, kept] = texts;
  assert.deepEqual(found(files(), [redacted.name]), [redacted.name], 'in the WAL before');
  const redaction = { status: 'approved' as const, name: '[…]', statement: '[…]' };
  assert.equal(await store.site.moderate(redacted.index, redaction), true);
  assert.deepEqual(found(files(), [redacted.name, redacted.statement]), [], 'right after');
  assert.deepEqual(found(files(), [kept.name]), [kept.name], 'the search finds what is kept');
  // A name, or a statement, redacted alone: the text it replaced goes from the files too.
  const third = texts[2] as (typeof texts)[0];
  assert.equal(await store.site.moderate(kept.index, { status: 'approved', name: '[…]' }), true);
  assert.deepEqual(found(files(), [kept.name]), [], 'a name redacted alone');
  assert.equal(
    await store.site.moderate(third.index, { status: 'approved', statement: '[…]' }),
    true,
  );
  assert.deepEqual(found(files(), [third.statement]), [], 'a statement redacted alone');
  assert.deepEqual(found(files(), [third.name]), [third.name], 'its name kept');
  // Nothing to moderate says so; another declarant's tag erases nothing.
  assert.equal(await store.site.moderate(99, redaction), false);
  assert.equal(await store.site.erasePublication(kept.index, tag(redacted.index)), false);
  assert.deepEqual(found(files(), [kept.statement]), [kept.statement], 'kept after a wrong tag');
  assert.equal(await store.site.erasePublication(kept.index, tag(kept.index)), true);
  await store.close();
});

/** Newsletter addresses unsubscribed and expired, and one confirmed address kept. */
async function subscribeAndDelete(store: Store) {
  const mark = () => `${randomBytes(6).toString('hex')}@example.org`;
  const [left, expired, kept] = [mark(), mark(), mark()];
  const a = await store.site.subscribe(left, 'v1', 3600);
  await store.site.setSubscriberStatus(a.id, 'confirmed');
  await store.site.subscribe(expired, 'v1', 3600);
  const k = await store.site.subscribe(kept, 'v1', 3600);
  await store.site.setSubscriberStatus(k.id, 'confirmed');
  assert.equal(await store.site.deleteSubscriber(a.id), true);
  assert.equal(await store.site.expireSubscribers(7200), 1);
  return { gone: [left, expired], kept: [kept] };
}

test('sqlite: an erasure while another connection reads (a backup running) waits for it, or is finished once it ends', async () => {
  const { store, dir, files, texts } = await sqliteWith(3);
  const [first, second, kept] = texts as [(typeof texts)[0], (typeof texts)[0], (typeof texts)[0]];
  const reader = new DatabaseSync(join(dir, DATABASE_FILE));
  try {
    const snapshot = () => {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM publications').get();
    };
    const told: boolean[] = [];
    store.site.erasures.observe((waiting) => told.push(waiting));
    // A reader that ends once the erasure is committed: the erasure waits for it, and answers
    // when the text is gone.
    snapshot();
    const erasing = store.site.erasePublication(first.index);
    assert.equal(store.site.erasures.waiting, true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    reader.exec('COMMIT');
    assert.equal(await erasing, true);
    assert.equal(store.site.erasures.waiting, false);
    assert.deepEqual(found(files(), [first.name]), [], 'gone at once');
    assert.deepEqual(told, [], 'nothing waits in the background');
    // One that reads on: the erasure answers, the text still in the write-ahead log; once the
    // reader ends, the log is truncated in the background.
    snapshot();
    assert.equal(await store.site.erasePublication(second.index), true);
    assert.equal(store.site.erasures.waiting, true);
    assert.deepEqual(found(files(), [second.name]), [second.name], 'kept while it reads');
    // Past the first retry in the background (after 1 s, trying for 3 s): it tries again later.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    assert.equal(store.site.erasures.waiting, true);
    reader.exec('COMMIT');
    await within(store.site.erasures.settled(), 30_000, 'the truncation');
    assert.deepEqual(told, [true, false], 'told when it waited, and when it was done');
    assert.deepEqual(found(files(), [first.name, second.name]), []);
    assert.deepEqual(found(files(), [kept.name]), [kept.name], 'the search finds what is kept');
    // The busy timeout is back for other statements: a write waits for another process's write
    // transaction to end, instead of failing at once.
    const writer = spawn(process.execPath, [
      '-e',
      `const d = new (require('node:sqlite').DatabaseSync)(${JSON.stringify(join(dir, DATABASE_FILE))});
       d.exec('BEGIN IMMEDIATE'); console.log('locked');
       setTimeout(() => { d.exec('COMMIT'); d.close(); }, 500);`,
    ]);
    await firstOf(writer.stdout, ['data'], 30_000);
    assert.equal(await store.site.moderate(kept.index, { status: 'approved' }), true);
    await firstOf(writer, ['exit'], 30_000);
  } finally {
    reader.close();
    await store.close();
  }
});

test('sqlite: unsubscribed and expired newsletter addresses are in no file of the data directory', async () => {
  const [, make] = backends.find(([n]) => n === 'sqlite') as (typeof backends)[number];
  const { store, dir } = make();
  const files = () => readdirSync(dir as string).map((f) => join(dir as string, f));
  const { gone, kept } = await subscribeAndDelete(store);
  assert.deepEqual(found(files(), gone), [], 'while the store is open');
  assert.deepEqual(found(files(), kept), kept, 'the search finds what is kept');
  await store.close();
});

/**
 * The files of a PostgreSQL table (heap, TOAST, indexes, after a checkpoint: as after a clean
 * stop), or undefined when the server's data directory cannot be read from here.
 */
async function tableFiles(admin: pg.Client, schema: string, table: string) {
  await admin.query('CHECKPOINT');
  const { rows } = await admin.query<{ path: string }>(
    `SELECT current_setting('data_directory') || '/' || pg_relation_filepath(c.oid) AS path
     FROM pg_class c WHERE c.oid IN (
       SELECT oid FROM pg_class WHERE relname = $2 AND relnamespace = $1::regnamespace
       UNION SELECT reltoastrelid FROM pg_class WHERE relname = $2 AND relnamespace = $1::regnamespace
       UNION SELECT indexrelid FROM pg_index WHERE indrelid = ($1 || '.' || $2)::regclass)`,
    [schema, table],
  );
  const files: string[] = [];
  for (const { path } of rows) {
    const dir = join(path, '..');
    const base = path.slice(dir.length + 1);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return undefined;
    }
    for (const f of names)
      if (f === base || f.startsWith(`${base}.`) || f.startsWith(`${base}_`))
        files.push(join(dir, f));
  }
  return files;
}

/** A new PostgreSQL store and an admin connection beside it, both closed after `body`. */
async function withPostgres(
  t: TestContext,
  body: (store: PostgresStore, admin: pg.Client) => Promise<void>,
) {
  const [, make] = backends.find(([n]) => n === 'postgres') as (typeof backends)[number];
  const store = make().store as PostgresStore;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await store.ready();
    if ((await tableFiles(admin, store.schema, 'publications')) === undefined)
      return t.skip('the server’s data directory cannot be read from here');
    await body(store, admin);
  } finally {
    await admin.end();
    await store.close();
  }
}

test('postgres: erased and redacted texts are in none of the table files', (t) =>
  withPostgres(t, async (store, admin) => {
    const { gone, kept } = await publishAndErase(store);
    // Another test run's transaction may hold an erasure back for a moment.
    await within(store.site.erasures.settled(), 30_000, 'the rewrite');
    const files = (await tableFiles(admin, store.schema, 'publications')) as string[];
    assert.ok(files.length >= 2, `the table's files (${files.length})`);
    assert.equal(found(files, kept).length, kept.length, 'the search finds what is kept');
    assert.deepEqual(found(files, gone), []);
  }));

test('postgres: an erasure during an older snapshot (a backup running) waits for it, or is finished once it ends', (t) =>
  withPostgres(t, async (store, admin) => {
    const files = async () => (await tableFiles(admin, store.schema, 'publications')) as string[];
    const eraser = store.site.erasers.publications.pending;
    const told: boolean[] = [];
    store.site.erasures.observe((waiting) => told.push(waiting));
    const { gone } = await publishAndErase(store);
    const texts = await store.site.publications({ limit: 100, status: 'approved' });
    const [first, second] = texts.filter((p) => p.name.startsWith('王'));
    assert.ok(first && second);
    const client = async () => {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      return c;
    };
    /** A transaction whose snapshot (and lock) on `table` predates what follows, as pg_dump's. */
    const snapshot = async (c: pg.Client, table: string) => {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await c.query(`SELECT count(*) FROM ${store.schema}.${table}`);
    };
    const [backup, later, reader] = [await client(), await client(), await client()];
    try {
      // A report on another table that ends once the erasure is committed: the erasure waits
      // for it (a rewrite meanwhile would copy the text into the new files).
      const filenode = async () =>
        (await admin.query(`SELECT pg_relation_filenode('${store.schema}.publications') AS f`))
          .rows[0]?.f;
      const before = await filenode();
      await snapshot(backup, 'checkpoints');
      const erasing = store.site.erasePublication(first.index);
      await until(() => eraser.waiting, 20_000, 'the erasure waits', 10);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await filenode(), before, 'no rewrite in vain while the snapshot is open');
      await backup.query('COMMIT');
      assert.equal(await within(erasing, 20_000, 'erase'), true);
      await within(eraser.settled(), 20_000, 'the rewrite');
      assert.deepEqual(found(await files(), [first.name, ...gone]), []);

      // A backup that reads the table and runs on: the erasure answers, not blocked behind its
      // lock, the text still in the files.
      await snapshot(backup, 'publications');
      assert.equal(await within(store.site.erasePublication(second.index), 20_000, 'erase'), true);
      assert.equal(eraser.waiting, true);
      assert.deepEqual(found(await files(), [second.name]), [second.name], 'kept while it runs');
      // It ends, but another began after the erasure and holds the table's lock: the rewrite
      // waits for that lock a moment only, so the pages' reads do not queue behind it for long.
      await snapshot(later, 'publications');
      await backup.query('COMMIT');
      await until(
        async () => {
          const { rows } = await admin.query(
            'SELECT 1 FROM pg_locks WHERE NOT granted AND relation = $1::regclass',
            [`${store.schema}.publications`],
          );
          return rows.length > 0;
        },
        20_000,
        'the rewrite waits for the lock',
        10,
      );
      await within(
        reader.query(`SELECT count(*) FROM ${store.schema}.publications`),
        10_000,
        'a page read while the rewrite waits for the lock',
      );
      assert.equal(eraser.waiting, true);
      // Once that one ends too, the table is rewritten in the background.
      await later.query('COMMIT');
      await within(eraser.settled(), 60_000, 'the rewrite');
      assert.deepEqual(found(await files(), [second.name, ...gone]), []);
      // Told when erasures went to wait in the background, and when they were done.
      assert.ok(told.length >= 2 && told.at(-1) === false, `told ${told}`);
      assert.ok(
        told.every((w, i) => w === (i % 2 === 0)),
        `told ${told}`,
      );
    } finally {
      for (const c of [backup, later, reader]) await c.end();
    }
  }));

test('postgres: unsubscribed and expired newsletter addresses are in none of the table files', (t) =>
  withPostgres(t, async (store, admin) => {
    const mark = () => `${randomBytes(6).toString('hex')}@example.org`;
    const [expired, left, kept] = [mark(), mark(), mark()];
    await store.site.subscribe(expired, 'v1', 3600);
    const a = await store.site.subscribe(left, 'v1', 3600);
    await store.site.setSubscriberStatus(a.id, 'confirmed');
    await store.site.setSubscriberStatus(
      (await store.site.subscribe(kept, 'v1', 3600)).id,
      'confirmed',
    );
    const files = async () => {
      await within(store.site.erasures.settled(), 30_000, 'the rewrite');
      return (await tableFiles(admin, store.schema, 'subscribers')) as string[];
    };
    assert.equal(await store.site.expireSubscribers(7200), 1);
    assert.deepEqual(found(await files(), [expired, left, kept]), [left, kept], 'expired');
    assert.equal(await store.site.deleteSubscriber(a.id), true);
    assert.deepEqual(found(await files(), [expired, left, kept]), [kept], 'unsubscribed');
  }));
