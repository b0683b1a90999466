import { Counter, Histogram } from 'prom-client';
import { registry } from './registry.js';

/**
 * outcome: `success` (2xx), `http_error` (any other status, redirects included), `timeout`, or
 * `network_error` (refused, reset, DNS, blocked by the SSRF guard).
 */
export type DeliveryOutcome = 'success' | 'http_error' | 'timeout' | 'network_error';

export const webhookAttempts = new Counter({
  name: 'gateway_webhook_delivery_attempts_total',
  help: 'Webhook delivery attempts (HTTP POSTs to merchant endpoints), by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const webhookDuration = new Histogram({
  name: 'gateway_webhook_delivery_duration_seconds',
  help: 'Time a webhook delivery attempt took, from connect to the end of the (truncated) answer',
  labelNames: ['outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

/**
 * Claims of due deliveries, by whether they leased any (`leased`) or found none (`empty`): many
 * empty claims mean the dispatcher looks more often than work arrives.
 */
export const claimsMade = new Counter({
  name: 'gateway_webhook_claims_total',
  help: 'Claims of due webhook deliveries made by this process, by whether they leased any',
  labelNames: ['result'] as const,
  registers: [registry],
});

export function observeDelivery(outcome: DeliveryOutcome, durationMs: number): void {
  webhookAttempts.inc({ outcome });
  webhookDuration.observe({ outcome }, durationMs / 1000);
}
