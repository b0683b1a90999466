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
import { ClientRateLimits } from './rate-limit.js';
import { requestId } from './request-context.js';
import { RequestLogController } from './request-log.js';
import { healthRoutes } from './routes/health.js';
import { orderRoutes } from './routes/orders.js';
import { paymentRoutes } from './routes/payments.js';
import { refundRoutes } from './routes/refunds.js';
import { webhookRoutes } from './routes/webhooks.js';
import { validatorCompiler } from './validator.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface ApiContext {
  rt: Runtime;
  authenticate: ReturnType<typeof apiKeyAuth>;
  authenticator: Authenticator;
}

/** The HTTP API: thin routes over the services, one error format, an OpenAPI document of itself. */
export async function buildApi(rt: Runtime): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: rt.log as FastifyBaseLogger,
    logController: new RequestLogController(),
    bodyLimit: BODY_LIMIT_BYTES,
    // Behind a load balancer, request.ip (and so every per-client limit) must be the real client.
    trustProxy: (_address: string, hop: number) => hop < rt.config.TRUST_PROXY,
    genReqId: requestId,
    requestIdHeader: false,
    // While draining (SIGTERM), a request that still arrives on an open keep-alive connection is
    // served with `Connection: close`, not refused with a 503 body outside the error contract.
    return503OnClosing: false,
    // Bad URLs and over-long path ids are malformed ids: answered like unknown ones, in our format.
    frameworkErrors: (err, request, reply) => handleError(err, request, reply),
    clientErrorHandler: handleClientError,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app);
  observeHttpRequests(app);
  acceptEmptyJsonBodies(app);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Request-Id', request.id);
    return payload;
  });

  await app.register(swagger, {
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
    methods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'X-Api-Key', 'X-Api-Secret', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed', 'Retry-After'],
    maxAge: 600,
  });

  const authenticator = new Authenticator(rt.db);
  const limits = new ClientRateLimits(rt.config);
  limits.limitPublicEndpoints(app);
  const authenticate = limits.guardAuthentication(apiKeyAuth(authenticator, limits.authenticationFailed));
  const context: ApiContext = { rt, authenticator, authenticate };
  app.decorateRequest('merchant', null as never);
  await app.register(healthRoutes, context);
  await app.register(orderRoutes, context);
  await app.register(paymentRoutes, context);
  await app.register(refundRoutes, context);
  await app.register(webhookRoutes, context);
  await app.register(dashboardRoutes, context);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(metricsRoute, { rt });
  await app.register(adminQueues, { rt, prefix: ADMIN_QUEUES_PATH });
  return app;
}

/** POSTs such as "regenerate secret" carry no body; an empty JSON body is treated as none. */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, String(body), done);
  });
}
