// A server for the ingest benchmark, in its own process. Prints its URL on the first line.
//   bare      the ceiling of any Node HTTP service: Fastify parses the JSON and answers 201.
//   durable   the floor of any durable one: the same parse, then each body written to SQLite (WAL,
//             synchronous=FULL) in one group commit per event-loop turn, and each request answered
//             after its commit with a receipt-sized (~1.5 KB) JSON body.
//   registry  the real thing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import Fastify from 'fastify';
import { readConfig } from '../src/config/index.ts';
import { startRegistry } from '../src/server/index.ts';

const mode = process.argv[2];
// Ended by SIGTERM: exit as a process does, so that a CPU profile (--cpu-prof) is written. The
// registry closes first, as it does when an operator stops it.
let closing: () => Promise<void> = async () => {};
process.on('SIGTERM', () => void closing().finally(() => process.exit(0)));
if (mode === 'bare') {
  const app = Fastify({ logger: false });
  app.post('/api/v1/declarations', async (req, reply) =>
    reply.code(201).send({ received: typeof req.body }),
  );
  console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
} else if (mode === 'durable') {
  const db = new DatabaseSync(join(mkdtempSync(join(tmpdir(), 'tuidang-echo-')), 'echo.db'));
  db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;');
  db.exec('CREATE TABLE bodies (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO bodies (body) VALUES (?)');
  // What a receipt weighs: about 1.5 KB of JSON.
  const receiptFiller = randomBytes(1100).toString('base64');
  let batch: Array<{ body: string; done: (id: number) => void }> = [];
  const commit = () => {
    const now = batch;
    batch = [];
    db.exec('BEGIN');
    const ids = now.map((r) => Number(insert.run(r.body).lastInsertRowid));
    db.exec('COMMIT');
    for (const [i, r] of now.entries()) r.done(ids[i] as number);
  };
  const app = Fastify({ logger: false });
  app.post('/api/v1/declarations', (req, reply) => {
    if (batch.length === 0) setImmediate(commit);
    batch.push({
      body: JSON.stringify(req.body),
      done: (id) => {
        reply.code(201).send({ index: id, receipt: receiptFiller });
      },
    });
    return reply;
  });
  console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
} else if (mode === 'registry') {
  const dataDir = process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'tuidang-bench-'));
  const registry = await startRegistry(
    readConfig({
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
    }),
  );
  closing = () => registry.close();
  console.log(registry.url);
  process.on('message', async (m) => {
    if (m === 'stats') process.send?.({ treeSize: (await registry.store.state()).treeSize });
  });
} else {
  console.error('usage: ingest-server.ts bare|durable|registry');
  process.exit(2);
}
