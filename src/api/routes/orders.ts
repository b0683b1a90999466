import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createOrder, getOrder, getPublicOrder } from '../../services/orders.js';
import type { ApiContext } from '../app.js';
import { idempotencyScope, sendAnswer } from '../request-context.js';
import { errors, IdParams, Order, OrderCreateBody, OrderCreated, OrderPublic } from '../schemas.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const orderRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { rt, authenticate }) => {
  app.post(
    '/api/v1/orders',
    {
      onRequest: authenticate,
      schema: {
        tags: ['orders'],
        summary: 'Create an order',
        security,
        body: OrderCreateBody,
        response: { 201: OrderCreated, ...errors(400, 401, 413, 422, 503) },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await createOrder(rt, request.merchant.id, request.body, {
          merchantId: request.merchant.id,
          ...idempotencyScope(request),
        }),
      ),
  );

  app.get(
    '/api/v1/orders/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['orders'],
        summary: 'Get an order',
        security,
        params: IdParams,
        response: { 200: Order, ...errors(401, 404) },
      },
    },
    async (request) => getOrder(rt, request.merchant.id, request.params.id),
  );

  app.get(
    '/api/v1/orders/:id/public',
    {
      schema: {
        tags: ['orders'],
        summary: 'Public order summary for the checkout page',
        params: IdParams,
        response: { 200: OrderPublic, ...errors(404) },
      },
    },
    async (request) => getPublicOrder(rt, request.params.id),
  );
};
