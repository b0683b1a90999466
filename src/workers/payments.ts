import type { Job } from 'bullmq';
import { Batcher } from '../db/batcher.js';
import { type Decision, decidePayments, findPayments } from '../db/payments.js';
import { paymentEventBody } from '../domain/events.js';
import { newId } from '../domain/ids.js';
import type { PaymentRecord } from '../domain/records.js';
import { decidePaymentOutcome, ORDER_ALREADY_PAID, type PaymentOutcome } from '../domain/simulation.js';
import type { PaymentJob } from '../queue/catalog.js';
import type { Runtime } from '../runtime.js';
import { simulationSettings } from '../services/simulation-settings.js';
import { deferUntilDue } from './due.js';

/**
 * Decides a payment once its simulated bank delay has passed. The delay is a delayed job, never a
 * sleep, so no worker slot is held while the "bank" thinks. A redelivered job finds the payment
 * decided and does nothing. The reads and decisions of the jobs running at the same moment are
 * batched into one statement each.
 */
export function paymentProcessor(runtime: Runtime) {
  const settings = simulationSettings(runtime.config);
  const reads = new Batcher((ids: string[]) => findPayments(runtime.db, ids));
  const decisions = new Batcher((batch: Decision[]) => decidePayments(runtime.db, batch));

  return async function processPayment(job: Job<PaymentJob>, token?: string): Promise<string> {
    const payment = await reads.add(job.data.paymentId);
    if (payment?.status !== 'pending') return 'already-decided';

    const now = runtime.clock.now();
    await deferUntilDue(job, token, payment.process_after, now);

    const outcome = decidePaymentOutcome(settings, payment, runtime.random);
    const ended = (end: PaymentOutcome): PaymentRecord => ({
      ...payment,
      status: end.status,
      error_code: end.status === 'failed' ? end.error_code : null,
      error_description: end.status === 'failed' ? end.error_description : null,
      updated_at: now,
    });
    const result = await decisions.add({
      id: payment.id,
      eventId: newId('event'),
      outcome,
      at: now,
      successPayload:
        outcome.status === 'success' ? paymentEventBody('payment.success', ended(outcome), now) : null,
      failedPayload: paymentEventBody(
        'payment.failed',
        ended(outcome.status === 'failed' ? outcome : ORDER_ALREADY_PAID),
        now,
      ),
      orderPaidOutcome: ORDER_ALREADY_PAID,
    });
    if (!result) return 'already-decided';
    return result.status === 'failed' && outcome.status === 'success' ? 'order-already-paid' : result.status;
  };
}
