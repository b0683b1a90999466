import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ADMIN_QUEUES_PATH, adminQueues } from '../admin/queues.js';
import { dashboardRoutes } from '../dashboard/plugin.js';
import { observeHttpRequests } from '../metrics/http.js';
import { metricsRoute } from '../metrics/route.js';
import type { Runtime } from '../runtime.js';
import { Authenticator } from '../services/authenticator.js';
import { apiKeyAuth } from './auth.js';
import { handleClientError, handleError, registerErrorHandling } from './errors.js';
import { registerJsonBodyParser } from './json-body.js';
import { ClientRateLimits } from './rate-limit.js';
import { requestId } from './request-context.js';
import { RequestLogController } from './request-log.js';
import { recordRequests } from './request-recording.js';
import { checkoutRoutes } from './routes/checkout.js';
import { healthRoutes } from './routes/health.js';
import { merchantApi } from './routes/merchant-api.js';
import { validatorCompiler } from './validator.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

/** The HTTP API: thin routes over the services, one error format, an OpenAPI document of itself. */
export async function buildApi(runtime: Runtime): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: runtime.log as FastifyBaseLogger,
    logController: new RequestLogController(),
    bodyLimit: BODY_LIMIT_BYTES,
    // Behind a load balancer, request.ip (and so every per-client limit) must be the real client.
    trustProxy: (_address: string, hop: number) => hop < runtime.config.TRUST_PROXY,
    genReqId: requestId,
    requestIdHeader: false,
    // While draining (SIGTERM), a request that still arrives on an open keep-alive connection is
    // served with `Connection: close`, not refused with a 503 body outside the documented error format.
    return503OnClosing: false,
    // Bad URLs and over-long path ids are malformed ids: answered like unknown ones, in our format.
    frameworkErrors: (err, request, reply) => handleError(err, request, reply),
    clientErrorHandler: handleClientError,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app);
  observeHttpRequests(app);
  registerJsonBodyParser(app);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Request-Id', request.id);
    return payload;
  });

  await app.register(swagger, {
    // The dashboard mounts the merchant routes a second time; the document describes /api/v1 only.
    transform: ({ schema, url }) => ({
      schema: url.startsWith('/dashboard/') ? { ...schema, hide: true } : schema,
      url,
    }),
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Payment Gateway API',
        version: '1.0.0',
        description: 'Orders, asynchronous payments and refunds, and signed webhooks. Amounts are in paise.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
          apiSecret: { type: 'apiKey', in: 'header', name: 'X-Api-Secret' },
        },
      },
    },
  });
  // Public endpoints are called from the hosted checkout page on another origin.
  await app.register(cors, {
    origin: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'X-Api-Key', 'X-Api-Secret', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed', 'Retry-After'],
    maxAge: 600,
  });

  const authenticator = new Authenticator(runtime.db, runtime.config.TEST_MODE);
  const limits = new ClientRateLimits(runtime);
  limits.limitPublicEndpoints(app);
  const identifyMerchant = limits.guardAuthentication(apiKeyAuth(authenticator, limits.authenticationFailed));
  app.decorateRequest('merchant', null as never);
  if (runtime.config.REQUEST_LOG) recordRequests(app, runtime);
  await app.register(healthRoutes, { runtime });
  await app.register(checkoutRoutes, { runtime, prefix: '/api/v1' });
  await app.register(merchantApi, { runtime, identifyMerchant, prefix: '/api/v1' });
  await app.register(dashboardRoutes, { runtime });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(metricsRoute, { runtime });
  await app.register(adminQueues, { runtime, prefix: ADMIN_QUEUES_PATH });
  return app;
}
