import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import {
  type DeliverySummary,
  deliveriesOfPayment,
  findDelivery,
  insertStandaloneEvent,
  listDeliveries,
  resetForRetry,
} from '../db/deliveries.js';
import { findMerchant, updateWebhookSecret } from '../db/merchants.js';
import { findDefaultEndpoint, rotateSecret, setDefaultEndpointUrl } from '../db/webhook-endpoints.js';
import { badRequest, notFound } from '../domain/errors.js';
import { testEventBody } from '../domain/events.js';
import { isUuid, newId } from '../domain/ids.js';
import type { WebhookStatus } from '../domain/records.js';
import { newWebhookSecret } from '../domain/signing.js';
import type { Runtime } from '../runtime.js';
import type { WebhookDetail, WebhookSummary } from '../shapes/index.js';
import { assertWebhookUrl } from '../webhooks/ssrf.js';
import { type Answer, createOnce, type IdempotencyRequest } from './idempotency.js';

/**
 * The webhook calls every merchant started with: one URL (the default endpoint), its secret, the
 * delivery logs, a manual retry and a test event.
 */
const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function summaryView(log: DeliverySummary): Static<typeof WebhookSummary> {
  return {
    id: log.id,
    event: log.event,
    status: log.status,
    attempts: log.attempts,
    created_at: log.created_at.toISOString(),
    last_attempt_at: iso(log.last_attempt_at),
    next_retry_at: log.status === 'pending' ? iso(log.next_retry_at) : null,
    response_code: log.response_code,
    endpoint_id: log.endpoint_id,
    event_id: log.event_id,
  };
}

export async function listWebhooks(
  runtime: Runtime,
  merchantId: string,
  query: {
    limit: number;
    offset: number;
    status?: WebhookStatus;
    event?: string;
    resource_id?: string;
    endpoint_id?: string;
    event_id?: string;
  },
) {
  const { rows, total } = await listDeliveries(
    runtime.db,
    merchantId,
    {
      status: query.status,
      event: query.event,
      resourceId: query.resource_id,
      endpointId: query.endpoint_id,
      eventId: query.event_id,
    },
    query,
  );
  return { data: rows.map(summaryView), total, limit: query.limit, offset: query.offset };
}

/** The deliveries of a payment's events and of its refunds' events, newest first. */
export async function paymentDeliveries(
  runtime: Runtime,
  merchantId: string,
  paymentId: string,
  limit: number,
) {
  return (await deliveriesOfPayment(runtime.db, paymentId, merchantId, limit)).map(summaryView);
}

export async function getWebhook(
  runtime: Runtime,
  merchantId: string,
  id: string,
): Promise<Static<typeof WebhookDetail>> {
  const log = isUuid(id) ? await findDelivery(runtime.db, id, merchantId) : null;
  if (!log) throw notFound('Webhook');
  return {
    ...summaryView(log),
    resource_id: log.resource_id,
    payload: JSON.parse(log.payload) as Record<string, unknown>,
    response_body: log.response_body,
    attempt_history: log.history.map((attempt) => ({
      attempt: attempt.attempt,
      round: attempt.generation + 1,
      url: attempt.url,
      response_code: attempt.response_code,
      response_body: attempt.response_body,
      request_headers: attempt.request_headers,
      error: attempt.error,
      duration_ms: attempt.duration_ms,
      attempted_at: attempt.attempted_at.toISOString(),
    })),
  };
}

export async function retryWebhook(runtime: Runtime, merchantId: string, id: string) {
  const reset = isUuid(id) && (await resetForRetry(runtime.db, id, merchantId, runtime.clock.now()));
  if (!reset) throw notFound('Webhook');
  return { id, status: 'pending' as const, message: 'Webhook retry scheduled' };
}

export async function getWebhookConfig(runtime: Runtime, merchantId: string) {
  const merchant = await findMerchant(runtime.db, merchantId);
  if (!merchant) throw notFound('Merchant');
  return { webhook_url: merchant.webhook_url, webhook_secret: merchant.webhook_secret };
}

const DEFAULT_ENDPOINT_TAKEN = 'webhook_endpoints_one_default';

/** Sets (or, with null, removes) the URL of the merchant's default endpoint. */
export async function setWebhookUrl(runtime: Runtime, merchantId: string, url: string | null) {
  const trimmed = url?.trim() ?? '';
  const normalised = trimmed === '' ? null : trimmed;
  if (normalised !== null) assertWebhookUrl(normalised, runtime.config.WEBHOOK_ALLOW_PRIVATE_URLS);
  // Two concurrent first settings both create a default endpoint; the second then simply points it.
  for (let tries = 0; ; tries++) {
    try {
      const config = await setDefaultEndpointUrl(
        runtime.db,
        merchantId,
        normalised,
        newId('endpoint'),
        runtime.clock.now(),
      );
      if (!config) throw notFound('Merchant');
      return config;
    } catch (err) {
      if ((err as { constraint?: string }).constraint !== DEFAULT_ENDPOINT_TAKEN || tries > 0) throw err;
    }
  }
}

/** A new secret for the default endpoint, effective at once (rotate an endpoint to keep the old one a while). */
export async function regenerateWebhookSecret(runtime: Runtime, merchantId: string) {
  const secret = newWebhookSecret();
  const at = runtime.clock.now();
  const endpoint = await findDefaultEndpoint(runtime.db, merchantId);
  if (endpoint) await rotateSecret(runtime.db, endpoint.id, merchantId, secret, at, at);
  else await updateWebhookSecret(runtime.db, merchantId, secret);
  return { webhook_secret: secret };
}

/** Records a webhook.test event and delivers it to the default endpoint. */
export async function sendTestWebhook(
  runtime: Runtime,
  merchantId: string,
  idempotency: Omit<IdempotencyRequest, 'merchantId'>,
  endpointId: string | null = null,
): Promise<Answer> {
  return createOnce(runtime, { ...idempotency, merchantId }, async (claimOf) => {
    const id = randomUUID();
    const now = runtime.clock.now();
    const body = JSON.stringify({ id });
    const inserted = await insertStandaloneEvent(runtime.db, {
      deliveryId: id,
      eventId: newId('event'),
      merchantId,
      endpointId,
      type: 'webhook.test',
      payload: testEventBody(merchantId, now),
      now,
      claim: claimOf?.(202, body),
    });
    if (!inserted) {
      throw endpointId
        ? notFound('Webhook endpoint')
        : badRequest('Configure a webhook URL before sending a test event', 'webhook_url');
    }
    return { status: 202, body };
  });
}
