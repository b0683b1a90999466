import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../api/errors.js';
import { safeEqual } from '../domain/signing.js';
import type { Runtime } from '../runtime.js';
import { trackQueueDepth } from './queue-depth.js';
import { enableProcessMetrics, renderMetrics } from './registry.js';

/**
 * Who may scrape /metrics on the API port: with METRICS_TOKEN set, only `Authorization: Bearer
 * <token>` (compared in constant time); without it, anyone in test mode and no one otherwise, since
 * the API port faces the public and the series describe its traffic. The worker's METRICS_PORT
 * listener is a separate, unpublished port and stays open.
 */
export function metricsAccess(config: Runtime['config']) {
  const token = config.METRICS_TOKEN;
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    if (token === undefined) {
      if (config.TEST_MODE) return;
      return sendError(
        reply,
        'AUTHENTICATION_ERROR',
        'Metrics are disabled: set METRICS_TOKEN to enable them',
      );
    }
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (safeEqual(presented, token)) return;
    reply.header('WWW-Authenticate', 'Bearer realm="gateway metrics"');
    return sendError(reply, 'AUTHENTICATION_ERROR', 'A valid metrics bearer token is required');
  };
}

/**
 * GET /metrics in the Prometheus text format: HTTP, job, webhook and payment series of this process,
 * its runtime metrics, and the depth of every queue.
 */
export const metricsRoute: FastifyPluginAsync<{ runtime: Runtime }> = async (app, { runtime }) => {
  enableProcessMetrics();
  const untrack = trackQueueDepth(runtime.jobs.queues);
  app.addHook('onClose', async () => untrack());
  app.get(
    '/metrics',
    { schema: { hide: true }, onRequest: metricsAccess(runtime.config) },
    async (_request, reply) => {
      const { contentType, body } = await renderMetrics();
      return reply.type(contentType).send(body);
    },
  );
};
