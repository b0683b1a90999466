import type { Job } from 'bullmq';
import { findRefund, markRefundProcessed } from '../db/refunds.js';
import { refundEventBody } from '../domain/events.js';
import type { RefundJob } from '../queue/catalog.js';
import type { Runtime } from '../runtime.js';
import { newEvent } from '../services/events.js';
import { deferUntilDue } from './due.js';

/** Marks a refund processed once its simulated delay has passed; a redelivered job is a no-op. */
export function refundProcessor(runtime: Runtime) {
  return async function processRefund(job: Job<RefundJob>, token?: string): Promise<string> {
    const refund = await findRefund(runtime.db, job.data.refundId);
    if (refund?.status !== 'pending') return 'already-processed';

    const now = runtime.clock.now();
    await deferUntilDue(job, token, refund.process_after, now);
    const processed = { ...refund, status: 'processed' as const, processed_at: now, updated_at: now };
    const result = await markRefundProcessed(runtime.db, refund.id, now, [
      newEvent('refund.processed', refund.id, refundEventBody('refund.processed', processed, now)),
    ]);
    if (!result) return 'already-processed';
    return 'processed';
  };
}
