// The way in: / sends a first-time visitor to their language, the home and about pages, and the
// static assets every page uses.
import type { FastifyInstance } from 'fastify';
import {
  aboutPage,
  CLIENT_SCRIPTS,
  clientScript,
  homePage,
  negotiate,
  PREFIX,
  SITE_CSS,
} from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import type { Pages } from './page.ts';

export function homeRoutes(app: FastifyInstance, p: Pages, { store, origin }: WebOptions): void {
  const site = origin.split('/')[0] ?? origin;

  app.get('/', { schema: { hide: true } }, async (req, reply) =>
    reply
      .code(302)
      .header('Vary', 'Accept-Language')
      .header('Cache-Control', 'no-store')
      .redirect(`/${PREFIX[negotiate(req.headers['accept-language'])]}/`),
  );
  app.get('/:lang', { schema: { hide: true } }, async (req, reply) =>
    reply.redirect(`/${(req.params as { lang: string }).lang}/`),
  );

  app.get('/static/site.css', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('Cache-Control', 'public, max-age=300')
      .type('text/css; charset=utf-8')
      .send(SITE_CSS),
  );
  for (const name of CLIENT_SCRIPTS) {
    app.get(`/static/${name}.js`, { schema: { hide: true } }, async (_req, reply) =>
      reply
        .header('Cache-Control', 'public, max-age=300')
        .type('text/javascript; charset=utf-8')
        .send(await clientScript(name)),
    );
  }

  p.get('/:lang/', async ({ t }) => {
    const { totals } = await store.state();
    return homePage(t, totals, await store.publications({ limit: 5 }), site);
  });
  p.get('/:lang/about', ({ t }) => aboutPage(t, site));
}
