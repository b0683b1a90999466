import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deliveryCounts } from '../../db/deliveries.js';
import { TEST_MERCHANT } from '../../db/seed.js';
import { DomainError } from '../../domain/errors.js';
import { pingEvery } from '../../queue/redis.js';
import { jobsStatus } from '../../queue/stats.js';
import { errors, Health, JobsStatus, TestMerchant } from '../../shapes/index.js';
import { withTimeout } from '../../timeout.js';
import type { RouteContext } from '../context.js';

const PROBE_TIMEOUT_MS = 1000;

async function probe(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await withTimeout(check(), PROBE_TIMEOUT_MS, 'health probe');
    return true;
  } catch {
    return false;
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness of the API and its dependencies',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const [database, redis] = await Promise.all([
        probe(() => runtime.db.query('SELECT 1')),
        // The job connection and the rate limits' one: until both answer, the limits fail open.
        probe(() => Promise.all([pingEvery(runtime.redis), pingEvery(runtime.counters)])),
      ]);
      const healthy = database && redis;
      return reply.code(healthy ? 200 : 503).send({
        status: healthy ? 'healthy' : 'unhealthy',
        database: database ? 'connected' : 'disconnected',
        redis: redis ? 'connected' : 'disconnected',
        timestamp: runtime.clock.now().toISOString(),
      });
    },
  );

  app.get(
    '/api/v1/test/merchant',
    {
      schema: {
        tags: ['test'],
        summary: 'The seeded test merchant (test mode only)',
        response: { 200: TestMerchant, ...errors(404) },
      },
    },
    async () => {
      if (!runtime.config.TEST_MODE) throw new DomainError('NOT_FOUND_ERROR', 'Not found');
      const found = await runtime.db.query('SELECT 1 FROM merchants WHERE id = $1', [TEST_MERCHANT.id]);
      return {
        id: TEST_MERCHANT.id,
        email: TEST_MERCHANT.email,
        api_key: TEST_MERCHANT.api_key,
        seeded: found.rowCount === 1,
      };
    },
  );

  app.get(
    '/api/v1/test/jobs/status',
    {
      schema: {
        tags: ['test'],
        summary: 'Job counts over all queues and worker liveness (test mode only)',
        response: { 200: JobsStatus, ...errors(404, 503) },
      },
    },
    async () => {
      // Like every /api/v1/test/* helper: outside test mode it does not exist.
      if (!runtime.config.TEST_MODE) throw new DomainError('NOT_FOUND_ERROR', 'Not found');
      try {
        // Payment and refund jobs are in Redis; webhook deliveries are rows the dispatcher works through.
        const [queued, deliveries] = await withTimeout(
          Promise.all([
            jobsStatus(runtime.jobs, runtime.redis, runtime.config.QUEUE_PREFIX, Date.now()),
            deliveryCounts(runtime.db, runtime.clock.now()),
          ]),
          2000,
          'jobs status',
        );
        return {
          pending: queued.pending + deliveries.pending,
          processing: queued.processing + deliveries.processing,
          completed: queued.completed + deliveries.completed,
          failed: queued.failed + deliveries.failed,
          worker_status: queued.worker_status,
        };
      } catch (err) {
        runtime.log.warn({ err: (err as Error).message }, 'jobs status unavailable');
        throw new DomainError('SERVICE_UNAVAILABLE', 'Queue backend unavailable, please retry');
      }
    },
  );
};
