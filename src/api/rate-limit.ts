import { isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { FixedWindowCounter } from '../domain/fixed-window-counter.js';

/**
 * Per-client rate limits, counted in fixed windows in this process's memory:
 *
 * - failed authentication: a client that sent RATE_LIMIT_AUTH_FAILURES bad key/secret pairs within
 *   RATE_LIMIT_WINDOW_MS is refused on every authenticated endpoint until the window ends. The refusal
 *   comes before the credentials are checked, so a blocked guesser learns nothing, not even a right guess.
 *   Successful requests are never counted: any amount of authenticated traffic passes.
 * - public endpoints (`…/public`, which need no credentials): at most RATE_LIMIT_PUBLIC requests per
 *   client per window.
 *
 * A client is its socket address (an IPv6 client by its /64, which one host usually owns whole). Each
 * API process counts on its own, so N processes behind a balancer allow up to N times the limit; that
 * keeps a hot path free of Redis round trips, and the limits are guards against abuse, not quotas.
 */
type Authenticate = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export class ClientRateLimits {
  private readonly authFailures: FixedWindowCounter;
  private readonly publicRequests: FixedWindowCounter;

  constructor(
    config: Pick<Config, 'RATE_LIMIT_AUTH_FAILURES' | 'RATE_LIMIT_PUBLIC' | 'RATE_LIMIT_WINDOW_MS'>,
    private readonly now: () => number = Date.now,
  ) {
    this.authFailures = new FixedWindowCounter(config.RATE_LIMIT_AUTH_FAILURES, config.RATE_LIMIT_WINDOW_MS);
    this.publicRequests = new FixedWindowCounter(config.RATE_LIMIT_PUBLIC, config.RATE_LIMIT_WINDOW_MS);
  }

  /** Counts one failed authentication (the onFailure hook of apiKeyAuth). */
  readonly authenticationFailed = (request: FastifyRequest): void => {
    this.authFailures.count(clientKey(request.ip), this.now());
  };

  /** Wraps an authentication hook so that a client over the failure limit is refused first. */
  guardAuthentication(authenticate: Authenticate): Authenticate {
    return async (request, reply) => {
      refuseWhileBlocked(reply, this.authFailures.blockedForMs(clientKey(request.ip), this.now()));
      await authenticate(request, reply);
    };
  }

  /** Limits every route whose path ends in /public; call before the routes are registered. */
  limitPublicEndpoints(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      if (!request.routeOptions.url?.endsWith('/public')) return;
      const key = clientKey(request.ip);
      const now = this.now();
      refuseWhileBlocked(reply, this.publicRequests.blockedForMs(key, now));
      this.publicRequests.count(key, now);
    });
  }
}

function refuseWhileBlocked(reply: FastifyReply, waitMs: number): void {
  if (waitMs <= 0) return;
  reply.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  throw new DomainError('RATE_LIMITED', 'Too many requests, retry later');
}

/** The address a limit is counted against: IPv4 as is, IPv6 by its /64 network. */
export function clientKey(ip: string): string {
  if (!isIPv6(ip) || ip.toLowerCase().startsWith('::ffff:')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
