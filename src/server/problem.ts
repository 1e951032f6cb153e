// The one place where errors become HTTP responses: RFC 9457 problem details, a sentence a person
// can act on, never a stack trace. Unexpected errors are logged without request data.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { LogError } from '../log/index.ts';
import { ValidationError } from '../registry/index.ts';
import {
  IdempotencyConflictError,
  IdempotencyKeyError,
  PoolFullError,
  SequencingError,
} from '../sequencer/index.ts';
import { StoreError } from '../store/index.ts';
import { RateLimitedError } from './rate-limit.ts';

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function send(
  reply: FastifyReply,
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra });
}

/** The error handler, logging unexpected errors to `logger` (never the request). */
export function errorHandler(logger: Logger) {
  return (
    error: FastifyError | Error,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply => handle(logger, error, request, reply);
}

function handle(
  logger: Logger,
  error: FastifyError | Error,
  _request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof ValidationError) {
    return send(
      reply,
      400,
      error.problems.length === 1
        ? `${error.problems[0]?.pointer}: ${error.problems[0]?.detail}`
        : 'Some fields are not valid.',
      {
        errors: error.problems,
      },
    );
  }
  if (error instanceof HttpError) return send(reply, error.status, error.message);
  if (error instanceof IdempotencyKeyError) return send(reply, 400, error.message);
  if (error instanceof IdempotencyConflictError) return send(reply, 409, error.message);
  if (error instanceof RateLimitedError) {
    reply.header('Retry-After', String(error.retryAfterSeconds));
    return send(reply, 429, error.message);
  }
  if (error instanceof PoolFullError) {
    reply.header('Retry-After', String(error.retryAfterSeconds));
    return send(
      reply,
      503,
      'The registry is busy. Please try again in a moment; nothing was recorded.',
    );
  }
  if (
    error instanceof LogError &&
    (error.code === 'out-of-range' || error.code === 'malformed-tile')
  )
    return send(reply, 400, error.message);
  if (error instanceof StoreError && error.code === 'not-found')
    return send(reply, 404, error.message);
  if (isUnavailable(error)) {
    logger.error({ err: error }, 'database unavailable');
    return unavailable(reply);
  }
  const fe = error as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: bad JSON, body too large, wrong content type.
    const detail =
      fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'The request body is too large.'
        : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Send the body as application/json.'
          : fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? 'The request body is empty; send a JSON object.'
            : fe.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError
              ? 'The request body is not valid JSON.'
              : error.message;
    return send(reply, fe.statusCode, detail);
  }
  // The sequencer has logged it already, with what it affected.
  if (error instanceof SequencingError && isUnavailable(error.cause)) return unavailable(reply);
  if (error instanceof SequencingError)
    return send(
      reply,
      500,
      error.recorded
        ? 'Your declaration was recorded, but its receipt could not be made. Send the same request again with the same Idempotency-Key to get it.'
        : 'Something went wrong on our side; nothing was recorded. Please try again later.',
    );
  // Unexpected: log the error itself (never the request: it may hold a name or an address).
  logger.error({ err: error }, 'unexpected error');
  return send(
    reply,
    500,
    'Something went wrong on our side; nothing was recorded. Please try again later.',
  );
}

function isUnavailable(e: unknown): boolean {
  return e instanceof StoreError && e.code === 'unavailable';
}

function unavailable(reply: FastifyReply): FastifyReply {
  reply.header('Retry-After', '5');
  return send(reply, 503, 'The database cannot be reached just now. Please try again in a moment.');
}

export function notFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return send(reply, 404, 'There is nothing at this address.');
}
