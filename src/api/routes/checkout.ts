import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getPublicOrder } from '../../services/orders.js';
import { createPayment, getPublicPayment } from '../../services/payments.js';
import {
  errors,
  IdempotentHeaders,
  IdParams,
  OrderPublic,
  PaymentCreateBody,
  PaymentCreated,
  PaymentPublic,
} from '../../shapes/index.js';
import type { RouteContext } from '../context.js';
import { idempotencyRequest, sendAnswer } from '../request-context.js';

/**
 * What the hosted checkout page calls without a secret: the order names the merchant. Mounted only
 * under /api/v1; the merchant's own routes are in merchant-api.ts.
 */
export const checkoutRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  app.get(
    '/orders/:id/public',
    {
      schema: {
        tags: ['orders'],
        summary: 'Public order summary for the checkout page',
        params: IdParams,
        response: { 200: OrderPublic, ...errors(404) },
      },
    },
    async (request) => getPublicOrder(runtime, request.params.id),
  );

  app.post(
    '/payments/public',
    {
      schema: {
        tags: ['payments'],
        summary: 'Create a payment from the checkout page (no secret; the order names the merchant)',
        headers: IdempotentHeaders,
        body: PaymentCreateBody,
        response: { 201: PaymentCreated, ...errors(400, 404, 413, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const apiKey = request.headers['x-api-key'];
      const payer = { publicApiKey: typeof apiKey === 'string' ? apiKey : undefined };
      return sendAnswer(
        reply,
        await createPayment(runtime, payer, request.body, idempotencyRequest(request, { anonymous: true })),
      );
    },
  );

  app.get(
    '/payments/:id/public',
    {
      schema: {
        tags: ['payments'],
        summary: 'Public payment status for the checkout page',
        params: IdParams,
        response: { 200: PaymentPublic, ...errors(404) },
      },
    },
    async (request) => getPublicPayment(runtime, request.params.id),
  );
};
