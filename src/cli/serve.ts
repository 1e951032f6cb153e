// `tuidang serve`: runs the registry.
import { readConfig } from '../config/index.ts';
import { buildStaticApp, startRegistry } from '../server/index.ts';
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
  TUIDANG_ORIGIN           the log's origin and key name (default localhost/tuidang)
  TUIDANG_SIGNER_KEY       the signing key itself, instead of DATA_DIR/log.key
  SEQUENCE_DELAY           milliseconds a commit may wait to gather more declarations (default 0 with
                           the sequencer's own thread, which gathers while it commits; else 2)
  SEQUENCER_THREAD         on (default) or off: with SQLite, sequence on a thread of its own
                           (HTTP on one core; integrating, committing and proofs on the other)
  TUIDANG_PUBLISH_INTERVAL seconds between publications of the log: the public checkpoint, tiles
                           and totals move only then, receipts are answered at once (default 60;
                           0 publishes every commit at once, giving away when each entry was made)
  RATE_LIMIT               declarants a minute from one client (default 30, up to 50 at once; 0: no limit)
  RATE_LIMIT_IPV6_PREFIX   the IPv6 prefix length that is one client (default 64)
  CONNECTIONS_PER_ADDRESS  open connections one address may hold (default 64; 0: no cap)
  TUIDANG_POW              proof of work on declarations: on (default) or off
  TUIDANG_POW_COST         hashes per declarant a client computes on average when idle (default 5000)
  TUIDANG_POW_WAIT         seconds per declarant a form without JavaScript must be open (default 3)
  TRUST_PROXY              behind a reverse proxy: the number of proxies, or their addresses
  SMTP_URL                 the SMTP server for the newsletter (without it, no newsletter)
  NEWSLETTER_FROM          the newsletter's sender (default tuidang <newsletter@localhost>)
  TUIDANG_PUBLIC_URL       the site's public address, for links in mails, the feed and the commands the
                           pages print (needed with SMTP_URL; default http://HOST:PORT, for local use)
  METRICS_LISTEN           host:port of a separate, private listener for the metrics
  METRICS_TOKEN            serve /metrics to requests with "Authorization: Bearer <token>"
  TUIDANG_WITNESSES        witnesses that cosign each publication: "URL VKEY" pairs separated by ";"
  TUIDANG_WITNESS_QUORUM   cosignatures to wait for (default: all witnesses)
  TUIDANG_WITNESS_REQUIRED cosignatures without which nothing is published (default 0: best effort)
  TUIDANG_WITNESS_TIMEOUT  longest wait for them in milliseconds (default 1000)

docs/operations.md explains each in context: proxies, backups, keys, clusters, witnesses.`;

export const serve: Command = {
  summary: 'run the registry (API, log, sequencer)',
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
    if (registry.keyCreated)
      console.log(
        'created a new signing key in the data directory (back it up: it signs every checkpoint)',
      );
    console.log(`tuidang is serving at ${registry.url}`);
    console.log(`log verifier key: ${registry.vkey}`);
    const stop = async (signal: string) => {
      console.log(`${signal}: finishing pending commits and stopping`);
      await registry.close();
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
  const url = await app.listen({ port: config.port, host: config.host });
  console.log(`tuidang is serving the mirror ${dir} at ${url}/log/`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await new Promise(() => {});
  return 0;
}
