import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';
import type { Authenticator, MerchantIdentity } from '../services/authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    merchant: MerchantIdentity;
  }
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** onRequest hook: X-Api-Key + X-Api-Secret, checked before the body is even read. */
export function apiKeyAuth(
  authenticator: Authenticator,
  onFailure?: (request: FastifyRequest) => Promise<void>,
) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const key = header(request, 'x-api-key');
    const secret = header(request, 'x-api-secret');
    const merchant = key && secret ? await authenticator.authenticate(key, secret) : null;
    if (!merchant) {
      await onFailure?.(request);
      throw new DomainError('AUTHENTICATION_ERROR', 'Invalid API credentials');
    }
    request.merchant = merchant;
  };
}
