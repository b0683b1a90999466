import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parsePaymentFilter, paymentsCsv } from '../../services/payment-search.js';
import type { DashboardContext } from '../context.js';
import { PaymentExportQuery } from '../schemas.js';

/**
 * The transactions page's "Export CSV": every payment its filter finds (not only the page shown),
 * streamed a batch at a time, for the signed-in merchant only.
 */
export const paymentsExportRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (app, { runtime }) => {
  app.get(
    '/payments/export.csv',
    { schema: { hide: true, querystring: PaymentExportQuery } },
    async (request, reply) => {
      const { search } = parsePaymentFilter(request.query);
      const lines = paymentsCsv(runtime, request.dashboardSession.merchant.id, search);
      const first = await lines.next();
      const day = runtime.clock.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="payments-${day}.csv"`)
        .send(
          Readable.from(
            (async function* () {
              if (!first.done) yield first.value;
              yield* lines;
            })(),
          ),
        );
    },
  );
};
