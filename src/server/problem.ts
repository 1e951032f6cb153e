// The one place where errors become HTTP responses: RFC 9457 problem details, a sentence a person
// can act on, never a stack trace. The status of each error comes from the table in src/errors;
// unexpected errors are logged without request data.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { outcomeOf, publicMessage, TuidangError } from '../errors/index.ts';
import { ValidationError } from '../registry/index.ts';

const CODE_OF_STATUS = {
  400: 'bad-request',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  415: 'unsupported-media-type',
} as const;
type RequestCode = (typeof CODE_OF_STATUS)[keyof typeof CODE_OF_STATUS];

/** A request the routes refuse, by its HTTP status (the table in src/errors maps it back). */
export class HttpError extends TuidangError<RequestCode> {
  override name = 'HttpError';
  constructor(status: keyof typeof CODE_OF_STATUS, message: string) {
    super(CODE_OF_STATUS[status], message);
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
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
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

/**
 * Whether `url` is of the API or the log, whose errors are problem documents (RFC 9457) and never
 * HTML pages: programs read them.
 */
export function isApiOrLogPath(url: string): boolean {
  return /^\/(api|log)\//.test(url);
}

/** How a page request that failed is answered: an HTML page with this status. */
export type ErrorPage = (req: FastifyRequest, reply: FastifyReply, status: number) => FastifyReply;

/**
 * The error handler, logging unexpected errors to `logger` (never the request). Requests outside
 * the API and the log get `page` (HTML in the visitor's language) instead of a problem document.
 */
export function errorHandler(logger: Logger, page?: ErrorPage) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (page === undefined || isApiOrLogPath(request.url))
      return handle(logger, error, request, reply);
    const status = handlePage(logger, error, request, reply);
    return page(request, reply, status);
  };
}

/** Logs and sets Retry-After as for the API; the status of the page. */
function handlePage(
  logger: Logger,
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): number {
  const fe = error as FastifyError;
  if (!(error instanceof TuidangError) && clientError(fe)) return fe.statusCode as number;
  return report(logger, error, request, reply).status;
}

const clientError = (fe: FastifyError) =>
  typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500;

/** What the table says of `error`: logged if it must be, Retry-After set if it has one. */
function report(logger: Logger, error: Error, request: FastifyRequest, reply: FastifyReply) {
  const outcome = outcomeOf(error);
  if (outcome.log) logged(logger, error, request);
  if (outcome.retryAfter !== undefined) reply.header('Retry-After', String(outcome.retryAfter));
  return outcome;
}

function handle(
  logger: Logger,
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const fe = error as FastifyError;
  if (!(error instanceof TuidangError) && clientError(fe)) {
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
    return send(reply, fe.statusCode as number, detail);
  }
  const outcome = report(logger, error, request, reply);
  if (error instanceof ValidationError)
    return send(
      reply,
      outcome.status,
      error.problems.length === 1
        ? `${error.problems[0]?.pointer}: ${error.problems[0]?.detail}`
        : 'Some fields are not valid.',
      { errors: error.problems },
    );
  return send(reply, outcome.status, publicMessage(error));
}

/**
 * One line that says what failed where (the route template, never the URL), then the stack. Never
 * the request, and none of the error's other fields or its cause's message, which may hold what a
 * person typed (a driver's "detail", a mailer's list of recipients).
 */
function logged(logger: Logger, error: Error, request: FastifyRequest): void {
  const route = request.routeOptions?.url ?? 'unmatched';
  const own = (error as { code?: unknown }).code;
  const code = typeof own === 'string' ? own : undefined;
  const cause = error.cause instanceof Error ? { type: error.cause.name } : undefined;
  logger.error(
    { err: { type: error.name, code, message: error.message, stack: error.stack, cause } },
    `${error instanceof TuidangError ? 'error' : 'unexpected error'} in ${request.method} ${route}: ${error.name}${code ? ` ${code}` : ''}: ${error.message}`,
  );
}

export function notFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return send(reply, 404, 'There is nothing at this address.');
}
