// `tuidang serve --static <dir>`: serves a mirror directory at the log's paths under /log/, with
// the same cache headers as the registry. Paths are parsed as tile paths, so nothing outside the
// directory's tlog-tiles layout can be read.
import Fastify, { type FastifyInstance } from 'fastify';
import { parseTilePath, TILE_WIDTH } from '../log/index.ts';
import { DirSource, SourceError, VERIFIER_FILE } from '../verify/index.ts';

export async function buildStaticApp(dir: string): Promise<FastifyInstance> {
  const source = new DirSource(dir);
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Access-Control-Allow-Origin', '*');
  });
  const missing = (reply: import('fastify').FastifyReply, what: string) =>
    reply.code(404).type('text/plain; charset=utf-8').send(`${what} is not in this mirror\n`);
  app.get('/log/checkpoint', async (_req, reply) => {
    try {
      return reply
        .header('Cache-Control', 'public, max-age=5')
        .type('text/plain; charset=utf-8')
        .send(await source.checkpoint());
    } catch (e) {
      if (e instanceof SourceError) return missing(reply, 'checkpoint');
      throw e;
    }
  });
  app.get('/log/vkey', async (_req, reply) => {
    const vkey = await source.vkey();
    return vkey
      ? reply.type('text/plain; charset=utf-8').send(`${vkey}\n`)
      : missing(reply, 'vkey');
  });
  app.get(`/log/${VERIFIER_FILE}`, async (_req, reply) => {
    const bytes = await source.file(VERIFIER_FILE);
    return bytes
      ? reply
          .header('Cache-Control', 'public, max-age=300')
          .header('Content-Disposition', `attachment; filename="${VERIFIER_FILE}"`)
          .type('text/javascript; charset=utf-8')
          .send(Buffer.from(bytes))
      : missing(reply, VERIFIER_FILE);
  });
  app.get('/log/tile/*', async (req, reply) => {
    const path = `tile/${(req.params as { '*': string })['*']}`;
    let tile: ReturnType<typeof parseTilePath>;
    try {
      tile = parseTilePath(path);
    } catch {
      return missing(reply, path);
    }
    try {
      const data = await source.tile(tile);
      return reply
        .header(
          'Cache-Control',
          tile.width === TILE_WIDTH ? 'public, max-age=31536000, immutable' : 'public, max-age=5',
        )
        .type('application/octet-stream')
        .send(Buffer.from(data));
    } catch (e) {
      if (e instanceof SourceError) return missing(reply, path);
      throw e;
    }
  });
  app.setNotFoundHandler((_req, reply) => missing(reply, 'that'));
  return app;
}
