// Configuration from the environment, checked at start with messages that say what to fix.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TuidangError } from '../errors/index.ts';
import { generateKey, parseSignerKey } from '../log/index.ts';
import { parseWitnesses, type WitnessConfig, type WitnessesOptions } from '../sequencer/index.ts';
import { LOCAL_ORIGIN, type OriginSource, originOfUrl, originSetting } from './origin.ts';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string | undefined;
  /** The log's origin: TUIDANG_ORIGIN, else derived from TUIDANG_PUBLIC_URL, else the local one. */
  readonly origin: string;
  readonly originSource: OriginSource;
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
  /**
   * Declarations that must share a published statement's month before it is listed
   * (TUIDANG_STATEMENT_CROWD, default 100): each statement then matches at least that many entries
   * of the public log (src/registry/crowd.ts, docs/timing-privacy.md).
   */
  readonly statementCrowd: number;
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
  /** A second listener whose connections start with a PROXY protocol header
   * (PROXY_PROTOCOL_LISTEN): an onion service's circuits, or HAProxy's clients. */
  readonly proxyProtocolListen: { readonly host: string; readonly port: number } | undefined;
  /** The reverse proxies in front (TRUST_PROXY): how many, or their addresses. */
  readonly trustProxy: false | number | string;
  /** Proof of work on declarations (TUIDANG_POW=off turns it off, for local use and tests). */
  readonly pow: { readonly cost: number; readonly waitSeconds: number } | undefined;
  /** SMTP server for the newsletter (SMTP_URL), sender (NEWSLETTER_FROM), links' base
   * (TUIDANG_PUBLIC_URL, required with SMTP_URL: links never come from a request's Host). */
  readonly smtpUrl: string | undefined;
  readonly newsletterFrom: string;
  readonly publicUrl: string | undefined;
  /**
   * A mirror or peer of this log, a URL or a directory (TUIDANG_MIRROR): at start, the registry
   * refuses to sign or publish if it has seen more of the log than the database holds.
   */
  readonly mirror: string | undefined;
  /** Witnesses that cosign each publication (TUIDANG_WITNESSES), if any. */
  readonly witnesses: WitnessesOptions | undefined;
  /** Migrate an existing database to this program's schema (TUIDANG_MIGRATE=yes), once backed up. */
  readonly migrate: boolean;
  /** Who runs the registry and where its code is, as the pages state them (none by default). */
  readonly operator: Operator;
  /** The least severe log lines written (LOG_LEVEL, default info). */
  readonly logLevel: LogLevel;
  /** This node's name in every log line (TUIDANG_NODE_ID, default the host name). */
  readonly nodeId: string;
  /**
   * Whether volunteers must sign in with a second factor too (TUIDANG_VOLUNTEER_2FA=required, the
   * default; optional leaves it to each volunteer). Administrators and moderators always must.
   */
  readonly volunteerSecondFactor: boolean;
  /**
   * Most people one staff account may declare in a clock hour (VOLUNTEER_PER_HOUR, default 1000)
   * and in 24 hours (VOLUNTEER_PER_DAY, default 2000); 0: no limit.
   */
  readonly volunteerBudget: { readonly perHour: number; readonly perDay: number };
}

export interface Operator {
  /** TUIDANG_OPERATOR: the person or organisation that runs this registry. */
  readonly name: string | undefined;
  /** TUIDANG_CONTACT: an email address or an https:// address to reach them. */
  readonly contact: string | undefined;
  /** TUIDANG_SOURCE_URL: where the source code of this deployment is published. */
  readonly sourceUrl: string | undefined;
  /** TUIDANG_SOURCE_COMMIT: the commit deployed (else read from the checkout's .git, if any). */
  readonly sourceCommit: string | undefined;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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

/** A setting of two words, `[yes, no]` (on/off, yes/no, required/optional), unset: `fallback`. */
function twoWords(
  env: NodeJS.ProcessEnv,
  name: string,
  [yes, no]: readonly [string, string],
  fallback: boolean,
): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === yes) return true;
  if (raw === no) return false;
  throw new ConfigError(`${name}=${raw} must be ${yes} or ${no}`);
}

const onOff = (env: NodeJS.ProcessEnv, name: string, fallback: boolean) =>
  twoWords(env, name, ['on', 'off'], fallback);

/**
 * The settings that hold secrets: each may instead be given as a file, `NAME_FILE` (systemd's
 * LoadCredential= puts them in $CREDENTIALS_DIRECTORY; cluster nodes mount them from a secret
 * store), so that the secret is in no environment that `ps e` or a crash report shows.
 */
export const SECRET_SETTINGS = [
  'TUIDANG_SIGNER_KEY',
  'DATABASE_URL',
  'METRICS_TOKEN',
  'SMTP_URL',
] as const;

/** `env` with every `NAME_FILE` of {@link SECRET_SETTINGS} read into `NAME`. */
export function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of SECRET_SETTINGS) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name])
      throw new ConfigError(`${name} and ${name}_FILE are both set: keep only one of them`);
    let value: string;
    try {
      value = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(
        `${name}_FILE=${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give a file this user can read`,
        { cause: e },
      );
    }
    // A file's final line break (echo, editors) is not part of the secret.
    value = value.replace(/\r?\n$/, '');
    if (value === '') throw new ConfigError(`${name}_FILE=${file} is empty`);
    out[name] = value;
  }
  return out;
}

export function readConfig(given: NodeJS.ProcessEnv = process.env): Config {
  const env = withSecretFiles(given);
  const publicUrl = readPublicUrl(env.TUIDANG_PUBLIC_URL);
  const originSource: OriginSource = env.TUIDANG_ORIGIN
    ? 'TUIDANG_ORIGIN'
    : publicUrl
      ? 'TUIDANG_PUBLIC_URL'
      : 'default';
  const origin =
    env.TUIDANG_ORIGIN || (publicUrl === undefined ? LOCAL_ORIGIN : originOfUrl(publicUrl));
  if (/[\s+]/.test(origin))
    throw new ConfigError(`TUIDANG_ORIGIN=${origin} must contain no spaces and no "+"`);
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
    originSource,
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
    statementCrowd: int(env, 'TUIDANG_STATEMENT_CROWD', 100, 1, 1_000_000),
    witnesses: readWitnesses(env),
    mirror: env.TUIDANG_MIRROR || undefined,
    rateLimit: int(env, 'RATE_LIMIT', 30, 0, 1_000_000),
    ipv6Prefix: int(env, 'RATE_LIMIT_IPV6_PREFIX', 64, 32, 128),
    connectionsPerAddress: int(env, 'CONNECTIONS_PER_ADDRESS', 64, 0, 1_000_000),
    metricsToken,
    metricsListen: readListen(env.METRICS_LISTEN),
    proxyProtocolListen: readListen(env.PROXY_PROTOCOL_LISTEN, 'PROXY_PROTOCOL_LISTEN', '8081'),
    pow: readPow(env),
    smtpUrl,
    newsletterFrom: env.NEWSLETTER_FROM || 'tuidang <newsletter@localhost>',
    publicUrl,
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    signerKey: env.TUIDANG_SIGNER_KEY || undefined,
    migrate: twoWords(env, 'TUIDANG_MIGRATE', ['yes', 'no'], false),
    operator: readOperator(env),
    logLevel: readLogLevel(env.LOG_LEVEL),
    nodeId: env.TUIDANG_NODE_ID || hostname(),
    volunteerSecondFactor: twoWords(env, 'TUIDANG_VOLUNTEER_2FA', ['required', 'optional'], true),
    volunteerBudget: {
      perHour: int(env, 'VOLUNTEER_PER_HOUR', 1000, 0, 1_000_000),
      perDay: int(env, 'VOLUNTEER_PER_DAY', 2000, 0, 10_000_000),
    },
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

function readOperator(env: NodeJS.ProcessEnv): Operator {
  const contact = env.TUIDANG_CONTACT || undefined;
  if (contact !== undefined && !/^(https:\/\/\S+|[^\s@]+@[^\s@]+\.[^\s@]+)$/.test(contact))
    throw new ConfigError(
      `TUIDANG_CONTACT=${contact} must be an email address or an https:// address`,
    );
  const sourceUrl = env.TUIDANG_SOURCE_URL || undefined;
  if (sourceUrl !== undefined && !/^https?:\/\/\S+$/.test(sourceUrl))
    throw new ConfigError(`TUIDANG_SOURCE_URL=${sourceUrl} must be an https:// address`);
  const commit = env.TUIDANG_SOURCE_COMMIT || checkoutCommit();
  if (commit !== undefined && !/^[0-9a-f]{7,64}$/.test(commit))
    throw new ConfigError(`TUIDANG_SOURCE_COMMIT=${commit} must be a commit hash`);
  return { name: env.TUIDANG_OPERATOR || undefined, contact, sourceUrl, sourceCommit: commit };
}

/** The commit of the checkout this program runs from, if it is a git checkout. */
function checkoutCommit(): string | undefined {
  try {
    const git = new URL('../../.git/', import.meta.url);
    const head = readFileSync(new URL(`HEAD`, git), 'utf8').trim();
    const ref = /^ref: (\S+)$/.exec(head)?.[1];
    if (ref === undefined) return /^[0-9a-f]{40}$/.test(head) ? head : undefined;
    try {
      return readFileSync(new URL(ref, git), 'utf8').trim();
    } catch {
      const packed = readFileSync(new URL('packed-refs', git), 'utf8');
      return new RegExp(`^([0-9a-f]{40}) ${ref}$`, 'm').exec(packed)?.[1];
    }
  } catch {
    return undefined; // not a checkout (a package, a copy): the pages say no more than they know
  }
}

function readLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === raw);
  if (level === undefined)
    throw new ConfigError(`LOG_LEVEL=${raw} must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function readListen(
  raw: string | undefined,
  name = 'METRICS_LISTEN',
  example = '9464',
): Config['metricsListen'] {
  if (raw === undefined || raw === '') return undefined;
  const m = /^(.+):(\d{1,5})$/.exec(raw);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535)
    throw new ConfigError(`${name}=${raw} must be host:port, e.g. 127.0.0.1:${example}`);
  return { host: (m[1] as string).replace(/^\[(.*)\]$/, '$1'), port };
}

/** scrypt evaluations per declarant on average (docs/abuse.md: about 30 ms of native CPU). */
export const DEFAULT_POW_COST = 5;

function readPow(env: NodeJS.ProcessEnv): Config['pow'] {
  const v = env.TUIDANG_POW ?? 'on';
  if (v === 'off') return undefined;
  if (v !== 'on') throw new ConfigError(`TUIDANG_POW=${v} must be on or off`);
  // Before scrypt, the cost counted SHA-256 hashes (5,000 by default): such a value now would ask
  // hours of work, so it is refused with a word on what changed.
  const cost = env.TUIDANG_POW_COST;
  if (cost !== undefined && /^\d+$/.test(cost) && Number(cost) > 1000)
    throw new ConfigError(
      `TUIDANG_POW_COST=${cost} is too large: it now counts scrypt evaluations (4 MiB each) per declarant, not SHA-256 hashes; the default is ${DEFAULT_POW_COST}`,
    );
  return {
    cost: int(env, 'TUIDANG_POW_COST', DEFAULT_POW_COST, 1, 1000),
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
 * (mode 0600) on first start. An in-memory store (`:memory:`) has no directory: its log lives as
 * long as the process, and so does a key made for it, written nowhere. Its name must be the origin.
 */
export function loadSignerKey(config: Config): { skey: string; created: boolean } {
  let skey = config.signerKey;
  let created = false;
  const file = join(config.dataDir, 'log.key');
  if (skey === undefined || skey === '') {
    if (config.dataDir === ':memory:') {
      skey = generateKey(config.origin).skey;
      created = true;
    } else {
      if (!existsSync(file)) {
        mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
        writeFileSync(file, `${generateKey(config.origin).skey}\n`, { mode: 0o600, flag: 'wx' });
        created = true;
      }
      skey = readFileSync(file, 'utf8');
    }
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
      `the signing key is for origin "${name}", but ${originSetting(config.originSource, config.origin)}: a log's origin never changes. Set TUIDANG_ORIGIN=${name} to keep the log this key signs, or use the key of the origin you meant`,
    );
  }
  return { skey: skey.trim(), created };
}
