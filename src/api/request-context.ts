import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../domain/errors.js';
import { requestFingerprint } from '../domain/request-fingerprint.js';
import type { Answer, IdempotencyRequest } from '../services/idempotency.js';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's X-Request-Id is kept when it is sane, so logs can be joined across systems. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

// Printable ASCII only: the namespace marker below can then never arrive in a header.
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;
const ANONYMOUS_NAMESPACE = 'anonymous\u001f';

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw badRequest('Idempotency-Key must be 1 to 255 printable ASCII characters', 'Idempotency-Key');
  }
  return value;
}

/**
 * The Idempotency-Key of a creating request and the fingerprint of what it asks for. Keys sent
 * without credentials (the checkout's public endpoints) live in a namespace of their own, so an
 * anonymous caller can never use up, or read the answer of, a key of the merchant's own.
 */
export function idempotencyRequest(
  request: FastifyRequest,
  options: { anonymous?: boolean } = {},
): Omit<IdempotencyRequest, 'merchantId'> {
  const path = request.url.split('?')[0] ?? request.url;
  const key = idempotencyKey(request);
  return {
    key: key !== undefined && options.anonymous ? ANONYMOUS_NAMESPACE + key : key,
    fingerprint: requestFingerprint(request.method, path, request.body),
  };
}

/** Sends a stored or fresh creation answer byte for byte. */
export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  if (answer.replayed) reply.header('Idempotent-Replayed', 'true');
  return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
}
