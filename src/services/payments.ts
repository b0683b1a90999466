import { findOrderToPay, type OrderForPayment } from '../db/orders.js';
import { capturePayment as captureRow, findPayment, insertPayment, listPayments } from '../db/payments.js';
import { merchantMayAct } from '../db/seed.js';
import { assertCapturable, NOT_CAPTURABLE_MESSAGE } from '../domain/capture.js';
import { badRequest, notFound } from '../domain/errors.js';
import { paymentEventBody } from '../domain/events.js';
import { isId, newId } from '../domain/ids.js';
import { assertOrderTerms } from '../domain/order-terms.js';
import { type CardInput, validateInstrument } from '../domain/payment-method.js';
import type { PaymentRecord, PaymentStatus } from '../domain/records.js';
import {
  paymentCapturedView,
  paymentCreatedView,
  paymentPublicView,
  paymentView,
} from '../domain/representations.js';
import { paymentDelayMs } from '../domain/simulation.js';
import type { Runtime } from '../runtime.js';
import { newEvent } from './events.js';
import { type Answer, createOnce, type IdempotencyRequest } from './idempotency.js';
import { simulationSettings } from './simulation-settings.js';

export interface CreatePaymentInput {
  order_id: string;
  method: string;
  vpa?: string;
  card?: CardInput;
  /** Sent by some clients; must equal the order's when present. */
  amount?: number;
  currency?: string;
}

/**
 * Who is paying: an authenticated merchant, or the public checkout where the order names the
 * merchant (and an X-Api-Key, when sent, must be that merchant's).
 */
export type Payer = { merchantId: string } | { publicApiKey: string | undefined };

const MAX_ID_TRIES = 5;

/**
 * Creates a pending payment on an unpaid order, with its payment.created and payment.pending
 * events, in one statement; the worker decides it later. Amount and currency are the order's.
 */
export async function createPayment(
  runtime: Runtime,
  payer: Payer,
  input: CreatePaymentInput,
  idempotency: Omit<IdempotencyRequest, 'merchantId'>,
): Promise<Answer> {
  // The instrument is checked first and reduced to what may be kept; the card number and CVV go no further.
  const instrument = validateInstrument(input, runtime.clock.now());
  const order = await orderToPay(runtime, payer, input.order_id);

  return createOnce(runtime, { ...idempotency, merchantId: order.merchant_id }, async (claimOf) => {
    // Inside, so that a repeat of a payment that paid the order replays instead of being refused.
    assertOrderTerms(order, input);
    for (let tries = 0; tries < MAX_ID_TRIES; tries++) {
      const createdAt = runtime.clock.now();
      const delay = paymentDelayMs(simulationSettings(runtime.config), runtime.random);
      const payment: PaymentRecord = {
        id: newId('payment'),
        order_id: order.id,
        merchant_id: order.merchant_id,
        amount: order.amount,
        currency: order.currency,
        method: instrument.method,
        vpa: instrument.method === 'upi' ? instrument.vpa : null,
        card_network: instrument.method === 'card' ? instrument.card.card_network : null,
        card_last4: instrument.method === 'card' ? instrument.card.card_last4 : null,
        status: 'pending',
        captured: false,
        amount_refunded: 0,
        error_code: null,
        error_description: null,
        test_outcome: instrument.testOutcome === 'success' ? null : instrument.testOutcome,
        process_after: new Date(createdAt.getTime() + delay),
        created_at: createdAt,
        updated_at: createdAt,
      };
      const body = JSON.stringify(paymentCreatedView(payment));
      const result = await insertPayment(runtime.db, {
        payment,
        events: (['payment.created', 'payment.pending'] as const).map((event) =>
          newEvent(event, payment.id, paymentEventBody(event, payment, createdAt)),
        ),
        claim: claimOf?.(201, body),
      });
      if (result.kind === 'id-taken') continue;
      if (result.kind === 'order-unavailable') throw badRequest('Order already paid');
      runtime.jobs.enqueue('payments', { paymentId: payment.id }, delay);
      return { status: 201, body };
    }
    throw new Error('could not allocate a unique payment id');
  });
}

/**
 * The order being paid, if this payer may pay it: another merchant's, an inactive one's (read
 * fresh, so a deactivation counts at once) or the test merchant's outside test mode is not found.
 */
async function orderToPay(runtime: Runtime, payer: Payer, orderId: string): Promise<OrderForPayment> {
  const order = isId('order', orderId) ? await findOrderToPay(runtime.db, orderId) : null;
  const payable =
    order?.merchant_active &&
    merchantMayAct(order.merchant_id, runtime.config.TEST_MODE) &&
    ('merchantId' in payer
      ? order.merchant_id === payer.merchantId
      : payer.publicApiKey === undefined || payer.publicApiKey === order.merchant_api_key);
  if (!order || !payable) throw notFound('Order');
  return order;
}

async function findOwnPayment(runtime: Runtime, merchantId: string, id: string): Promise<PaymentRecord> {
  const payment = isId('payment', id) ? await findPayment(runtime.db, id, merchantId) : null;
  if (!payment) throw notFound('Payment');
  return payment;
}

export async function getPayment(runtime: Runtime, merchantId: string, id: string) {
  return paymentView(await findOwnPayment(runtime, merchantId, id));
}

export async function getPublicPayment(runtime: Runtime, id: string) {
  const payment = isId('payment', id) ? await findPayment(runtime.db, id) : null;
  if (!payment) throw notFound('Payment');
  return paymentPublicView(payment);
}

export async function listMerchantPayments(
  runtime: Runtime,
  merchantId: string,
  query: { limit: number; offset: number; status?: PaymentStatus },
) {
  const { rows, total } = await listPayments(runtime.db, merchantId, query);
  return { data: rows.map(paymentView), total, limit: query.limit, offset: query.offset };
}

/** Captures a successful payment in full, once; a payment with any refund is no longer capturable. */
export async function capturePayment(
  runtime: Runtime,
  merchantId: string,
  id: string,
  amount: number,
  idempotency: Omit<IdempotencyRequest, 'merchantId'>,
): Promise<Answer> {
  return createOnce(runtime, { ...idempotency, merchantId }, async (claimOf) => {
    const payment = await findOwnPayment(runtime, merchantId, id);
    assertCapturable(payment, amount);
    const at = runtime.clock.now();
    const body = JSON.stringify(paymentCapturedView({ ...payment, captured: true, updated_at: at }));
    const captured = await captureRow(runtime.db, {
      id,
      merchantId,
      amount,
      at,
      claim: claimOf?.(200, body),
    });
    // It was capturable a moment ago: a concurrent capture or refund came first.
    if (!captured) throw badRequest(NOT_CAPTURABLE_MESSAGE);
    return { status: 200, body };
  });
}
