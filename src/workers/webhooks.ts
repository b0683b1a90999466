import type { Job } from 'bullmq';
import { Batcher } from '../db/batcher.js';
import type { Pool } from '../db/pool.js';
import {
  type AttemptRecord,
  claimDeliveries,
  type DeliveryJobKey,
  deliveryState,
  recordAttempts,
} from '../db/webhook-logs.js';
import { nextRetryDelayMs } from '../domain/retry-schedule.js';
import { deliveryHeaders } from '../domain/signing.js';
import type { WebhookJob } from '../queue/catalog.js';
import type { Runtime } from '../runtime.js';
import type { DeliveryResult, WebhookHttpClient } from '../webhooks/http-client.js';
import { deferUntilDue } from './due.js';

/** Raised when another worker holds the delivery's lease; BullMQ retries the job after a backoff. */
export class DeliveryLeasedError extends Error {}

const STORED_BODY_CHARS = 1024;

/**
 * One attempt of one webhook delivery: claim the lease, sign the exact stored body, POST it, record
 * the outcome, and schedule the next attempt from the database's schedule. The next attempt is a
 * new delayed job; the row's next_retry_at lets the sweeper recreate it if Redis loses it. Claims and
 * records of the deliveries running at the same moment are batched into one statement each.
 */
export function webhookProcessor(rt: Runtime, client: WebhookHttpClient, bookkeeping: Pool) {
  const leaseMs = rt.config.WEBHOOK_TIMEOUT_MS + 10_000;
  const claims = new Batcher((jobs: DeliveryJobKey[]) =>
    claimDeliveries(rt.db, jobs, rt.clock.now(), leaseMs),
  );
  const records = new Batcher((attempts: AttemptRecord[]) => recordAttempts(bookkeeping, attempts));
  return async function deliverWebhook(job: Job<WebhookJob>, token?: string): Promise<string> {
    const { logId, generation, attempt } = job.data;
    const claimed = await claims.add(job.data);
    if (!claimed) {
      const state = await deliveryState(rt.db, logId);
      const current =
        state?.status === 'pending' && state.generation === generation && state.attempts === attempt - 1;
      if (!current) return 'superseded';
      if (state.next_retry_at) await deferUntilDue(job, token, state.next_retry_at, rt.clock.now());
      throw new DeliveryLeasedError(`delivery ${logId} is being attempted by another worker`);
    }

    const startedAt = rt.clock.now();
    const result: DeliveryResult = claimed.webhook_url
      ? await client.post(
          claimed.webhook_url,
          deliveryHeaders({
            id: claimed.id,
            event: claimed.event,
            attempt,
            secret: claimed.webhook_secret,
            body: claimed.payload,
            timestampSeconds: Math.floor(startedAt.getTime() / 1000),
          }),
          claimed.payload,
        )
      : { ok: false, status: null, error: 'no webhook URL configured', durationMs: 0 };

    const finishedAt = rt.clock.now();
    const retryDelay = result.ok ? null : nextRetryDelayMs(attempt, rt.config.WEBHOOK_RETRY_INTERVALS_TEST);
    const status = result.ok ? 'success' : retryDelay === null ? 'failed' : 'pending';
    const recorded = await records.add({
      logId,
      generation,
      attempt,
      url: claimed.webhook_url,
      status,
      nextRetryAt: retryDelay === null ? null : new Date(finishedAt.getTime() + retryDelay),
      responseCode: result.status,
      responseBody: 'body' in result ? result.body.slice(0, STORED_BODY_CHARS) : null,
      error: 'error' in result ? result.error : null,
      durationMs: result.durationMs,
      at: finishedAt,
    });
    if (recorded && retryDelay !== null) {
      rt.jobs.enqueue('webhooks', { logId, generation, attempt: attempt + 1 }, retryDelay);
    }
    return recorded ? status : 'superseded';
  };
}
