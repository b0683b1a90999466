import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../domain/errors.js';
import type { Answer, IdempotencyScope } from '../services/idempotent.js';
import { requestHash } from '../services/stable-json.js';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's X-Request-Id is kept when it is sane, so logs can be joined across systems. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > 255) {
    throw badRequest('Idempotency-Key must be 1 to 255 characters', 'Idempotency-Key');
  }
  return value;
}

/** The idempotency scope of a creating request: its key and a hash of what it asks for. */
export function idempotencyScope(request: FastifyRequest): Omit<IdempotencyScope, 'merchantId'> {
  const path = request.url.split('?')[0] ?? request.url;
  return { key: idempotencyKey(request), requestHash: requestHash(request.method, path, request.body) };
}

/** Sends a stored or fresh creation answer byte for byte. */
export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  if (answer.replayed) reply.header('Idempotent-Replayed', 'true');
  return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
}
