import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../shapes/index.js';
import type { DashboardContext } from '../context.js';
import { paymentDetail } from '../payment-detail.js';

/** A payment with its refunds and every delivery of theirs: what the payment page shows at once. */
export const paymentDetailRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, { runtime }) => {
  app.get('/payments/:id/detail', { schema: { hide: true, params: IdParams } }, async (request) =>
    paymentDetail(runtime, request.dashboardSession.merchant.id, request.params.id),
  );
};
