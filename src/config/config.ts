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
   * Whether a single-machine registry sequences on a thread of its own (SEQUENCER_THREAD, on by
   * default): HTTP on one core, integration, fsync and proofs on the other.
   */
  readonly sequencerThread: boolean;
  /**
   * Seconds between publications of the log (TUIDANG_PUBLISH_INTERVAL): the checkpoint, tiles and
   * totals the public sees move only then. 0 publishes every commit at once.
   */
  readonly publishIntervalSeconds: number;
  /** The signing key itself (TUIDANG_SIGNER_KEY), instead of the key file in the data directory. */
  readonly signerKey: string | undefined;
  /** Declarants per minute from one client (RATE_LIMIT); 0 turns the limit off. */
  readonly rateLimit: number;
  /** The prefix length that names one IPv6 client (RATE_LIMIT_IPV6_PREFIX, default 64). */
  readonly ipv6Prefix: number;
  /** Open connections one address may hold (CONNECTIONS_PER_ADDRESS, default 64; 0: no cap). */
  readonly connectionsPerAddress: number;
  /** Where the metrics are served: a bearer token for /metrics, and/or a private listen address. */
  readonly metricsToken: string | undefined;
  readonly metricsListen: { readonly host: string; readonly port: number } | undefined;
  /** The reverse proxies in front (TRUST_PROXY): how many, or their addresses. */
  readonly trustProxy: false | number | string;
  /** Proof of work on declarations (TUIDANG_POW=off turns it off, for local use and tests). */
  readonly pow: { readonly cost: number; readonly waitSeconds: number } | undefined;
  /** SMTP server for the newsletter (SMTP_URL), sender (NEWSLETTER_FROM), links' base
   * (TUIDANG_PUBLIC_URL, required with SMTP_URL: links never come from a request's Host). */
  readonly smtpUrl: string | undefined;
  readonly newsletterFrom: string;
  readonly publicUrl: string | undefined;
  /** Witnesses that cosign each publication (TUIDANG_WITNESSES), if any. */
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

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`${name}=${raw} must be on or off`);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const origin = env.TUIDANG_ORIGIN || 'localhost/tuidang';
  if (/[\s+]/.test(origin))
    throw new ConfigError(`TUIDANG_ORIGIN=${origin} must contain no spaces and no "+"`);
  const publicUrl = readPublicUrl(env.TUIDANG_PUBLIC_URL);
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl !== undefined && publicUrl === undefined)
    throw new ConfigError(
      "SMTP_URL is set but TUIDANG_PUBLIC_URL is not: set it to the site's public address (e.g. https://registry.example) for the links in mails",
    );
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,}$/.test(metricsToken))
    throw new ConfigError('METRICS_TOKEN must be at least 16 printable characters without spaces');
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || './data',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    origin,
    // On its own thread the sequencer gathers a batch while it commits the one before: no wait.
    sequenceDelayMs: int(
      env,
      'SEQUENCE_DELAY',
      onOff(env, 'SEQUENCER_THREAD', true) ? 0 : 2,
      0,
      10000,
    ),
    sequencerThread: onOff(env, 'SEQUENCER_THREAD', true),
    publishIntervalSeconds: int(env, 'TUIDANG_PUBLISH_INTERVAL', 60, 0, 86400),
    witnesses: readWitnesses(env),
    rateLimit: int(env, 'RATE_LIMIT', 30, 0, 1_000_000),
    ipv6Prefix: int(env, 'RATE_LIMIT_IPV6_PREFIX', 64, 32, 128),
    connectionsPerAddress: int(env, 'CONNECTIONS_PER_ADDRESS', 64, 0, 1_000_000),
    metricsToken,
    metricsListen: readListen(env.METRICS_LISTEN),
    pow: readPow(env),
    smtpUrl,
    newsletterFrom: env.NEWSLETTER_FROM || 'tuidang <newsletter@localhost>',
    publicUrl,
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    signerKey: env.TUIDANG_SIGNER_KEY || undefined,
  };
}

function readPublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `TUIDANG_PUBLIC_URL=${raw} is not a URL such as https://registry.example`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(`TUIDANG_PUBLIC_URL=${raw} must start with https:// (or http://)`);
  return raw.replace(/\/+$/, '');
}

function readListen(raw: string | undefined): Config['metricsListen'] {
  if (raw === undefined || raw === '') return undefined;
  const m = /^(.+):(\d{1,5})$/.exec(raw);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535)
    throw new ConfigError(`METRICS_LISTEN=${raw} must be host:port, e.g. 127.0.0.1:9464`);
  return { host: (m[1] as string).replace(/^\[(.*)\]$/, '$1'), port };
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

function readTrustProxy(raw: string | undefined): false | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  // "true" would take the leftmost X-Forwarded-For entry, which the client itself writes.
  if (raw === 'true')
    throw new ConfigError(
      'TRUST_PROXY=true would believe any address a client writes in X-Forwarded-For: set the number of proxies in front (e.g. TRUST_PROXY=1) or their addresses',
    );
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
    required: int(env, 'TUIDANG_WITNESS_REQUIRED', 0, 0, witnesses.length),
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
