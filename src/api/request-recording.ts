import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Runtime } from '../runtime.js';
import { RequestLogRecorder } from '../services/request-logs.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The response body as sent, kept for the request log. */
    sentBody?: string;
  }
}

/** Reading the log is not logged: `gateway logs tail` polls it every second. */
const NOT_RECORDED = /^\/api\/v1\/request_logs(\/|$)/;

const isJson = (contentType: unknown) =>
  typeof contentType === 'string' && contentType.startsWith('application/json');

const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? request.url;

function recorded(request: FastifyRequest): boolean {
  const path = pathOf(request);
  return Boolean(request.merchant) && path.startsWith('/api/') && !NOT_RECORDED.test(path);
}

/**
 * The request log: every request an API key authenticated, recorded once its response has gone
 * (see RequestLogRecorder), redacted before it is written.
 */
export function recordRequests(app: FastifyInstance, runtime: Runtime): void {
  const recorder = new RequestLogRecorder(runtime);
  app.addHook('onSend', async (request, reply, payload) => {
    // Only JSON answers are kept (every API answer is one); anything else is nothing the log shows.
    if (recorded(request) && typeof payload === 'string' && isJson(reply.getHeader('content-type'))) {
      request.sentBody = payload;
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!recorded(request)) return;
    const key = request.headers['idempotency-key'];
    const durationMs = reply.elapsedTime;
    recorder.record({
      merchantId: request.merchant.id,
      requestId: String(request.id),
      method: request.method,
      path: pathOf(request),
      status: reply.statusCode,
      durationMs,
      idempotencyKey: typeof key === 'string' ? key : undefined,
      requestBody: request.body,
      responseBody: request.sentBody,
      at: new Date(runtime.clock.now().getTime() - Math.round(durationMs)),
    });
  });
  app.addHook('onClose', () => recorder.close());
}
