import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pageOf } from '../../api/pagination.js';
import { idempotencyScope, sendAnswer } from '../../api/request-context.js';
import {
  IdParams,
  PaymentList,
  PaymentListQuery,
  RefundCreateBody,
  RefundCreated,
} from '../../api/schemas.js';
import { listMerchantPayments } from '../../services/payments.js';
import { createRefund } from '../../services/refunds.js';
import type { DashboardContext } from '../context.js';
import { paymentDetail } from '../payment-detail.js';

/**
 * Transactions, through the same services as the public API with the session's merchant: the same
 * validation, the same isolation (another merchant's payment is simply not found).
 */
export const paymentRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, { rt }) => {
  app.get(
    '/payments',
    { schema: { hide: true, querystring: PaymentListQuery, response: { 200: PaymentList } } },
    async (request) =>
      listMerchantPayments(rt, request.dashboardSession.merchant.id, {
        ...pageOf(request.query),
        status: request.query.status,
      }),
  );

  app.get('/payments/:id', { schema: { hide: true, params: IdParams } }, async (request) =>
    paymentDetail(rt, request.dashboardSession.merchant.id, request.params.id),
  );

  app.post(
    '/payments/:id/refunds',
    { schema: { hide: true, params: IdParams, body: RefundCreateBody, response: { 201: RefundCreated } } },
    async (request, reply) =>
      sendAnswer(
        reply,
        await createRefund(
          rt,
          request.dashboardSession.merchant.id,
          request.params.id,
          request.body,
          idempotencyScope(request),
        ),
      ),
  );
};
