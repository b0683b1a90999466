import { randomUUID } from 'node:crypto';
import { findMerchant, updateWebhookSecret, updateWebhookUrl } from '../db/merchants.js';
import {
  findWebhookLog,
  insertStandaloneEvent,
  listWebhookLogs,
  resetForRetry,
  type WebhookSummary,
} from '../db/webhook-logs.js';
import { badRequest, notFound } from '../domain/errors.js';
import { testEventBody } from '../domain/events.js';
import { isUuid } from '../domain/ids.js';
import type { WebhookStatus } from '../domain/records.js';
import { newWebhookSecret } from '../domain/signing.js';
import type { Runtime } from '../runtime.js';
import { assertWebhookUrl } from '../webhooks/ssrf.js';
import { enqueueFirstDeliveries } from './events.js';

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function summaryView(log: WebhookSummary) {
  return {
    id: log.id,
    event: log.event,
    status: log.status,
    attempts: log.attempts,
    created_at: log.created_at.toISOString(),
    last_attempt_at: iso(log.last_attempt_at),
    next_retry_at: log.status === 'pending' ? iso(log.next_retry_at) : null,
    response_code: log.response_code,
  };
}

export async function listWebhooks(
  rt: Runtime,
  merchantId: string,
  query: { limit: number; offset: number; status?: WebhookStatus; event?: string; resource_id?: string },
) {
  const { rows, total } = await listWebhookLogs(
    rt.db,
    merchantId,
    { status: query.status, event: query.event, resourceId: query.resource_id },
    query,
  );
  return { data: rows.map(summaryView), total, limit: query.limit, offset: query.offset };
}

export async function getWebhook(rt: Runtime, merchantId: string, id: string) {
  const log = isUuid(id) ? await findWebhookLog(rt.db, id, merchantId) : null;
  if (!log) throw notFound('Webhook');
  return {
    ...summaryView(log),
    resource_id: log.resource_id,
    payload: JSON.parse(log.payload) as object,
    response_body: log.response_body,
    attempt_history: log.history.map((attempt) => ({
      attempt: attempt.attempt,
      round: attempt.generation + 1,
      url: attempt.url,
      response_code: attempt.response_code,
      response_body: attempt.response_body,
      error: attempt.error,
      duration_ms: attempt.duration_ms,
      attempted_at: attempt.attempted_at.toISOString(),
    })),
  };
}

export async function retryWebhook(rt: Runtime, merchantId: string, id: string) {
  const reset = isUuid(id) ? await resetForRetry(rt.db, id, merchantId, rt.clock.now()) : null;
  if (!reset) throw notFound('Webhook');
  rt.jobs.enqueue('webhooks', { logId: id, generation: reset.generation, attempt: 1 });
  return { id, status: 'pending' as const, message: 'Webhook retry scheduled' };
}

export async function getWebhookConfig(rt: Runtime, merchantId: string) {
  const merchant = await findMerchant(rt.db, merchantId);
  if (!merchant) throw notFound('Merchant');
  return { webhook_url: merchant.webhook_url, webhook_secret: merchant.webhook_secret };
}

export async function setWebhookUrl(rt: Runtime, merchantId: string, url: string | null) {
  const normalised =
    url === null || url.trim() === ''
      ? null
      : assertWebhookUrl(url.trim(), rt.config.WEBHOOK_ALLOW_PRIVATE_URLS) && url.trim();
  const merchant = await updateWebhookUrl(rt.db, merchantId, normalised);
  if (!merchant) throw notFound('Merchant');
  return { webhook_url: merchant.webhook_url, webhook_secret: merchant.webhook_secret };
}

export async function regenerateWebhookSecret(rt: Runtime, merchantId: string) {
  const secret = newWebhookSecret();
  await updateWebhookSecret(rt.db, merchantId, secret);
  return { webhook_secret: secret };
}

export async function sendTestWebhook(rt: Runtime, merchantId: string) {
  const id = randomUUID();
  const now = rt.clock.now();
  const inserted = await insertStandaloneEvent(rt.db, {
    id,
    merchantId,
    event: 'webhook.test',
    payload: testEventBody(merchantId, now),
    now,
  });
  if (!inserted) throw badRequest('Configure a webhook URL before sending a test event', 'webhook_url');
  enqueueFirstDeliveries(rt, [id]);
  return { id };
}
