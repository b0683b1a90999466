import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createRefund, getRefund, listPaymentRefunds } from '../../services/refunds.js';
import type { ApiContext } from '../app.js';
import { pageOf } from '../pagination.js';
import { idempotencyScope, sendAnswer } from '../request-context.js';
import {
  errors,
  IdParams,
  PageQuery,
  Refund,
  RefundCreateBody,
  RefundCreated,
  RefundList,
} from '../schemas.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const refundRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { rt, authenticate }) => {
  app.post(
    '/api/v1/payments/:id/refunds',
    {
      onRequest: authenticate,
      schema: {
        tags: ['refunds'],
        summary: 'Refund a successful payment, fully or partly (processed asynchronously)',
        security,
        params: IdParams,
        body: RefundCreateBody,
        response: { 201: RefundCreated, ...errors(400, 401, 404, 413, 422, 503) },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await createRefund(
          rt,
          request.merchant.id,
          request.params.id,
          request.body,
          idempotencyScope(request),
        ),
      ),
  );

  app.get(
    '/api/v1/payments/:id/refunds',
    {
      onRequest: authenticate,
      schema: {
        tags: ['refunds'],
        summary: 'Refunds of a payment, newest first',
        security,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: RefundList, ...errors(400, 401, 404) },
      },
    },
    async (request) => listPaymentRefunds(rt, request.merchant.id, request.params.id, pageOf(request.query)),
  );

  app.get(
    '/api/v1/refunds/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['refunds'],
        summary: 'Get a refund',
        security,
        params: IdParams,
        response: { 200: Refund, ...errors(401, 404) },
      },
    },
    async (request) => getRefund(rt, request.merchant.id, request.params.id),
  );
};
