import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Runtime } from '../runtime.js';

/** What every route plugin is given. */
export interface RouteContext {
  runtime: Runtime;
}

/**
 * The merchant's routes are mounted twice, each time with its own way of naming the merchant:
 * API keys under /api/v1, the signed-in session (with its CSRF check) under /dashboard/api.
 */
export interface MerchantApiContext extends RouteContext {
  /** onRequest hook: sets request.merchant, or answers 401 (or 403). */
  identifyMerchant: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}
