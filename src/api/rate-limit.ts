import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientKey } from '../domain/client-key.js';
import { DomainError } from '../domain/errors.js';
import type { Runtime } from '../runtime.js';
import { ClientLimit } from '../services/client-limit.js';

/**
 * Per-client rate limits, counted in fixed windows in Redis, so they hold across every API process:
 *
 * - failed authentication: a client that sent RATE_LIMIT_AUTH_FAILURES bad key/secret pairs within
 *   RATE_LIMIT_WINDOW_MS is refused on every authenticated endpoint until the window ends. The refusal
 *   comes before the credentials are checked, so a blocked guesser learns nothing, not even a right guess.
 *   Successful requests are never counted: any amount of authenticated traffic passes.
 * - public endpoints (`…/public`, which need no credentials): at most RATE_LIMIT_PUBLIC requests per
 *   client per window.
 *
 * A client is its address (an IPv6 client by its /64). When Redis is unreachable the limits fail
 * open: payments still answer.
 */
type Authenticate = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export class ClientRateLimits {
  private readonly authFailures: ClientLimit;
  private readonly publicRequests: ClientLimit;

  constructor(runtime: Pick<Runtime, 'counters' | 'config' | 'log'>) {
    const windowMs = runtime.config.RATE_LIMIT_WINDOW_MS;
    this.authFailures = new ClientLimit(runtime, {
      name: 'auth-failures',
      limit: runtime.config.RATE_LIMIT_AUTH_FAILURES,
      windowMs,
    });
    this.publicRequests = new ClientLimit(runtime, {
      name: 'public',
      limit: runtime.config.RATE_LIMIT_PUBLIC,
      windowMs,
    });
  }

  /** Counts one failed authentication (the onFailure hook of apiKeyAuth). */
  readonly authenticationFailed = (request: FastifyRequest): Promise<void> =>
    this.authFailures.count(clientKey(request.ip));

  /** Wraps an authentication hook so that a client over the failure limit is refused first. */
  guardAuthentication(authenticate: Authenticate): Authenticate {
    return async (request, reply) => {
      refuseWhileBlocked(reply, await this.authFailures.blockedForMs(clientKey(request.ip)));
      await authenticate(request, reply);
    };
  }

  /** Limits every route whose path ends in /public; call before the routes are registered. */
  limitPublicEndpoints(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      if (!request.routeOptions.url?.endsWith('/public')) return;
      refuseWhileBlocked(reply, await this.publicRequests.take(clientKey(request.ip)));
    });
  }
}

/** 429 RATE_LIMITED with Retry-After in whole seconds (at least 1). */
export function refuseWhileBlocked(
  reply: FastifyReply,
  waitMs: number,
  description = 'Too many requests, retry later',
): void {
  if (waitMs <= 0) return;
  reply.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  throw new DomainError('RATE_LIMITED', description);
}
