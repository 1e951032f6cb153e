// C2SP tlog-tiles endpoints under /log/: the checkpoint, hash tiles, entry bundles, and the
// verifier key. A mirror is a plain directory of the same paths, served with the same answers
// (src/server/static.ts, through sendCheckpoint and tileRoute).
import type { FastifyInstance, FastifyReply, RouteShorthandOptions } from 'fastify';
import { parseTilePath, TILE_WIDTH, type Tile } from '../log/index.ts';
import { type PublicLog, tileWithin } from '../sequencer/index.ts';
import { HttpError } from './problem.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The checkpoint, cached for seconds: it moves with every publication. */
export function sendCheckpoint(reply: FastifyReply, checkpoint: string): FastifyReply {
  return reply
    .header('Cache-Control', 'public, max-age=5')
    .type('text/plain; charset=utf-8')
    .send(checkpoint);
}

/** Where {@link tileRoute} reads tiles from, and how it answers for one it has not. */
export interface TileReader {
  /** The tile's bytes, or why there are none (a sentence for the 404). */
  read(tile: Tile, path: string): Promise<Uint8Array | string>;
  /** The 404 answer, saying `why`. */
  missing(reply: FastifyReply, why: string): FastifyReply;
}

/**
 * GET /log/tile/*: hash tiles and entry bundles. The path is parsed as a tile path before anything
 * is read, so nothing outside the tlog-tiles layout can be asked for. A full tile never changes
 * (cached for a year); a partial one grows into the next (cached for seconds).
 */
export function tileRoute(
  app: FastifyInstance,
  reader: TileReader,
  options: RouteShorthandOptions = {},
): void {
  app.get('/log/tile/*', options, async (req, reply) => {
    const path = `tile/${(req.params as { '*': string })['*']}`;
    let tile: Tile;
    try {
      tile = parseTilePath(path);
    } catch {
      return reader.missing(reply, `${path} is not a tile path.`);
    }
    const data = await reader.read(tile, path);
    if (typeof data === 'string') return reader.missing(reply, data);
    return reply
      .header('Cache-Control', tile.width === TILE_WIDTH ? IMMUTABLE : 'public, max-age=5')
      .type('application/octet-stream')
      .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
}

export function logRoutes(app: FastifyInstance, published: PublicLog, vkey: string): void {
  app.get(
    '/log/checkpoint',
    { schema: { summary: 'The latest signed checkpoint (C2SP tlog-checkpoint)' } },
    async (_req, reply) => {
      const { checkpoint } = await published.state();
      if (checkpoint === undefined)
        throw new HttpError(404, 'The log has no checkpoint yet: nothing has been logged.');
      return sendCheckpoint(reply, checkpoint);
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

  tileRoute(
    app,
    {
      async read(tile, path) {
        const { treeSize } = await published.state();
        if (!tileWithin(tile, treeSize))
          return `${path} does not exist yet at tree size ${treeSize}.`;
        // Exactly as wide as asked: the view cuts the store's wider version to its prefix.
        const [data] = await published.readTiles([tile]);
        return data ?? `${path} is not stored.`;
      },
      missing(_reply, why) {
        throw new HttpError(404, why);
      },
    },
    { schema: { summary: 'Hash tiles and entry bundles (C2SP tlog-tiles)' } },
  );
}
