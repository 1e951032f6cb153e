// Wires a running registry together: store, sequencer, HTTP server.
import { hkdfSync } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type Config, checkLogOrigin, loadSignerKey } from '../config/index.ts';
import {
  ED25519,
  ed25519PrivateKey,
  formatVerifierKey,
  parseSignerKey,
  rawPublicKey,
  signerFromKey,
} from '../log/index.ts';
import {
  ClusterSequencer,
  type Declarations,
  PublishedLogView,
  Publisher,
  Sequencer,
  ThreadedSequencer,
  telemetry,
} from '../sequencer/index.ts';
import {
  checkLogKey,
  LogKeyError,
  type Migration,
  openStore,
  type SequencerLock,
  type Store,
  StoreError,
  writerBusy,
} from '../store/index.ts';
import { type AppOptions, buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics, metricsServer } from './metrics.ts';
import { Newsletter, smtpSender } from './newsletter.ts';
import { ProofOfWork } from './pow.ts';
import { proxyProtocolServer } from './proxy-protocol.ts';
import { checkWorld } from './world.ts';

export interface Registry {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly sequencer: Declarations;
  /** What the public sees of the log: the state at the last publication. */
  readonly publisher: Publisher;
  readonly vkey: string;
  readonly url: string;
  readonly keyCreated: boolean;
  readonly logger: Logger;
  /**
   * Stops gracefully: stops taking connections, answers new requests on open ones with 503, lets
   * every request already taken finish (their commits included), then stops the sequencer, the
   * publications and the store.
   */
  close(): Promise<void>;
}

/** The key that seals staff second factors and keys per-account throttling, from the signing key. */
export function staffSecretOf(seed: Uint8Array): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', seed, new Uint8Array(0), 'tuidang/staff/v1', 32));
}

export async function startRegistry(config: Config): Promise<Registry> {
  const opened = await openChecked(config);
  const { store, logger, abandon } = opened;
  let depth = () => 0;
  const metrics = createMetrics(
    () => depth(),
    async () => (await store.state()).treeSize,
  );
  let sequencer: Declarations;
  try {
    sequencer = await openSequencer(config, opened, metrics);
  } catch (e) {
    await abandon();
    throw e;
  }
  depth = () => sequencer.poolDepth;
  // The sequencer has waited for PostgreSQL's migrations; SQLite's ran when the store opened.
  warnMigrated(store, logger);
  store.site.erasures.observe((waiting) =>
    waiting
      ? logger.warn(
          { stage: 'erasure' },
          'an erasure waits for a reader older than it (a backup, a long query) to end: until then its text stays in the database files',
        )
      : logger.info(
          { stage: 'erasure' },
          'the erasures that waited are done: their text is in no database file',
        ),
  );
  const publisher = await startPublisher(config, opened, sequencer, metrics);
  const newsletter = newsletterOf(config, opened);
  const app = await buildApp(
    appOptions(config, opened, { sequencer, publisher, metrics, newsletter }),
  );
  const listening = await listen(config, app, metrics);
  return {
    app,
    store,
    sequencer,
    vkey: opened.vkey,
    url: listening.address,
    keyCreated: opened.created,
    publisher,
    logger,
    async close() {
      listening.proxy?.close(); // stops accepting; its connections close with the HTTP server's
      await app.close(); // answers every request already taken, then closes
      publisher.close();
      newsletter?.close();
      await sequencer.close();
      await listening.close();
      await opened.writer?.release();
      await store.close();
    },
  };
}

function warnMigrated(store: Store, logger: Logger): void {
  const migration = (store as { migration?: Migration }).migration;
  if (migration)
    logger.warn(
      { schema: migration },
      `migrated the database from schema version ${migration.from} to ${migration.to} (TUIDANG_MIGRATE=yes); the older tuidang cannot open it any more: restore the backup to go back`,
    );
}

/**
 * The public reads the log as of the last publication; receipts are answered at once. The
 * witnesses cosign publications only; in a cluster the sequencing node publishes, and the others
 * serve what it recorded for the same instant.
 */
function startPublisher(
  config: Config,
  { store, logger }: Opened,
  sequencer: Declarations,
  metrics: Metrics,
): Promise<Publisher> {
  const cluster = sequencer instanceof ClusterSequencer ? sequencer : undefined;
  return Publisher.start(store, {
    intervalMs: config.publishIntervalSeconds * 1000,
    telemetry: telemetry({ logger, metrics }),
    witnesses: config.witnesses,
    ...(cluster ? { leads: () => cluster.isLeader } : {}),
  });
}

/** A store opened, its writer's lock taken, and the log checked against this node's key. */
interface Opened {
  readonly store: Store;
  readonly writer: SequencerLock | undefined;
  /** What a start that fails lets go of: the writer's lock, then the store. */
  readonly abandon: () => Promise<void>;
  readonly skey: string;
  /** The signing key's seed (the staff secret and the proof of work are derived from it). */
  readonly seed: Uint8Array;
  readonly vkey: string;
  readonly created: boolean;
  readonly signer: ReturnType<typeof signerFromKey>;
  readonly logger: Logger;
}

/**
 * Opens the store, takes the writer's lock, and checks that the log is this node's (its origin
 * and key) and that the world agrees (witnesses, mirror); lets go of everything if not.
 */
async function openChecked(config: Config): Promise<Opened> {
  if (config.dataDir !== ':memory:') mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const { skey, created } = loadSignerKey(config);
  const parsed = parseSignerKey(skey);
  const vkey = formatVerifierKey(parsed.name, ED25519, rawPublicKey(ed25519PrivateKey(parsed.key)));
  const store = openStore(config);
  const signer = signerFromKey(skey);
  // One writer per SQLite data directory, for the life of the process: a second `serve`, an
  // `import` or an `admin void` on the same directory is refused at once (PostgreSQL nodes share
  // the log through the sequencer's advisory lock instead, see ClusterSequencer).
  const writer = store.shared ? undefined : await store.cluster.lockSequencer();
  const abandon = async () => {
    await writer?.release().catch(() => {});
    await store.close().catch(() => {});
  };
  if (!store.shared && writer === undefined) {
    await abandon();
    throw new StoreError('conflict', writerBusy(config.dataDir, 'stop it before starting another'));
  }
  try {
    checkLogOrigin((await store.state()).checkpoint, config.origin, config.originSource);
    await checkLogKey(store, vkey);
  } catch (e) {
    await abandon();
    // A key made just now for a log that has one: leave no stray key in the data directory.
    if (created && e instanceof LogKeyError)
      rmSync(join(config.dataDir, 'log.key'), { force: true });
    throw e;
  }
  const logger = createLogger(undefined, { level: config.logLevel, node: config.nodeId });
  const world = { origin: config.origin, vkey, signer, logger };
  try {
    await checkWorld(store, { ...world, witnesses: config.witnesses, mirror: config.mirror });
  } catch (e) {
    await abandon();
    throw e;
  }
  return { store, writer, abandon, skey, seed: parsed.key, vkey, created, signer, logger };
}

/** The sequencer for the store: the cluster's, a thread of its own, or one in this thread. */
function openSequencer(
  config: Config,
  { store, skey, signer, logger }: Opened,
  metrics: Metrics,
): Promise<Declarations> {
  const options = {
    origin: config.origin,
    signer,
    delayMs: config.sequenceDelayMs,
    logger,
    metrics,
  };
  if (store.shared) return ClusterSequencer.open(store, options);
  if (config.sequencerThread && config.dataDir !== ':memory:')
    return ThreadedSequencer.open(
      store,
      { dataDir: config.dataDir, origin: config.origin, skey, delayMs: config.sequenceDelayMs },
      telemetry({ logger, metrics }),
    );
  return Sequencer.open(store, options);
}

function newsletterOf(config: Config, { store, seed, logger }: Opened): Newsletter | undefined {
  if (!config.smtpUrl) return undefined;
  return new Newsletter(store.site, smtpSender(config.smtpUrl, config.newsletterFrom), seed, {
    logger,
    spendOnce: (token, expiresAtMs) => store.cluster.spendOnce('newsletter', token, expiresAtMs),
  });
}

/** The HTTP server's options: the store, the public view of the log, and the configuration. */
function appOptions(
  config: Config,
  { store, vkey, seed, logger }: Opened,
  parts: {
    sequencer: Declarations;
    publisher: Publisher;
    metrics: Metrics;
    newsletter: Newsletter | undefined;
  },
): AppOptions {
  const { sequencer, publisher, metrics, newsletter } = parts;
  const pow =
    config.pow &&
    new ProofOfWork({
      seed,
      cost: config.pow.cost,
      waitSeconds: config.pow.waitSeconds,
      load: () => sequencer.poolDepth / 1000,
      spendOnce: (token, expiresAtMs) => store.cluster.spendOnce('pow', token, expiresAtMs),
    });
  return {
    store,
    published: new PublishedLogView(store, publisher),
    sequencer,
    vkey,
    origin: config.origin,
    logger,
    metrics,
    rateLimit: config.rateLimit,
    ipv6Prefix: config.ipv6Prefix,
    connectionsPerAddress: config.connectionsPerAddress,
    metricsToken: config.metricsToken,
    pow,
    newsletter,
    publicUrl: config.publicUrl,
    statementCrowd: config.statementCrowd,
    witnesses: config.witnesses?.witnesses,
    operator: config.operator,
    trustProxy: config.trustProxy,
    readiness: {
      checks: {
        // The store itself, not the published view (which answers from memory).
        database: async () => {
          await store.state();
          return undefined;
        },
        sequencer: () => sequencer.trouble?.(),
        publication: () => publisher.lateness(),
      },
    },
    volunteerBudget: config.volunteerBudget,
    // Seals second factors and keys per-account throttling; addresses are never keyed by it.
    staffSecret: staffSecretOf(seed),
    volunteerSecondFactor: config.volunteerSecondFactor,
  };
}

/** Listens where configured: HTTP, the PROXY-protocol listener, the metrics listener. */
async function listen(
  config: Config,
  app: FastifyInstance,
  metrics: Metrics,
): Promise<{ address: string; proxy: Server | undefined; close(): Promise<void> }> {
  const address = await app.listen({ port: config.port, host: config.host });
  // Onion services (HiddenServiceExportCircuitID haproxy) and HAProxy connect here: each
  // connection's PROXY header says who the client is.
  const proxyListener = config.proxyProtocolListen && proxyProtocolServer(app.server);
  if (proxyListener && config.proxyProtocolListen) {
    const { host, port } = config.proxyProtocolListen;
    await new Promise<void>((resolve, reject) => {
      proxyListener.once('error', reject);
      proxyListener.listen(port, host, () => resolve());
    });
  }
  const metricsListener =
    config.metricsListen &&
    (await metricsServer(metrics, config.metricsListen.host, config.metricsListen.port));
  return {
    address,
    proxy: proxyListener || undefined,
    async close() {
      if (metricsListener) await new Promise((r) => metricsListener.close(r));
    },
  };
}
