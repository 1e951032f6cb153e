// The way in: / sends a first-time visitor to their language, the home and about pages, and the
// static assets every page uses, the single-file verifier among them.
import type { FastifyInstance } from 'fastify';
import { LOCAL_ORIGIN } from '../../config/index.ts';
import { openNote, verifierFromKey } from '../../log/index.ts';
import {
  aboutPage,
  buildVerifier,
  CLIENT_SCRIPTS,
  clientScript,
  floodCost,
  homePage,
  isGenericLanguage,
  languageChoicePage,
  localeFromPrefix,
  NO_OPERATOR,
  negotiate,
  PREFIX,
  SITE_CSS,
  type Site,
  VERIFIER_FILE,
  VERIFIER_PATH,
} from '../../web/index.ts';
import type { WebOptions } from './options.ts';
import { type Pages, sendNotFoundPage } from './page.ts';
import { publicStatements } from './statements.ts';

/**
 * The address the pages print: TUIDANG_PUBLIC_URL, else the one the server listens on (HOST and
 * PORT), which is right for local use only.
 */
export function siteUrl(app: FastifyInstance, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return publicUrl;
  const a = app.server.address();
  if (a === null || typeof a === 'string') return 'http://localhost';
  return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
}

/** Whether a witness's cosignature on the checkpoint verifies. */
function cosigned(checkpoint: string | undefined, vkey: string): boolean {
  if (checkpoint === undefined) return false;
  try {
    openNote(checkpoint, [verifierFromKey(vkey)]);
    return true;
  } catch {
    return false;
  }
}

export function homeRoutes(app: FastifyInstance, p: Pages, opts: WebOptions): void {
  const { published, store } = opts;
  const site = async (): Promise<Site> => ({
    url: siteUrl(app, opts.publicUrl),
    vkey: opts.vkey,
    verifier: { path: VERIFIER_PATH, file: VERIFIER_FILE, sha256: (await buildVerifier()).sha256 },
  });

  // Browsers ask for an icon on their own; the site has none, and says so without an error.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) =>
    reply.code(204).header('Cache-Control', 'public, max-age=86400').send(),
  );

  // The verifier sits beside the log's files, where `tuidang mirror` copies it and a mirror serves it.
  app.get(VERIFIER_PATH, { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('Cache-Control', 'public, max-age=300')
      .header('Content-Disposition', `attachment; filename="${VERIFIER_FILE}"`)
      .type('text/javascript; charset=utf-8')
      .send(Buffer.from((await buildVerifier()).bytes)),
  );

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    reply.header('Vary', 'Accept-Language').header('Cache-Control', 'no-store');
    // Tor Browser tells no language: offer the choice, Chinese first, rather than English.
    if (isGenericLanguage(req.headers['accept-language']))
      return reply.type('text/html; charset=utf-8').send(languageChoicePage());
    return reply.code(302).redirect(`/${PREFIX[negotiate(req.headers['accept-language'])]}/`);
  });
  // Only to a language's own home: the segment is attacker-controlled (`/%2Fevil.example` would
  // otherwise redirect to //evil.example/).
  app.get('/:lang', { schema: { hide: true } }, async (req, reply) => {
    const l = localeFromPrefix((req.params as { lang: string }).lang);
    return l ? reply.redirect(`/${PREFIX[l]}/`) : sendNotFoundPage(req, reply);
  });

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
    const { totals, treeSize } = await published.state();
    const latest = await publicStatements(published, store.site, opts.statementCrowd, { limit: 5 });
    return homePage(t, totals, latest, await site(), treeSize, opts.operator ?? NO_OPERATOR);
  });
  p.get('/:lang/about', async ({ t }) => {
    const { checkpoint } = await published.state();
    return aboutPage(t, await site(), {
      witnesses: (opts.witnesses ?? []).map((w) => ({
        ...w,
        cosigned: cosigned(checkpoint, w.vkey),
      })),
      newsletter: opts.newsletter !== undefined,
      operator: opts.operator ?? NO_OPERATOR,
      origin: opts.origin,
      flood: opts.pow && floodCost(opts.pow.cost, opts.pow.waitSeconds, opts.rateLimit ?? 30),
      localOrigin: opts.origin === LOCAL_ORIGIN,
      undeclaredProxy: opts.undeclaredProxy?.() === true,
    });
  });
}
