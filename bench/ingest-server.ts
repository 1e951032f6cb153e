// A server for the ingest benchmark, in its own process: `bare` is the ceiling (Fastify parses
// the JSON and answers 201), `registry` the real thing. Prints its URL on the first line.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { readConfig } from '../src/config/index.ts';
import { startRegistry } from '../src/server/index.ts';

const mode = process.argv[2];
if (mode === 'bare') {
  const app = Fastify({ logger: false });
  app.post('/api/v1/declarations', async (req, reply) =>
    reply.code(201).send({ received: typeof req.body }),
  );
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
  console.log(registry.url);
  process.on('message', async (m) => {
    if (m === 'stats') process.send?.({ treeSize: (await registry.store.state()).treeSize });
  });
} else {
  console.error('usage: ingest-server.ts bare|registry');
  process.exit(2);
}
