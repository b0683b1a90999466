import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/pool.js';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import { describeValidationError } from './validation-messages.js';

/** The single code → HTTP status table. */
export const STATUS_OF: Record<ErrorCode, number> = {
  AUTHENTICATION_ERROR: 401,
  BAD_REQUEST_ERROR: 400,
  INVALID_VPA: 400,
  INVALID_CARD: 400,
  EXPIRED_CARD: 400,
  NOT_FOUND_ERROR: 404,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
};

export interface ErrorBody {
  error: { code: string; description: string; field?: string; request_id?: string };
}

export function sendError(
  reply: FastifyReply,
  code: ErrorCode | 'INTERNAL_ERROR',
  description: string,
  field?: string,
): FastifyReply {
  const status = code === 'INTERNAL_ERROR' ? 500 : STATUS_OF[code];
  const body: ErrorBody = { error: { code, description, request_id: String(reply.request.id) } };
  if (field !== undefined) body.error.field = field;
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Fastify's own client errors, by code, in the API's error format (docs/api.md). */
const FRAMEWORK_ERRORS: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'Request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['BAD_REQUEST_ERROR', 'Content-Type must be application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['BAD_REQUEST_ERROR', 'Request body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['BAD_REQUEST_ERROR', 'Malformed JSON body'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST_ERROR', 'Invalid Content-Length'],
  FST_ERR_BAD_URL: ['NOT_FOUND_ERROR', 'Not found'],
  FST_ERR_MAX_PARAM_LENGTH: ['NOT_FOUND_ERROR', 'Not found'],
  FST_ERR_ASYNC_CONSTRAINT: ['NOT_FOUND_ERROR', 'Not found'],
};

/**
 * PostgreSQL data exceptions that only a client's value can cause, since every statement is fixed
 * and parameterised: a NUL character in text (which PostgreSQL cannot store), a number beyond bigint.
 */
const UNSTORABLE_INPUT: Record<string, string> = {
  '22021': 'Text must not contain NUL characters',
  '22P05': 'Text contains characters that cannot be stored',
  '22003': 'A number is out of range',
  '22P02': 'A value is not in a valid format',
};

export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof DomainError) return sendError(reply, err.code, err.message, err.field);
  if (err.validation) {
    const { description, field } = describeValidationError(err.validation, err.validationContext);
    return sendError(reply, 'BAD_REQUEST_ERROR', description, field);
  }
  const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined;
  if (known) return sendError(reply, known[0], known[1]);
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return sendError(reply, 'BAD_REQUEST_ERROR', 'Malformed JSON body');
  }
  const unstorable = UNSTORABLE_INPUT[String(err.code)];
  if (unstorable) {
    request.log.warn({ err: err.message, code: err.code }, 'input refused by the database');
    return sendError(reply, 'BAD_REQUEST_ERROR', unstorable);
  }
  if (isDatabaseUnavailable(err)) {
    request.log.warn({ err: err.message }, 'database unavailable');
    return sendError(reply, 'SERVICE_UNAVAILABLE', 'Database unavailable, please retry');
  }
  if (err.statusCode === 429) return sendError(reply, 'RATE_LIMITED', 'Too many requests');
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    request.log.info({ err: err.message, code: err.code }, 'client error');
    return sendError(reply, err.statusCode === 404 ? 'NOT_FOUND_ERROR' : 'BAD_REQUEST_ERROR', 'Bad request');
  }
  request.log.error({ err }, 'unhandled error');
  return sendError(reply, 'INTERNAL_ERROR', 'Internal error');
}

/**
 * Requests Node's HTTP parser refuses (headers or URL over 16 KiB, a malformed request line) never
 * reach a route; they are answered in the same error format too. A client too slow to send its
 * request is simply disconnected.
 */
export function handleClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable && err.code !== 'ERR_HTTP_REQUEST_TIMEOUT') {
    const description =
      err.code === 'HPE_HEADER_OVERFLOW' ? 'Request line or headers are too large' : 'Malformed HTTP request';
    const body = JSON.stringify({ error: { code: 'BAD_REQUEST_ERROR', description } });
    socket.write(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_request, reply) => sendError(reply, 'NOT_FOUND_ERROR', 'Not found'));
}
