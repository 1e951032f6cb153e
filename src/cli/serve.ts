// `tuidang serve`: runs the registry.
import { LOCAL_ORIGIN, readConfig } from '../config/index.ts';
import { buildStaticApp, createLogger, startRegistry } from '../server/index.ts';
import { CliError, type Command, parseOptions } from './command.ts';

export const help = `usage: tuidang serve [--static DIR]

Serves the registry: the site, the JSON API under /api/v1/ and the log under /log/. With --static
DIR, serves only a mirror directory (made by tuidang mirror) under /log/, on PORT and HOST.

Configuration comes from the environment:
  PORT                     port to listen on (default 8080; 0 picks a free one)
  HOST                     address to listen on (default 127.0.0.1; put a TLS proxy in front)
  DATA_DIR                 where the SQLite database and the signing key live (default ./data)
  DATABASE_URL             postgres://… to use PostgreSQL instead of SQLite (nodes may share it)
  DATABASE_SCHEMA          the PostgreSQL schema (default tuidang)
  TUIDANG_ORIGIN           the log's origin and key name (default: the host and path of
                           TUIDANG_PUBLIC_URL, else localhost/tuidang); it never changes
  TUIDANG_SIGNER_KEY       the signing key itself, instead of DATA_DIR/log.key
  SEQUENCE_DELAY           milliseconds a commit may wait to gather more declarations (default 0 with
                           the sequencer's own thread, which gathers while it commits; else 2)
  SEQUENCER_THREAD         on (default) or off: with SQLite, sequence on a thread of its own
                           (HTTP on one core; integrating, committing and proofs on the other)
  TUIDANG_PUBLISH_INTERVAL seconds between publications of the log: the public checkpoint, tiles
                           and totals move only then, receipts are answered at once (default 60;
                           0 publishes every commit at once, giving away when each entry was made)
  TUIDANG_STATEMENT_CROWD  declarations that must share a published statement's month before it is
                           listed, so that no statement points at its entry (default 100)
  RATE_LIMIT               declarants a minute from one client (default 30, up to 50 at once; 0: no limit)
  RATE_LIMIT_IPV6_PREFIX   the IPv6 prefix length that is one client (default 64)
  CONNECTIONS_PER_ADDRESS  open connections one address may hold (default 64; 0: no cap)
  TUIDANG_POW              proof of work on declarations: on (default) or off
  TUIDANG_POW_COST         scrypt evaluations per declarant a client computes on average (default 5)
  TUIDANG_POW_WAIT         seconds per declarant a form without JavaScript must be open (default 3)
  TRUST_PROXY              behind a reverse proxy: the number of proxies, or their addresses
  VOLUNTEER_PER_HOUR       people one staff account may declare in a clock hour (default 1000; 0: no limit)
  VOLUNTEER_PER_DAY        people one staff account may declare in 24 hours (default 2000; 0: no limit)
  SMTP_URL                 the SMTP server for the newsletter (without it, no newsletter)
  NEWSLETTER_FROM          the newsletter's sender (default tuidang <newsletter@localhost>)
  TUIDANG_PUBLIC_URL       the site's public address, for links in mails, the feed and the commands the
                           pages print, and the log's origin (needed with SMTP_URL and for any public
                           registry; default http://HOST:PORT, for local use); https turns on HSTS
                           and Secure cookies
  PROXY_PROTOCOL_LISTEN    host:port of a second listener for connections that start with a PROXY
                           header: an onion service (HiddenServiceExportCircuitID haproxy), HAProxy
  METRICS_LISTEN           host:port of a separate, private listener for the metrics
  METRICS_TOKEN            serve /metrics to requests with "Authorization: Bearer <token>"
  TUIDANG_WITNESSES        witnesses that cosign each publication: "URL VKEY" pairs separated by ";"
  TUIDANG_WITNESS_QUORUM   cosignatures to wait for (default: all witnesses)
  TUIDANG_WITNESS_REQUIRED cosignatures without which nothing is published (default 0: best effort)
  TUIDANG_WITNESS_TIMEOUT  longest wait for them in milliseconds (default 1000)
  TUIDANG_VOLUNTEER_2FA    required (default) or optional: whether volunteers must sign in with a
                           second factor too (administrators and moderators always must)
  TUIDANG_OPERATOR         who runs this registry, named on the home and about pages
  TUIDANG_CONTACT          an email or https:// address to reach the operator
  TUIDANG_SOURCE_URL       where this deployment's source code is published (linked from /about)
  TUIDANG_SOURCE_COMMIT    the commit deployed (default: read from the checkout's .git)
  TUIDANG_MIGRATE          yes: migrate an existing database to this version's schema, after a
                           backup (docs/upgrading.md; new databases need nothing)
  LOG_LEVEL                the least severe log lines written: fatal, error, warn, info (default),
                           debug, trace or silent; lines are JSON (pino), one per line
  TUIDANG_NODE_ID          this node's name in every log line (default the host name)
  TUIDANG_MIRROR           a mirror or peer of the log (directory or URL): refuse to start if it, or a
                           witness, has seen more of the log than the database holds

Secrets may be given as files instead: TUIDANG_SIGNER_KEY_FILE, DATABASE_URL_FILE, METRICS_TOKEN_FILE,
SMTP_URL_FILE. One process writes a data directory: a second serve on it is refused.

Health: GET /healthz (the process answers) and GET /readyz (it can take declarations now: database,
sequencer and publication; 503 with what fails) are for load balancers and systemd.

docs/operations.md explains each in context: proxies, backups, keys, clusters, witnesses.`;

export const serve: Command = {
  async run(args) {
    const parsed = parseOptions(args, { static: { type: 'string' } }, help);
    if (parsed === undefined) return 0;
    if (parsed.values.static !== undefined) return serveStatic(parsed.values.static);
    let registry: Awaited<ReturnType<typeof startRegistry>>;
    try {
      registry = await startRegistry(readConfig());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new CliError(`${(e as Error).message}: another program uses this port; set PORT`);
      throw e;
    }
    const { logger } = registry;
    if (registry.keyCreated)
      logger.warn(
        'created a new signing key in the data directory (back it up: it signs every checkpoint)',
      );
    logger.info({ url: registry.url }, `tuidang is serving at ${registry.url}`);
    logger.info({ vkey: registry.vkey }, `log verifier key: ${registry.vkey}`);
    if (registry.vkey.startsWith(`${LOCAL_ORIGIN}+`))
      logger.warn(
        `the log's origin is ${LOCAL_ORIGIN}, which names no site: right for local use only. A public registry sets TUIDANG_PUBLIC_URL before its first start (the log is then named after its host)`,
      );
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info(
        { signal },
        `${signal}: answering the requests already taken, finishing their commits, then stopping`,
      );
      // systemd's TimeoutStopSec is 30 s in the documented unit: give up a little before it.
      const deadline = setTimeout(() => {
        logger.error('stopping took more than 25 s: exiting with requests unanswered');
        process.exit(1);
      }, 25_000);
      deadline.unref();
      try {
        await registry.close();
      } catch (e) {
        logger.error({ err: e }, `stopping failed: ${(e as Error).message}`);
        process.exit(1);
      }
      logger.info('stopped');
      logger.flush();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    await new Promise(() => {}); // serve until a signal arrives
    return 0;
  },
};

async function serveStatic(dir: string): Promise<number> {
  const config = readConfig();
  const app = await buildStaticApp(dir);
  const logger = createLogger(undefined, { level: config.logLevel, node: config.nodeId });
  const url = await app.listen({ port: config.port, host: config.host });
  logger.info({ url }, `tuidang is serving the mirror ${dir} at ${url}/log/`);
  const stop = async () => {
    await app.close();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await new Promise(() => {});
  return 0;
}
