import type { FastifyPluginAsync } from 'fastify';
import type { MerchantApiContext } from '../context.js';
import { eventRoutes } from './events.js';
import { orderRoutes } from './orders.js';
import { paymentRoutes } from './payments.js';
import { refundRoutes } from './refunds.js';
import { requestLogRoutes } from './request-logs.js';
import { webhookEndpointRoutes } from './webhook-endpoints.js';
import { webhookRoutes } from './webhooks.js';

/**
 * Every route that acts for one merchant. The same set serves the public API and the dashboard's
 * pages; only the hook that says who the merchant is differs, so both always answer alike.
 */
export const merchantApi: FastifyPluginAsync<MerchantApiContext> = async (
  app,
  { runtime, identifyMerchant },
) => {
  app.addHook('onRequest', identifyMerchant);
  for (const routes of [
    orderRoutes,
    paymentRoutes,
    refundRoutes,
    webhookRoutes,
    eventRoutes,
    webhookEndpointRoutes,
    requestLogRoutes,
  ]) {
    await app.register(routes, { runtime });
  }
};
