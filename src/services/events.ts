import { randomUUID } from 'node:crypto';
import type { PendingEvent } from '../db/events.js';
import type { Runtime } from '../runtime.js';

export function pendingEvent(event: string, resourceId: string, payload: string): PendingEvent {
  return { id: randomUUID(), resourceId, event, payload };
}

/** First delivery of freshly written webhook logs (generation 0, attempt 1), after their commit. */
export function enqueueFirstDeliveries(rt: Runtime, webhookIds: readonly string[]): void {
  for (const logId of webhookIds) rt.jobs.enqueue('webhooks', { logId, generation: 0, attempt: 1 });
}
