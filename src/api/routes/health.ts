import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TEST_MERCHANT } from '../../db/seed.js';
import { DomainError } from '../../domain/errors.js';
import { jobsStatus } from '../../queue/stats.js';
import { withTimeout } from '../../timeout.js';
import type { ApiContext } from '../app.js';
import { errors, Health, JobsStatus, TestMerchant } from '../schemas.js';

const PROBE_TIMEOUT_MS = 1000;

async function probe(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await withTimeout(check(), PROBE_TIMEOUT_MS, 'health probe');
    return true;
  } catch {
    return false;
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { rt }) => {
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
        probe(() => rt.db.query('SELECT 1')),
        probe(() => rt.redis.ping()),
      ]);
      const healthy = database && redis;
      return reply.code(healthy ? 200 : 503).send({
        status: healthy ? 'healthy' : 'unhealthy',
        database: database ? 'connected' : 'disconnected',
        redis: redis ? 'connected' : 'disconnected',
        timestamp: rt.clock.now().toISOString(),
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
      if (!rt.config.TEST_MODE) throw new DomainError('NOT_FOUND_ERROR', 'Not found');
      const found = await rt.db.query('SELECT 1 FROM merchants WHERE id = $1', [TEST_MERCHANT.id]);
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
        summary: 'Job counts over all queues and worker liveness',
        response: { 200: JobsStatus, ...errors(503) },
      },
    },
    async () => {
      try {
        return await withTimeout(
          jobsStatus(rt.jobs, rt.redis, rt.config.QUEUE_PREFIX, Date.now()),
          2000,
          'jobs status',
        );
      } catch (err) {
        rt.log.warn({ err: (err as Error).message }, 'jobs status unavailable');
        throw new DomainError('SERVICE_UNAVAILABLE', 'Queue backend unavailable, please retry');
      }
    },
  );
};
