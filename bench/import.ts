// Import speed: synthetic historical records through `importFile` into SQLite, against a raw insert
// of the same rows into the same kind of database in the same run; and the bytes per entry on disk,
// all in (database, WAL and key).

import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { importFile } from '../src/import/index.ts';
import { generateKey, signerFromKey } from '../src/log/index.ts';
import { REGIONS } from '../src/registry/index.ts';
import { SqliteStore } from '../src/store/index.ts';

const ORG_SETS = [
  ['party'],
  ['league'],
  ['pioneers'],
  ['party', 'league'],
  ['league', 'pioneers'],
  ['party', 'league', 'pioneers'],
];

function record(i: number): { day: string; orgs: string[]; region?: string } {
  const day = new Date(Date.UTC(2004, 11, 1) + (i % 6900) * 86_400_000).toISOString().slice(0, 10);
  const r: { day: string; orgs: string[]; region?: string } = {
    day,
    orgs: ORG_SETS[i % ORG_SETS.length] as string[],
  };
  if (i % 3 !== 0) r.region = REGIONS[i % REGIONS.length]?.[0] as string;
  return r;
}

export async function writeRecords(path: string, n: number): Promise<void> {
  await writeRecordsTo(createWriteStream(path), n);
}

/** `n` synthetic records, one NDJSON line each, into `out` (a file, or a command's input). */
export async function writeRecordsTo(out: Writable, n: number): Promise<void> {
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `${JSON.stringify(record(i))}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** The floor: the same rows inserted raw, in batches of the same size, same pragmas. */
function rawInsert(dir: string, n: number, batch: number): number {
  const db = new DatabaseSync(join(dir, 'raw.db'));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('CREATE TABLE records (day TEXT NOT NULL, orgs TEXT NOT NULL, region TEXT)');
  const insert = db.prepare('INSERT INTO records (day, orgs, region) VALUES (?, ?, ?)');
  const t = performance.now();
  for (let at = 0; at < n; at += batch) {
    db.exec('BEGIN');
    for (let i = at; i < Math.min(n, at + batch); i++) {
      const r = record(i);
      insert.run(r.day, r.orgs.join(';'), r.region ?? null);
    }
    db.exec('COMMIT');
  }
  const seconds = (performance.now() - t) / 1000;
  db.close();
  return seconds;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      records: { type: 'string', default: '10000000' },
      batch: { type: 'string', default: '65536' },
    },
  });
  const n = Number(values.records);
  const batch = Number(values.batch);
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-bench-import-'));
  try {
    const file = join(dir, 'history.ndjson');
    process.stdout.write(`writing ${n.toLocaleString('en')} synthetic records… `);
    await writeRecords(file, n);
    console.log(`${Math.round(statSync(file).size / 2 ** 20)} MiB`);

    const rawDir = join(dir, 'raw');
    mkdirSync(rawDir);
    const floor = rawInsert(rawDir, n, batch);

    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const store = new SqliteStore(dataDir);
    const key = generateKey('bench.example/log');
    const t = performance.now();
    const summary = await importFile({
      store,
      origin: 'bench.example/log',
      signer: signerFromKey(key.skey),
      file,
      format: 'ndjson',
      rejectsPath: join(dir, 'rejects'),
      batchSize: batch,
    });
    const seconds = (performance.now() - t) / 1000;
    await store.close();
    const bytes = dirBytes(dataDir);
    console.log(
      `raw insert of the same rows (floor)  ${Math.round(n / floor).toLocaleString('en')} records/s`,
    );
    console.log(
      `tuidang import                       ${Math.round(summary.imported / seconds).toLocaleString('en')} records/s  ratio ${(floor / seconds).toFixed(2)} (goal ≥ 0.5)  ` +
        `goal ≥ 111,000/s  ${(bytes / summary.imported).toFixed(1)} bytes per entry on disk (goal ≤ 100)  rejected ${summary.rejected}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
