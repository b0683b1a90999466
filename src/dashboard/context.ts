import type { FastifyReply } from 'fastify';
import type { Runtime } from '../runtime.js';
import type { LoginThrottle } from './login-throttle.js';
import type { DashboardSession, SessionManager } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every dashboard endpoint that needs a signed-in merchant. */
    dashboardSession: DashboardSession;
  }
}

/** What the dashboard's routes share. */
export interface DashboardContext {
  runtime: Runtime;
  sessions: SessionManager;
  loginThrottle: LoginThrottle;
}

/** The API's error format, for the dashboard's one status outside its table (403). */
export function sendForbidden(reply: FastifyReply, description: string): FastifyReply {
  return reply
    .code(403)
    .type('application/json; charset=utf-8')
    .send(
      JSON.stringify({ error: { code: 'FORBIDDEN', description, request_id: String(reply.request.id) } }),
    );
}
