import type { FastifyInstance } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import { registry } from './registry.js';

const labelNames = ['method', 'route', 'status'] as const;

/** Requests by route template (never the raw URL, so ids cannot explode the label set) and status. */
export const httpRequests = new Counter({
  name: 'gateway_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code',
  labelNames,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'gateway_http_request_duration_seconds',
  help: 'Time from receiving a request to sending its response, by method, route template and status',
  labelNames,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Requests that matched no route share one label value. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts every answered request. One onResponse hook: a counter increment and a histogram
 * observation, after the response has been sent, so the request's own latency is not affected.
 */
export function observeHttpRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status: String(reply.statusCode),
    };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
}
