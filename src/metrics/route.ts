import type { FastifyPluginAsync } from 'fastify';
import type { Runtime } from '../runtime.js';
import { trackQueueDepth } from './queue-depth.js';
import { enableProcessMetrics, renderMetrics } from './registry.js';

/**
 * GET /metrics in the Prometheus text format: HTTP, job, webhook and payment series of this process,
 * its runtime metrics, and the depth of every queue.
 */
export const metricsRoute: FastifyPluginAsync<{ rt: Runtime }> = async (app, { rt }) => {
  enableProcessMetrics();
  const untrack = trackQueueDepth(rt.jobs.queues);
  app.addHook('onClose', async () => untrack());
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const { contentType, body } = await renderMetrics();
    return reply.type(contentType).send(body);
  });
};
