import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createRefund, getRefund, listPaymentRefunds } from '../../services/refunds.js';
import {
  errors,
  IdempotentHeaders,
  IdParams,
  PageQuery,
  pageOf,
  Refund,
  RefundCreateBody,
  RefundCreated,
  RefundList,
} from '../../shapes/index.js';
import type { RouteContext } from '../context.js';
import { idempotencyRequest, sendAnswer } from '../request-context.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const refundRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  app.post(
    '/payments/:id/refunds',
    {
      schema: {
        tags: ['refunds'],
        summary: 'Refund a successful payment, fully or partly (processed asynchronously)',
        headers: IdempotentHeaders,
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
          runtime,
          request.merchant.id,
          request.params.id,
          request.body,
          idempotencyRequest(request),
        ),
      ),
  );

  app.get(
    '/payments/:id/refunds',
    {
      schema: {
        tags: ['refunds'],
        summary: 'Refunds of a payment, newest first',
        security,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: RefundList, ...errors(400, 401, 404) },
      },
    },
    async (request) =>
      listPaymentRefunds(runtime, request.merchant.id, request.params.id, pageOf(request.query)),
  );

  app.get(
    '/refunds/:id',
    {
      schema: {
        tags: ['refunds'],
        summary: 'Get a refund',
        security,
        params: IdParams,
        response: { 200: Refund, ...errors(401, 404) },
      },
    },
    async (request) => getRefund(runtime, request.merchant.id, request.params.id),
  );
};
