// C2SP tlog-tiles endpoints under /log/: the checkpoint, hash tiles, entry bundles, and the
// verifier key. A mirror is a plain directory of the same paths.
import type { FastifyInstance } from 'fastify';
import { parseTilePath, TILE_WIDTH } from '../log/index.ts';
import { type PublicLog, tileWithin } from '../sequencer/index.ts';
import { HttpError } from './problem.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export function logRoutes(app: FastifyInstance, published: PublicLog, vkey: string): void {
  app.get(
    '/log/checkpoint',
    { schema: { summary: 'The latest signed checkpoint (C2SP tlog-checkpoint)' } },
    async (_req, reply) => {
      const { checkpoint } = await published.state();
      if (checkpoint === undefined)
        throw new HttpError(404, 'The log has no checkpoint yet: nothing has been logged.');
      return reply
        .header('Cache-Control', 'public, max-age=5')
        .type('text/plain; charset=utf-8')
        .send(checkpoint);
    },
  );

  app.get(
    '/log/vkey',
    { schema: { summary: "The log's verifier key (C2SP signed-note)" } },
    async (_req, reply) =>
      reply
        .header('Cache-Control', 'public, max-age=3600')
        .type('text/plain; charset=utf-8')
        .send(`${vkey}\n`),
  );

  app.get(
    '/log/tile/*',
    { schema: { summary: 'Hash tiles and entry bundles (C2SP tlog-tiles)' } },
    async (req, reply) => {
      const path = `tile/${(req.params as { '*': string })['*']}`;
      let tile: ReturnType<typeof parseTilePath>;
      try {
        tile = parseTilePath(path);
      } catch {
        throw new HttpError(404, `${path} is not a tile path.`);
      }
      const { treeSize } = await published.state();
      if (!tileWithin(tile, treeSize)) {
        throw new HttpError(404, `${path} does not exist yet at tree size ${treeSize}.`);
      }
      // Exactly as wide as asked: the view cuts the store's wider version to its prefix.
      const [data] = await published.readTiles([tile]);
      if (data === undefined) throw new HttpError(404, `${path} is not stored.`);
      return reply
        .header('Cache-Control', tile.width === TILE_WIDTH ? IMMUTABLE : 'public, max-age=5')
        .type('application/octet-stream')
        .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    },
  );
}
