// C2SP tlog-tiles endpoints under /log/: the checkpoint, hash tiles, entry bundles, and the
// verifier key. A mirror is a plain directory of the same paths.
import type { FastifyInstance } from 'fastify';
import {
  ENTRIES_LEVEL,
  encodeEntryBundle,
  parseEntryBundle,
  parseTilePath,
  TILE_WIDTH,
} from '../log/index.ts';
import type { Store } from '../store/index.ts';
import { HttpError } from './problem.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export function logRoutes(app: FastifyInstance, store: Store, vkey: string): void {
  app.get(
    '/log/checkpoint',
    { schema: { summary: 'The latest signed checkpoint (C2SP tlog-checkpoint)' } },
    async (_req, reply) => {
      const { checkpoint } = await store.state();
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
      const { treeSize } = await store.state();
      const available =
        tile.level === ENTRIES_LEVEL ? treeSize : Math.floor(treeSize / TILE_WIDTH ** tile.level);
      if (tile.index * TILE_WIDTH + tile.width > available) {
        throw new HttpError(404, `${path} does not exist yet at tree size ${treeSize}.`);
      }
      const [stored] = await store.readTiles([tile]);
      if (stored === undefined) throw new HttpError(404, `${path} is not stored.`);
      // The store keeps the widest version; a narrower partial tile is its prefix.
      const data =
        tile.level === ENTRIES_LEVEL
          ? encodeEntryBundle(parseEntryBundle(stored).slice(0, tile.width))
          : stored.subarray(0, tile.width * 32);
      return reply
        .header('Cache-Control', tile.width === TILE_WIDTH ? IMMUTABLE : 'public, max-age=5')
        .type('application/octet-stream')
        .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    },
  );
}
