import { fastifyCookie } from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../api/app.js';
import { DomainError } from '../domain/errors.js';
import { type DashboardContext, sendForbidden } from './context.js';
import { LoginThrottle } from './login-throttle.js';
import { dashboardPages } from './pages.js';
import { carriesCsrfToken, changesState, comesFromOwnOrigin } from './request-guards.js';
import { authRoutes, sessionRoutes } from './routes/auth.js';
import { overviewRoutes } from './routes/overview.js';
import { paymentRoutes } from './routes/payments.js';
import { webhookRoutes } from './routes/webhooks.js';
import { DASHBOARD_API_HEADERS } from './security-headers.js';
import { sessionKeyLoader } from './session-key.js';
import { SessionManager } from './sessions.js';

/**
 * The merchant dashboard, served by the API process: its pages (/login, /signup, /dashboard/…) and
 * the JSON endpoints they call under /dashboard/api, authenticated by session cookie and guarded
 * against cross-site request forgery. The endpoints call the same services as the public API.
 */
export const dashboardRoutes: FastifyPluginAsync<ApiContext> = async (app, { rt }) => {
  const context: DashboardContext = {
    rt,
    sessions: new SessionManager(rt, sessionKeyLoader(rt)),
    loginThrottle: new LoginThrottle(),
  };
  app.decorateRequest('dashboardSession', null as never);
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  await app.register(dashboardPages, context);
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        reply.headers(DASHBOARD_API_HEADERS);
        if (changesState(request.method) && !comesFromOwnOrigin(request, rt.config.API_PUBLIC_URL)) {
          return sendForbidden(reply, 'Cross-origin request refused');
        }
      });
      await api.register(authRoutes, context);
      await api.register(async (signedIn) => {
        signedIn.addHook('onRequest', requireSession(context));
        await signedIn.register(sessionRoutes, context);
        await signedIn.register(overviewRoutes, context);
        await signedIn.register(paymentRoutes, context);
        await signedIn.register(webhookRoutes, context);
      });
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
  };
}
