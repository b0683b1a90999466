import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  capturePayment,
  createPayment,
  getPayment,
  getPublicPayment,
  listMerchantPayments,
} from '../../services/payments.js';
import type { ApiContext } from '../app.js';
import { pageOf } from '../pagination.js';
import { idempotencyScope, sendAnswer } from '../request-context.js';
import {
  CaptureBody,
  errors,
  IdParams,
  Payment,
  PaymentCaptured,
  PaymentCreateBody,
  PaymentCreated,
  PaymentList,
  PaymentListQuery,
  PaymentPublic,
} from '../schemas.js';

const security = [{ apiKey: [], apiSecret: [] }];

export const paymentRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { rt, authenticate }) => {
  app.post(
    '/api/v1/payments',
    {
      onRequest: authenticate,
      schema: {
        tags: ['payments'],
        summary: 'Create a payment (processed asynchronously)',
        security,
        body: PaymentCreateBody,
        response: { 201: PaymentCreated, ...errors(400, 401, 404, 413, 422, 503) },
      },
    },
    async (request, reply) =>
      sendAnswer(
        reply,
        await createPayment(rt, { merchantId: request.merchant.id }, request.body, idempotencyScope(request)),
      ),
  );

  app.post(
    '/api/v1/payments/public',
    {
      schema: {
        tags: ['payments'],
        summary: 'Create a payment from the checkout page (no secret; the order names the merchant)',
        body: PaymentCreateBody,
        response: { 201: PaymentCreated, ...errors(400, 404, 413, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const apiKey = request.headers['x-api-key'];
      const payer = { publicApiKey: typeof apiKey === 'string' ? apiKey : undefined };
      return sendAnswer(reply, await createPayment(rt, payer, request.body, idempotencyScope(request)));
    },
  );

  app.get(
    '/api/v1/payments',
    {
      onRequest: authenticate,
      schema: {
        tags: ['payments'],
        summary: 'List payments, newest first',
        security,
        querystring: PaymentListQuery,
        response: { 200: PaymentList, ...errors(400, 401) },
      },
    },
    async (request) =>
      listMerchantPayments(rt, request.merchant.id, {
        ...pageOf(request.query),
        status: request.query.status,
      }),
  );

  app.get(
    '/api/v1/payments/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['payments'],
        summary: 'Get a payment',
        security,
        params: IdParams,
        response: { 200: Payment, ...errors(401, 404) },
      },
    },
    async (request) => getPayment(rt, request.merchant.id, request.params.id),
  );

  app.get(
    '/api/v1/payments/:id/public',
    {
      schema: {
        tags: ['payments'],
        summary: 'Public payment status for the checkout page',
        params: IdParams,
        response: { 200: PaymentPublic, ...errors(404) },
      },
    },
    async (request) => getPublicPayment(rt, request.params.id),
  );

  app.post(
    '/api/v1/payments/:id/capture',
    {
      onRequest: authenticate,
      schema: {
        tags: ['payments'],
        summary: 'Capture a successful payment in full',
        security,
        params: IdParams,
        body: CaptureBody,
        response: { 200: PaymentCaptured, ...errors(400, 401, 404) },
      },
    },
    async (request) => capturePayment(rt, request.merchant.id, request.params.id, request.body.amount),
  );
};
