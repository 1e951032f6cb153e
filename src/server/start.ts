// Wires a running registry together: store, sequencer, HTTP server.
import { hkdfSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type Config, loadSignerKey } from '../config/index.ts';
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
  Publisher,
  publishedView,
  Sequencer,
  ThreadedSequencer,
  telemetry,
} from '../sequencer/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createMetrics, metricsServer } from './metrics.ts';
import { Newsletter, smtpSender } from './newsletter.ts';
import { ProofOfWork } from './pow.ts';

export interface Registry {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly sequencer: Declarations;
  /** What the public sees of the log: the state at the last publication. */
  readonly publisher: Publisher;
  readonly vkey: string;
  readonly url: string;
  readonly keyCreated: boolean;
  close(): Promise<void>;
}

export async function startRegistry(config: Config): Promise<Registry> {
  if (config.dataDir !== ':memory:') mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const { skey, created } = loadSignerKey(config);
  const parsed = parseSignerKey(skey);
  const vkey = formatVerifierKey(parsed.name, ED25519, rawPublicKey(ed25519PrivateKey(parsed.key)));
  const store = openStore(config);
  const logger = createLogger();
  let depth = () => 0;
  const metrics = createMetrics(
    () => depth(),
    async () => (await store.state()).treeSize,
  );
  const options = {
    origin: config.origin,
    signer: signerFromKey(skey),
    delayMs: config.sequenceDelayMs,
    logger,
    metrics,
  };
  let sequencer: Declarations;
  try {
    sequencer = store.shared
      ? await ClusterSequencer.open(store, options)
      : config.sequencerThread && config.dataDir !== ':memory:'
        ? await ThreadedSequencer.open(
            store,
            {
              dataDir: config.dataDir,
              origin: config.origin,
              skey,
              delayMs: config.sequenceDelayMs,
            },
            telemetry({ logger, metrics }),
          )
        : await Sequencer.open(store, options);
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  depth = () => sequencer.poolDepth;
  // The public reads the log as of the last publication; receipts are answered at once. The
  // witnesses cosign publications only; in a cluster the sequencing node publishes, and the others
  // serve what it recorded for the same instant.
  const cluster = sequencer instanceof ClusterSequencer ? sequencer : undefined;
  const publisher = await Publisher.start(store, {
    intervalMs: config.publishIntervalSeconds * 1000,
    telemetry: telemetry({ logger, metrics }),
    witnesses: config.witnesses,
    ...(cluster ? { leads: () => cluster.isLeader } : {}),
  });
  const pow =
    config.pow &&
    new ProofOfWork({
      seed: parsed.key,
      cost: config.pow.cost,
      waitSeconds: config.pow.waitSeconds,
      load: () => sequencer.poolDepth / 1000,
      spendOnce: (token, expiresAtMs) => store.cluster.spendOnce('pow', token, expiresAtMs),
    });
  const newsletter = config.smtpUrl
    ? new Newsletter(store, smtpSender(config.smtpUrl, config.newsletterFrom), parsed.key, {
        logger,
        spendOnce: (token, expiresAtMs) =>
          store.cluster.spendOnce('newsletter', token, expiresAtMs),
      })
    : undefined;
  const app = await buildApp({
    store: publishedView(store, publisher),
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
    witnesses: config.witnesses?.witnesses,
    trustProxy: config.trustProxy,
    staffSecret: new Uint8Array(
      hkdfSync('sha256', parsed.key, new Uint8Array(0), 'tuidang/staff-sign-in/v1', 32),
    ),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const metricsListener =
    config.metricsListen &&
    (await metricsServer(metrics, config.metricsListen.host, config.metricsListen.port));
  return {
    app,
    store,
    sequencer,
    vkey,
    url: address,
    keyCreated: created,
    publisher,
    async close() {
      publisher.close();
      newsletter?.close();
      await sequencer.close();
      await app.close();
      if (metricsListener) await new Promise((r) => metricsListener.close(r));
      await store.close();
    },
  };
}
