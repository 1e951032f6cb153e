// The web pages, served by the same server as the API and the log: one module per page area, each
// route a few lines over the page helper (page.ts). Every page works without JavaScript; forms are
// plain HTML forms. Visitors get no cookies; staff get one under /staff only.
import type { FastifyInstance } from 'fastify';
import { PROCESS_STAFF_SECRET } from '../second-factor.ts';
import { declareRoutes } from './declare.ts';
import { eraseRoutes } from './erase.ts';
import { homeRoutes } from './home.ts';
import { newsletterRoutes } from './newsletter.ts';
import type { StaffOptions, WebOptions } from './options.ts';
import { pages } from './page.ts';
import { receiptRoutes } from './receipt.ts';
import { staffHomeRoutes } from './staff.ts';
import { staffAdminRoutes } from './staff-admin.ts';
import { staffPages } from './staff-session.ts';
import { staffSignInRoutes } from './staff-sign-in.ts';
import { signInFlow } from './staff-sign-in-flow.ts';
import { staffTwoFactorRoutes } from './staff-two-factor.ts';
import { statementRoutes } from './statements.ts';
import { statsRoutes } from './stats.ts';
import { volunteerRoutes } from './volunteer.ts';
import { volunteersAdminRoutes } from './volunteers-admin.ts';

export type { FormPow, NewsletterService, StaffOptions, WebOptions } from './options.ts';
export { sendEncodingPage, sendErrorPage, sendNotFoundPage } from './page.ts';

/** The public pages; forms arrive as URLSearchParams (app.ts parses them, refusing non-UTF-8). */
export function webRoutes(app: FastifyInstance, opts: WebOptions): void {
  const p = pages(app);
  homeRoutes(app, p, opts);
  declareRoutes(p, opts);
  receiptRoutes(p, opts);
  eraseRoutes(p, opts);
  newsletterRoutes(p, opts);
  statementRoutes(p, opts);
  statsRoutes(p, opts);
}

/** The staff pages under /staff/ (after @fastify/cookie is registered). */
export function staffRoutes(app: FastifyInstance, opts: StaffOptions): void {
  const staff = staffPages(app, opts.store.site, opts.now ?? Date.now);
  const flow = signInFlow({ ...opts, secret: opts.secret ?? PROCESS_STAFF_SECRET });
  staffSignInRoutes(app, flow);
  staffTwoFactorRoutes(app, staff, flow);
  staffHomeRoutes(app, staff, opts);
  volunteerRoutes(staff, opts);
  staffAdminRoutes(staff, opts);
  volunteersAdminRoutes(staff, opts);
}
