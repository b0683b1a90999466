import { findPayment } from '../db/payments.js';
import { findRefund, insertRefund, listRefundsOfPayment } from '../db/refunds.js';
import { badRequest, notFound } from '../domain/errors.js';
import { refundEventBody } from '../domain/events.js';
import { isId } from '../domain/ids.js';
import type { RefundRecord } from '../domain/records.js';
import { assertRefundAmount, NOT_REFUNDABLE_MESSAGE, REFUND_EXCEEDS_MESSAGE } from '../domain/refunds.js';
import { refundCreatedView, refundView } from '../domain/representations.js';
import { refundDelayMs } from '../domain/simulation.js';
import type { Runtime } from '../runtime.js';
import { enqueueFirstDeliveries, pendingEvent } from './events.js';
import { withFreshId } from './fresh-id.js';
import { type Answer, type IdempotencyScope, runIdempotent } from './idempotent.js';
import { simulationSettings } from './simulation-settings.js';

export interface CreateRefundInput {
  amount: number;
  reason?: string | null;
}

export async function createRefund(
  rt: Runtime,
  merchantId: string,
  paymentId: string,
  input: CreateRefundInput,
  scope: Omit<IdempotencyScope, 'merchantId'>,
): Promise<Answer> {
  if (!isId('payment', paymentId)) throw notFound('Payment');
  assertRefundAmount(input.amount);

  return runIdempotent(rt, { ...scope, merchantId }, (db) =>
    withFreshId('refund', async (id) => {
      const createdAt = rt.clock.now();
      const delay = refundDelayMs(simulationSettings(rt.config), rt.random);
      const refund: RefundRecord = {
        id,
        payment_id: paymentId,
        merchant_id: merchantId,
        amount: input.amount,
        reason: input.reason ?? null,
        status: 'pending',
        process_after: new Date(createdAt.getTime() + delay),
        created_at: createdAt,
        processed_at: null,
        updated_at: createdAt,
      };
      const result = await insertRefund(db, refund, [
        pendingEvent('refund.created', id, refundEventBody('refund.created', refund, createdAt)),
      ]);
      if ('refused' in result) {
        switch (result.refused) {
          case 'collision':
            return 'collision';
          case 'payment-not-found':
            throw notFound('Payment');
          case 'payment-not-refundable':
            throw badRequest(NOT_REFUNDABLE_MESSAGE);
          case 'exceeds-available':
            throw badRequest(REFUND_EXCEEDS_MESSAGE, 'amount');
        }
      }
      return {
        status: 201,
        body: JSON.stringify(refundCreatedView(refund)),
        afterCommit: () => {
          rt.jobs.enqueue('refunds', { refundId: id }, delay);
          enqueueFirstDeliveries(rt, result.webhookIds);
        },
      };
    }),
  );
}

export async function getRefund(rt: Runtime, merchantId: string, id: string) {
  const refund = isId('refund', id) ? await findRefund(rt.db, id, merchantId) : null;
  if (!refund) throw notFound('Refund');
  return refundView(refund);
}

export async function listPaymentRefunds(
  rt: Runtime,
  merchantId: string,
  paymentId: string,
  page: { limit: number; offset: number },
) {
  const payment = isId('payment', paymentId) ? await findPayment(rt.db, paymentId, merchantId) : null;
  if (!payment) throw notFound('Payment');
  const { rows, total } = await listRefundsOfPayment(rt.db, paymentId, merchantId, page);
  return { data: rows.map(refundView), total, limit: page.limit, offset: page.offset };
}
