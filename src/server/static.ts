// `tuidang serve --static <dir>`: serves a mirror directory at the log's paths under /log/, with
// the same cache headers as the registry. Paths are parsed as tile paths, so nothing outside the
// directory's tlog-tiles layout can be read.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { DirSource, SourceError, VERIFIER_FILE } from '../verify/index.ts';
import { sendCheckpoint, tileRoute } from './log-routes.ts';

export async function buildStaticApp(dir: string): Promise<FastifyInstance> {
  const source = new DirSource(dir);
  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Access-Control-Allow-Origin', '*');
  });
  const notFound = (reply: FastifyReply, why: string) =>
    reply.code(404).type('text/plain; charset=utf-8').send(`${why}\n`);
  const missing = (reply: FastifyReply, what: string) =>
    notFound(reply, `${what} is not in this mirror`);
  app.get('/log/checkpoint', async (_req, reply) => {
    try {
      return sendCheckpoint(reply, await source.checkpoint());
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
  tileRoute(app, {
    async read(tile, path) {
      try {
        return await source.tile(tile);
      } catch (e) {
        if (e instanceof SourceError) return `${path} is not in this mirror`;
        throw e;
      }
    },
    missing: notFound,
  });
  app.setNotFoundHandler((_req, reply) => missing(reply, 'that'));
  return app;
}
