import type { Job } from 'bullmq';
import { Batcher } from '../db/batcher.js';
import type { PendingEvent } from '../db/events.js';
import { type Decision, decidePayments, findPayments } from '../db/payments.js';
import { paymentEventBody } from '../domain/events.js';
import type { PaymentRecord } from '../domain/records.js';
import { decidePaymentOutcome } from '../domain/simulation.js';
import type { PaymentJob } from '../queue/catalog.js';
import type { Runtime } from '../runtime.js';
import { enqueueFirstDeliveries, pendingEvent } from '../services/events.js';
import { simulationSettings } from '../services/simulation-settings.js';
import { deferUntilDue } from './due.js';

/**
 * Decides a payment once its simulated bank delay has passed. The delay is a delayed job, never a
 * sleep, so no worker slot is held while the "bank" thinks. A redelivered job finds the payment
 * decided and does nothing. The reads and decisions of the jobs running at the same moment are
 * batched into one statement each.
 */
export function paymentProcessor(rt: Runtime) {
  const settings = simulationSettings(rt.config);
  const reads = new Batcher((ids: string[]) => findPayments(rt.db, ids));
  const decisions = new Batcher((batch: Array<{ decision: Decision; event: PendingEvent }>) =>
    decidePayments(
      rt.db,
      batch.map((b) => b.decision),
      batch.map((b) => b.event),
    ),
  );

  return async function processPayment(job: Job<PaymentJob>, token?: string): Promise<string> {
    const payment = await reads.add(job.data.paymentId);
    if (payment?.status !== 'pending') return 'already-decided';

    const now = rt.clock.now();
    await deferUntilDue(job, token, payment.process_after, now);

    const outcome = decidePaymentOutcome(settings, payment, rt.random);
    const decided: PaymentRecord = {
      ...payment,
      status: outcome.status,
      error_code: outcome.status === 'failed' ? outcome.error_code : null,
      error_description: outcome.status === 'failed' ? outcome.error_description : null,
      updated_at: now,
    };
    const event = outcome.status === 'success' ? 'payment.success' : 'payment.failed';
    const result = await decisions.add({
      decision: { id: payment.id, outcome, at: now },
      event: pendingEvent(event, payment.id, paymentEventBody(event, decided, now)),
    });
    if (!result) return 'already-decided';
    enqueueFirstDeliveries(rt, result.webhookIds);
    return outcome.status;
  };
}
