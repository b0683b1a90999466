import { findPayment } from '../db/payments.js';
import { findRefund, insertRefund, listRefundsOfPayment } from '../db/refunds.js';
import { badRequest, notFound } from '../domain/errors.js';
import { refundEventBody } from '../domain/events.js';
import { isId, newId } from '../domain/ids.js';
import type { RefundRecord } from '../domain/records.js';
import { assertRefundAmount, NOT_REFUNDABLE_MESSAGE, REFUND_EXCEEDS_MESSAGE } from '../domain/refunds.js';
import { refundCreatedView, refundView } from '../domain/representations.js';
import { refundDelayMs } from '../domain/simulation.js';
import type { Runtime } from '../runtime.js';
import { newEvent } from './events.js';
import { type Answer, createOnce, type IdempotencyRequest } from './idempotency.js';
import { simulationSettings } from './simulation-settings.js';

export interface CreateRefundInput {
  amount: number;
  reason?: string | null;
}

const MAX_ID_TRIES = 5;

/**
 * Refunds part or all of a successful payment: the balance is reserved, and the refund and its
 * refund.created event written, in one statement; the worker processes it later.
 */
export async function createRefund(
  runtime: Runtime,
  merchantId: string,
  paymentId: string,
  input: CreateRefundInput,
  idempotency: Omit<IdempotencyRequest, 'merchantId'>,
): Promise<Answer> {
  if (!isId('payment', paymentId)) throw notFound('Payment');
  assertRefundAmount(input.amount);

  return createOnce(runtime, { ...idempotency, merchantId }, async (claimOf) => {
    for (let tries = 0; tries < MAX_ID_TRIES; tries++) {
      const createdAt = runtime.clock.now();
      const delay = refundDelayMs(simulationSettings(runtime.config), runtime.random);
      const refund: RefundRecord = {
        id: newId('refund'),
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
      const body = JSON.stringify(refundCreatedView(refund));
      const result = await insertRefund(
        runtime.db,
        refund,
        [newEvent('refund.created', refund.id, refundEventBody('refund.created', refund, createdAt))],
        claimOf?.(201, body),
      );
      switch (result.kind) {
        case 'id-taken':
          continue;
        case 'payment-not-found':
          throw notFound('Payment');
        case 'payment-not-refundable':
          throw badRequest(NOT_REFUNDABLE_MESSAGE);
        case 'exceeds-available':
          throw badRequest(REFUND_EXCEEDS_MESSAGE, 'amount');
        case 'inserted':
          runtime.jobs.enqueue('refunds', { refundId: refund.id }, delay);
          return { status: 201, body };
      }
    }
    throw new Error('could not allocate a unique refund id');
  });
}

export async function getRefund(runtime: Runtime, merchantId: string, id: string) {
  const refund = isId('refund', id) ? await findRefund(runtime.db, id, merchantId) : null;
  if (!refund) throw notFound('Refund');
  return refundView(refund);
}

export async function listPaymentRefunds(
  runtime: Runtime,
  merchantId: string,
  paymentId: string,
  page: { limit: number; offset: number },
) {
  const payment = isId('payment', paymentId) ? await findPayment(runtime.db, paymentId, merchantId) : null;
  if (!payment) throw notFound('Payment');
  const { rows, total } = await listRefundsOfPayment(runtime.db, paymentId, merchantId, page);
  return { data: rows.map(refundView), total, limit: page.limit, offset: page.offset };
}
