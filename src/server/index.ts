export { type AppOptions, buildApp } from './app.ts';
export { type Config, ConfigError, loadSignerKey, readConfig } from './config.ts';
export { type Registry, startRegistry } from './registry.ts';
