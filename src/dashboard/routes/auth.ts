import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { refuseWhileBlocked } from '../../api/rate-limit.js';
import { DomainError } from '../../domain/errors.js';
import type { Runtime } from '../../runtime.js';
import { type DashboardMerchant, signUpMerchant, verifyMerchantLogin } from '../../services/merchants.js';
import type { DashboardContext } from '../context.js';
import { SignUpThrottle } from '../login-throttle.js';
import { LoginBody, SessionInfo, SignUpBody, SignUpInfo } from '../schemas.js';

/** What a page needs to know about its session (the CSRF token included: it is not a secret from the page). */
function sessionInfo(runtime: Runtime, merchant: DashboardMerchant, csrfToken: string) {
  return {
    merchant,
    csrf_token: csrfToken,
    test_mode: runtime.config.TEST_MODE,
    api_url: runtime.config.API_PUBLIC_URL,
    checkout_url: runtime.config.CHECKOUT_PUBLIC_URL,
  };
}

/** Sign-in and sign-up: the two dashboard endpoints that need no session. */
export const authRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (
  app,
  { runtime, sessions, loginThrottle },
) => {
  const signUps = new SignUpThrottle(runtime);

  app.post(
    '/login',
    { schema: { hide: true, body: LoginBody, response: { 200: SessionInfo } } },
    async (request, reply) => {
      const { email, password } = request.body;
      refuseWhileBlocked(
        reply,
        await loginThrottle.retryAfterMs(request.ip, email),
        'Too many failed sign-ins. Try again later.',
      );
      const merchant = await verifyMerchantLogin(runtime, email, password);
      if (!merchant) {
        await loginThrottle.fail(request.ip, email);
        // One message for an unknown email and a wrong password: nothing tells which emails exist.
        throw new DomainError('AUTHENTICATION_ERROR', 'Invalid email or password');
      }
      await loginThrottle.succeed(request.ip, email);
      const session = await sessions.start(request, reply, merchant);
      return sessionInfo(runtime, merchant, session.csrfToken);
    },
  );

  app.post(
    '/signup',
    { schema: { hide: true, body: SignUpBody, response: { 201: SignUpInfo } } },
    async (request, reply) => {
      refuseWhileBlocked(
        reply,
        await signUps.attempt(request.ip),
        'Too many sign-ups from this address. Try again later.',
      );
      const { merchant, credentials } = await signUpMerchant(runtime, request.body);
      const session = await sessions.start(request, reply, merchant);
      // The API secret is in this answer only: it is stored as a hash, and the page shows it once.
      return reply.code(201).send({ ...sessionInfo(runtime, merchant, session.csrfToken), credentials });
    },
  );
};

/** The signed-in merchant's session, and signing out. */
export const sessionRoutes: FastifyPluginAsyncTypebox<DashboardContext> = async (
  app,
  { runtime, sessions },
) => {
  app.get('/session', { schema: { hide: true, response: { 200: SessionInfo } } }, async (request) =>
    sessionInfo(runtime, request.dashboardSession.merchant, request.dashboardSession.csrfToken),
  );

  app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
    await sessions.end(request, reply);
    return reply.code(204).send();
  });
};
