import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createOrder, getOrder } from '../../services/orders.js';
import {
  errors,
  IdempotentHeaders,
  IdParams,
  Order,
  OrderCreateBody,
  OrderCreated,
} from '../../shapes/index.js';
import type { RouteContext } from '../context.js';
import { idempotencyRequest, sendAnswer } from '../request-context.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const orderRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  app.post(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Create an order',
        headers: IdempotentHeaders,
        security,
        body: OrderCreateBody,
        response: { 201: OrderCreated, ...errors(400, 401, 413, 422, 503) },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await createOrder(runtime, request.merchant.id, request.body, idempotencyRequest(request)),
      ),
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'Get an order',
        security,
        params: IdParams,
        response: { 200: Order, ...errors(401, 404) },
      },
    },
    async (request) => getOrder(runtime, request.merchant.id, request.params.id),
  );
};
