import { fastifyCookie } from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../api/context.js';
import { merchantApi } from '../api/routes/merchant-api.js';
import { DomainError } from '../domain/errors.js';
import { type DashboardContext, sendForbidden } from './context.js';
import { LoginThrottle } from './login-throttle.js';
import { dashboardPages } from './pages.js';
import { carriesCsrfToken, changesState, comesFromOwnOrigin } from './request-guards.js';
import { authRoutes, sessionRoutes } from './routes/auth.js';
import { overviewRoutes } from './routes/overview.js';
import { paymentDetailRoutes } from './routes/payment-detail.js';
import { paymentsExportRoutes } from './routes/payments-export.js';
import { DASHBOARD_API_HEADERS } from './security-headers.js';
import { sessionKeyLoader } from './session-key.js';
import { SessionManager } from './sessions.js';

/**
 * The merchant dashboard, served by the API process: its pages (/login, /signup, /dashboard/…) and
 * the JSON endpoints they call under /dashboard/api, authenticated by session cookie and guarded
 * against cross-site request forgery: the public API's merchant routes, mounted again, and the few
 * views only the pages need (session, overview, a payment's full detail, the payments CSV export).
 */
export const dashboardRoutes: FastifyPluginAsync<RouteContext> = async (app, { runtime }) => {
  const context: DashboardContext = {
    runtime,
    sessions: new SessionManager(runtime, sessionKeyLoader(runtime)),
    loginThrottle: new LoginThrottle(runtime),
  };
  app.decorateRequest('dashboardSession', null as never);
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  await app.register(dashboardPages, context);
  await app.register(
    async (api) => {
      await api.register(helmet, DASHBOARD_API_HEADERS);
      api.addHook('onRequest', async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        if (changesState(request.method) && !comesFromOwnOrigin(request, runtime.config.API_PUBLIC_URL)) {
          return sendForbidden(reply, 'Cross-origin request refused');
        }
      });
      await api.register(authRoutes, context);
      const identifyMerchant = requireSession(context);
      await api.register(async (signedIn) => {
        signedIn.addHook('onRequest', identifyMerchant);
        await signedIn.register(sessionRoutes, context);
        await signedIn.register(overviewRoutes, context);
        await signedIn.register(paymentDetailRoutes, context);
        await signedIn.register(paymentsExportRoutes, context);
      });
      // The public API's merchant routes, as they are, for the signed-in merchant.
      await api.register(merchantApi, { runtime, identifyMerchant });
    },
    { prefix: '/dashboard/api' },
  );
};

/** A live session, and for state-changing requests its CSRF token in X-CSRF-Token. */
function requireSession({ sessions }: DashboardContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = await sessions.resolve(request);
    if (!session) throw new DomainError('AUTHENTICATION_ERROR', 'Sign in to continue');
    if (changesState(request.method) && !carriesCsrfToken(request, session.csrfToken)) {
      return sendForbidden(reply, 'Missing or invalid CSRF token; reload the page');
    }
    request.dashboardSession = session;
    request.merchant = { id: session.merchant.id, name: session.merchant.name };
  };
}
