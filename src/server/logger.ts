// Structured logs (pino) with personal data redacted. The server logs its start, its stop and
// failures; it never logs requests. Redaction is a second line of defence for anything that ends
// up in a log object by mistake: names, statements, emails, addresses, headers, bodies.
import { readFileSync } from 'node:fs';
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT = [
  'name',
  'statement',
  'email',
  'ip',
  'address',
  'remoteAddress',
  'headers',
  'body',
  'receipt',
  'salt',
  '*.name',
  '*.statement',
  '*.email',
  '*.ip',
  '*.address',
  '*.remoteAddress',
  '*.headers',
  '*.body',
  '*.receipt',
  '*.salt',
  'req',
  'res',
];

/** The program's version (package.json), in every log line and in the metrics. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export interface LoggerOptions {
  /** The least severe lines written (default info). */
  readonly level?: string;
  /** This node's name, so that the lines of a cluster's nodes can be told apart. */
  readonly node?: string;
}

/** JSON lines: level, time, service, version, node, message; personal data redacted. */
export function createLogger(destination?: DestinationStream, opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? 'info',
    base: { service: 'tuidang', version: VERSION, ...(opts.node ? { node: opts.node } : {}) },
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
