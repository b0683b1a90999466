import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { merchantCredentials, regenerateApiSecret } from '../../services/merchants.js';
import type { DashboardContext } from '../context.js';
import { paymentStats, paymentVolume, VOLUME_DAYS } from '../overview.js';
import { Credentials, IssuedCredentials, Stats, Volume, VolumeQuery } from '../schemas.js';

/**
 * The home page: API credentials (fetched, never stored by the page), regenerating the API secret,
 * stats and the chart's data.
 */
export const overviewRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, { runtime }) => {
  app.get('/credentials', { schema: { hide: true, response: { 200: Credentials } } }, async (request) =>
    merchantCredentials(runtime, request.dashboardSession.merchant.id),
  );

  // The new secret is in this answer only; the old one stops working at once.
  app.post(
    '/credentials/secret',
    { schema: { hide: true, response: { 200: IssuedCredentials } } },
    async (request) => regenerateApiSecret(runtime, request.dashboardSession.merchant.id),
  );

  app.get('/stats', { schema: { hide: true, response: { 200: Stats } } }, async (request) =>
    paymentStats(runtime, request.dashboardSession.merchant.id),
  );

  app.get(
    '/volume',
    { schema: { hide: true, querystring: VolumeQuery, response: { 200: Volume } } },
    async (request) =>
      paymentVolume(
        runtime,
        request.dashboardSession.merchant.id,
        request.query.days ?? VOLUME_DAYS.default,
        (request.query.currency ?? 'INR').toUpperCase(),
      ),
  );
};
