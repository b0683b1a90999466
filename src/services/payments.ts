import { findOrderForPayment } from '../db/orders.js';
import {
  capturePayment as captureRow,
  findPayment,
  insertPayments,
  listPayments,
  ORDER_TERMS_PLACEHOLDER,
} from '../db/payments.js';
import type { Queryable } from '../db/pool.js';
import { assertCapturable, NOT_CAPTURABLE_MESSAGE } from '../domain/capture.js';
import { badRequest, notFound } from '../domain/errors.js';
import { paymentEventBody } from '../domain/events.js';
import { isId } from '../domain/ids.js';
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
import { enqueueFirstDeliveries, pendingEvent } from './events.js';
import { withFreshId } from './fresh-id.js';
import { type Answer, type IdempotencyScope, runIdempotent } from './idempotent.js';
import { insertTogether } from './insert-together.js';
import { simulationSettings } from './simulation-settings.js';

export interface CreatePaymentInput {
  order_id: string;
  method: string;
  vpa?: string;
  card?: CardInput;
}

/**
 * Who is paying: an authenticated merchant, or the public checkout where the order names the
 * merchant (and an X-Api-Key, when sent, must be that merchant's).
 */
export type Payer = { merchantId: string } | { publicApiKey: string | undefined };

export async function createPayment(
  rt: Runtime,
  payer: Payer,
  input: CreatePaymentInput,
  scope: Omit<IdempotencyScope, 'merchantId'>,
): Promise<Answer> {
  const now = rt.clock.now();
  // The instrument is checked first and reduced to what may be kept; the card number and CVV go no further.
  const instrument = validateInstrument(input, now);
  const merchantId = 'merchantId' in payer ? payer.merchantId : await publicPayee(rt, input.order_id, payer);

  if (!isId('order', input.order_id)) throw notFound('Order');

  return runIdempotent(rt, { ...scope, merchantId }, (db: Queryable) =>
    withFreshId('payment', async (id) => {
      const createdAt = rt.clock.now();
      const delay = paymentDelayMs(simulationSettings(rt.config), rt.random);
      // Amount and currency are the order's; the insert fills them in (and into the events).
      const draft: PaymentRecord = {
        id,
        order_id: input.order_id,
        merchant_id: merchantId,
        ...ORDER_TERMS_PLACEHOLDER,
        method: instrument.method,
        vpa: instrument.method === 'upi' ? instrument.vpa : null,
        card_network: instrument.method === 'card' ? instrument.card.card_network : null,
        card_last4: instrument.method === 'card' ? instrument.card.card_last4 : null,
        status: 'pending',
        captured: false,
        amount_refunded: 0,
        error_code: null,
        error_description: null,
        test_decline: instrument.alwaysFails,
        process_after: new Date(createdAt.getTime() + delay),
        created_at: createdAt,
        updated_at: createdAt,
      };
      const inserted = await insertTogether(rt, db, 'payments', insertPayments, {
        payment: draft,
        events: [
          pendingEvent('payment.created', id, paymentEventBody('payment.created', draft, createdAt)),
          pendingEvent('payment.pending', id, paymentEventBody('payment.pending', draft, createdAt)),
        ],
      });
      if (inserted === 'collision') return 'collision';
      if (inserted === 'order-not-found') throw notFound('Order');
      if (inserted === 'order-paid') throw badRequest('Order already paid');
      const payment = { ...draft, amount: inserted.amount, currency: inserted.currency };
      return {
        status: 201,
        body: JSON.stringify(paymentCreatedView(payment)),
        afterCommit: () => {
          rt.jobs.enqueue('payments', { paymentId: id }, delay);
          enqueueFirstDeliveries(rt, inserted.webhookIds);
        },
      };
    }),
  );
}

async function publicPayee(rt: Runtime, orderId: string, payer: { publicApiKey: string | undefined }) {
  const order = isId('order', orderId) ? await findOrderForPayment(rt.db, orderId) : null;
  if (!order) throw notFound('Order');
  if (payer.publicApiKey !== undefined && order.merchant_api_key !== payer.publicApiKey)
    throw notFound('Order');
  return order.merchant_id;
}

async function findOwnPayment(rt: Runtime, merchantId: string, id: string): Promise<PaymentRecord> {
  const payment = isId('payment', id) ? await findPayment(rt.db, id, merchantId) : null;
  if (!payment) throw notFound('Payment');
  return payment;
}

export async function getPayment(rt: Runtime, merchantId: string, id: string) {
  return paymentView(await findOwnPayment(rt, merchantId, id));
}

export async function getPublicPayment(rt: Runtime, id: string) {
  const payment = isId('payment', id) ? await findPayment(rt.db, id) : null;
  if (!payment) throw notFound('Payment');
  return paymentPublicView(payment);
}

export async function listMerchantPayments(
  rt: Runtime,
  merchantId: string,
  query: { limit: number; offset: number; status?: PaymentStatus },
) {
  const { rows, total } = await listPayments(rt.db, merchantId, query);
  return { data: rows.map(paymentView), total, limit: query.limit, offset: query.offset };
}

export async function capturePayment(rt: Runtime, merchantId: string, id: string, amount: number) {
  const captured = isId('payment', id)
    ? await captureRow(rt.db, id, merchantId, amount, rt.clock.now())
    : null;
  if (captured) return paymentCapturedView(captured);
  const payment = await findOwnPayment(rt, merchantId, id);
  assertCapturable(payment, amount);
  // It was capturable a moment ago: a concurrent capture won the race.
  throw badRequest(NOT_CAPTURABLE_MESSAGE);
}
