// Structured logs (pino) with personal data redacted. The server logs its start, its stop and
// failures; it never logs requests. Redaction is a second line of defence for anything that ends
// up in a log object by mistake: names, statements, emails, addresses, headers, bodies.
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

export function createLogger(destination?: DestinationStream): Logger {
  const options = { base: { service: 'tuidang' }, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
