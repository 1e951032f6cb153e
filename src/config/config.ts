// Configuration from the environment, checked at start with messages that say what to fix.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TuidangError } from '../errors/index.ts';
import { generateKey, parseSignerKey } from '../log/index.ts';
import { parseWitnesses, type WitnessConfig, type WitnessesOptions } from '../sequencer/index.ts';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string | undefined;
  readonly origin: string;
  readonly sequenceDelayMs: number;
  /**
   * Seconds between publications of the log (TUIDANG_PUBLISH_INTERVAL): the checkpoint, tiles and
   * totals the public sees move only then. 0 publishes every commit at once.
   */
  readonly publishIntervalSeconds: number;
  /** The signing key itself (TUIDANG_SIGNER_KEY), instead of the key file in the data directory. */
  readonly signerKey: string | undefined;
  /** Declarations per minute from one address (RATE_LIMIT); 0 turns the limit off. */
  readonly rateLimit: number;
  /** Fastify's trustProxy (TRUST_PROXY): whose X-Forwarded-For names the client. */
  readonly trustProxy: boolean | number | string;
  /** Proof of work on declarations (TUIDANG_POW=off turns it off, for local use and tests). */
  readonly pow: { readonly cost: number; readonly waitSeconds: number } | undefined;
  /** SMTP server for the newsletter (SMTP_URL), sender (NEWSLETTER_FROM), links' base (TUIDANG_PUBLIC_URL). */
  readonly smtpUrl: string | undefined;
  readonly newsletterFrom: string;
  readonly publicUrl: string | undefined;
  /** Witnesses that cosign each checkpoint (TUIDANG_WITNESSES), if any. */
  readonly witnesses: WitnessesOptions | undefined;
}

export class ConfigError extends TuidangError<'config'> {
  override name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

function int(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name}=${raw} is not a whole number from ${min} to ${max}`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const origin = env.TUIDANG_ORIGIN || 'localhost/tuidang';
  if (/[\s+]/.test(origin))
    throw new ConfigError(`TUIDANG_ORIGIN=${origin} must contain no spaces and no "+"`);
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || './data',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    origin,
    sequenceDelayMs: int(env, 'SEQUENCE_DELAY', 2, 0, 10000),
    publishIntervalSeconds: int(env, 'TUIDANG_PUBLISH_INTERVAL', 60, 0, 86400),
    witnesses: readWitnesses(env),
    rateLimit: int(env, 'RATE_LIMIT', 30, 0, 1_000_000),
    pow: readPow(env),
    smtpUrl: env.SMTP_URL || undefined,
    newsletterFrom: env.NEWSLETTER_FROM || 'tuidang <newsletter@localhost>',
    publicUrl: env.TUIDANG_PUBLIC_URL?.replace(/\/+$/, '') || undefined,
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    signerKey: env.TUIDANG_SIGNER_KEY || undefined,
  };
}

function readPow(env: NodeJS.ProcessEnv): Config['pow'] {
  const v = env.TUIDANG_POW ?? 'on';
  if (v === 'off') return undefined;
  if (v !== 'on') throw new ConfigError(`TUIDANG_POW=${v} must be on or off`);
  return {
    cost: int(env, 'TUIDANG_POW_COST', 5000, 1, 10_000_000),
    waitSeconds: int(env, 'TUIDANG_POW_WAIT', 3, 0, 600),
  };
}

function readTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw); // that many proxies in front
  return raw; // addresses or subnets of the proxies, comma-separated
}

function readWitnesses(env: NodeJS.ProcessEnv): WitnessesOptions | undefined {
  if (!env.TUIDANG_WITNESSES) return undefined;
  let witnesses: WitnessConfig[];
  try {
    witnesses = parseWitnesses(env.TUIDANG_WITNESSES);
  } catch (e) {
    throw new ConfigError(`TUIDANG_WITNESSES: ${(e as Error).message}`);
  }
  return {
    witnesses,
    quorum: int(env, 'TUIDANG_WITNESS_QUORUM', witnesses.length, 1, witnesses.length),
    timeoutMs: int(env, 'TUIDANG_WITNESS_TIMEOUT', 1000, 0, 60000),
  };
}

/**
 * The log's signer key: TUIDANG_SIGNER_KEY if set, else `log.key` in the data directory, created
 * (mode 0600) on first start. Its name must be the origin.
 */
export function loadSignerKey(config: Config): { skey: string; created: boolean } {
  let skey = config.signerKey;
  let created = false;
  const file = join(config.dataDir, 'log.key');
  if (skey === undefined || skey === '') {
    if (!existsSync(file)) {
      mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      writeFileSync(file, `${generateKey(config.origin).skey}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    }
    skey = readFileSync(file, 'utf8');
  }
  let name: string;
  try {
    ({ name } = parseSignerKey(skey));
  } catch (e) {
    const where = config.signerKey ? 'TUIDANG_SIGNER_KEY' : file;
    throw new ConfigError(`${where}: ${(e as Error).message}`, { cause: e });
  }
  if (name !== config.origin) {
    throw new ConfigError(
      `the signing key is for origin "${name}", but TUIDANG_ORIGIN is "${config.origin}": use the matching key or origin`,
    );
  }
  return { skey: skey.trim(), created };
}
