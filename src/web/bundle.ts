// The scripts the site serves, built with esbuild when the server starts (a few tens of
// milliseconds each), so that `npm start` needs no separate build step:
// - /static/live.js, declare.js, verify.js for the pages (node:crypto replaced by the browser shim);
// - /log/tuidang-verify.mjs, the single-file verifier anyone can run with Node.js 18 or later.
import { createHash } from 'node:crypto';
import { type BuildOptions, build } from 'esbuild';
import { VERIFIER_FILE } from '../verify/index.ts';

export const CLIENT_SCRIPTS = ['live', 'declare', 'verify'] as const;
export type ClientScript = (typeof CLIENT_SCRIPTS)[number];

const bundles = new Map<string, Promise<string>>();

/** `live` (the home page's live total), `declare` (rows added in place), `verify` (receipts). */
export function clientScript(name: ClientScript): Promise<string> {
  let bundled = bundles.get(name);
  if (bundled) return bundled;
  bundled = browserBundle(new URL(`./client/${name}.ts`, import.meta.url).pathname);
  bundles.set(name, bundled);
  return bundled;
}

/**
 * How every browser script is built: for the browser, with no polyfill of Node's globals or
 * modules; the one substitution is node:crypto, which src/log imports, by the browser's own
 * implementation of the few functions it uses (client/crypto-shim.ts). The tests build their
 * browser code with these same options (bundle.test.ts, verifiers-agree.test.ts).
 */
export const BROWSER_BUILD = {
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  write: false,
  platform: 'browser',
  alias: { 'node:crypto': new URL('./client/crypto-shim.ts', import.meta.url).pathname },
  legalComments: 'none',
} as const satisfies BuildOptions;

/** The script for the browser from one entry point (an absolute path). */
export async function browserBundle(entry: string): Promise<string> {
  const r = await build({ ...BROWSER_BUILD, entryPoints: [entry] });
  return r.outputFiles[0]?.text ?? '';
}

export { VERIFIER_FILE };
/** Where a registry or a mirror serves the verifier: beside the log's files. */
export const VERIFIER_PATH = `/log/${VERIFIER_FILE}`;

export interface Verifier {
  readonly bytes: Uint8Array;
  /** SHA-256 of the bytes, in hex: what /about prints and `npm run build:verifier` reproduces. */
  readonly sha256: string;
}

const root = new URL('../../', import.meta.url).pathname;
let verifier: Promise<Verifier> | undefined;

/**
 * `tuidang verify` (src/cli/verify-standalone.ts with src/verify, src/log and src/registry) as one
 * ES module for Node.js 18 and later. The same source gives the same bytes: paths in the output are
 * relative to the repository, nothing depends on the time or the machine, and it is not minified,
 * so that anyone can read what they run.
 */
export async function bundleVerifier(): Promise<Verifier> {
  const r = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/verify-standalone.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    write: false,
    charset: 'utf8',
    // crypto.hash is newer than Node 18: src/cli/node18-crypto.ts falls back to createHash.
    alias: { 'node:crypto': './src/cli/node18-crypto.ts' },
    legalComments: 'inline',
    banner: {
      js: '#!/usr/bin/env node\n// tuidang-verify.mjs: recounts a tuidang registry from its log, or checks a receipt.\n// Run: node tuidang-verify.mjs https://registry.example (--help for the options).\n// Built from the tuidang repository by `npm run build:verifier`; needs Node.js 18 or later.',
    },
  });
  const bytes = r.outputFiles[0]?.contents ?? new Uint8Array();
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The verifier this server serves: built once, on first use. */
export function buildVerifier(): Promise<Verifier> {
  verifier ??= bundleVerifier();
  return verifier;
}
