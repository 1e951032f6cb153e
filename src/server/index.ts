export { type AppOptions, buildApp } from './app.ts';
export { createLogger } from './logger.ts';
export { Newsletter, smtpSender } from './newsletter.ts';
export { hashPassword } from './password.ts';
export { type Registry, startRegistry } from './start.ts';
export { buildStaticApp } from './static.ts';
