// Builds /static/live.js and /static/verify.js with esbuild when the server starts (a few tens of milliseconds), so that
// `npm start` needs no separate build step. node:crypto is replaced by the browser shim.
import { build } from 'esbuild';

export const CLIENT_SCRIPTS = ['live', 'declare', 'verify'] as const;
export type ClientScript = (typeof CLIENT_SCRIPTS)[number];

const bundles = new Map<string, Promise<string>>();

/** `live` (the home page's live total), `declare` (rows added in place), `verify` (receipts). */
export function clientScript(name: ClientScript): Promise<string> {
  let bundled = bundles.get(name);
  if (bundled) return bundled;
  bundled = build({
    entryPoints: [new URL(`./client/${name}.ts`, import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    platform: 'browser',
    alias: { 'node:crypto': new URL('./client/crypto-shim.ts', import.meta.url).pathname },
    legalComments: 'none',
  }).then((r) => r.outputFiles[0]?.text ?? '');
  bundles.set(name, bundled);
  return bundled;
}
