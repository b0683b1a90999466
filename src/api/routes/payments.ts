import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { capturePayment, createPayment, getPayment, listMerchantPayments } from '../../services/payments.js';
import {
  CaptureBody,
  errors,
  IdempotentHeaders,
  IdParams,
  Payment,
  PaymentCaptured,
  PaymentCreateBody,
  PaymentCreated,
  PaymentList,
  PaymentListQuery,
  pageOf,
} from '../../shapes/index.js';
import type { RouteContext } from '../context.js';
import { idempotencyRequest, sendAnswer } from '../request-context.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const paymentRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { runtime }) => {
  app.post(
    '/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Create a payment (processed asynchronously)',
        headers: IdempotentHeaders,
        security,
        body: PaymentCreateBody,
        response: { 201: PaymentCreated, ...errors(400, 401, 404, 413, 422, 503) },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await createPayment(
          runtime,
          { merchantId: request.merchant.id },
          request.body,
          idempotencyRequest(request),
        ),
      ),
  );

  app.get(
    '/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'List payments, newest first',
        security,
        querystring: PaymentListQuery,
        response: { 200: PaymentList, ...errors(400, 401) },
      },
    },
    async (request) =>
      listMerchantPayments(runtime, request.merchant.id, {
        ...pageOf(request.query),
        status: request.query.status,
      }),
  );

  app.get(
    '/payments/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'Get a payment',
        security,
        params: IdParams,
        response: { 200: Payment, ...errors(401, 404) },
      },
    },
    async (request) => getPayment(runtime, request.merchant.id, request.params.id),
  );

  app.post(
    '/payments/:id/capture',
    {
      schema: {
        tags: ['payments'],
        summary: 'Capture a successful payment in full',
        headers: IdempotentHeaders,
        security,
        params: IdParams,
        body: CaptureBody,
        response: { 200: PaymentCaptured, ...errors(400, 401, 404, 422) },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await capturePayment(
          runtime,
          request.merchant.id,
          request.params.id,
          request.body.amount,
          idempotencyRequest(request),
        ),
      ),
  );
};
