import type { Static } from 'typebox';
import type {
  Order,
  OrderCreated,
  OrderPublic,
  Payment,
  PaymentCaptured,
  PaymentCreated,
  PaymentInEvent,
  PaymentPublic,
  Refund,
  RefundCreated,
} from '../shapes/index.js';
import type { OrderRecord, PaymentRecord, RefundRecord } from './records.js';

/**
 * The API's JSON shapes (src/shapes), built from records. Each view is typed by its shape, and its
 * key order is the shape's, so the same record always serialises to the same bytes (idempotent
 * replays and signed webhook bodies rely on it; a test holds every view to its shape's order).
 */
const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());

export function orderView(order: OrderRecord): Static<typeof Order> {
  return {
    id: order.id,
    merchant_id: order.merchant_id,
    amount: order.amount,
    currency: order.currency,
    receipt: order.receipt,
    notes: order.notes,
    status: order.status,
    created_at: iso(order.created_at),
    updated_at: iso(order.updated_at),
  };
}

export function orderCreatedView(order: OrderRecord): Static<typeof OrderCreated> {
  const { updated_at: _updated, ...created } = orderView(order);
  return created;
}

export function orderPublicView(order: OrderRecord, merchantName: string): Static<typeof OrderPublic> {
  return {
    id: order.id,
    amount: order.amount,
    currency: order.currency,
    status: order.status,
    merchant_name: merchantName,
  };
}

function instrumentFields(payment: PaymentRecord) {
  return payment.method === 'card'
    ? { vpa: null, card_network: payment.card_network ?? 'unknown', card_last4: payment.card_last4 ?? '' }
    : { vpa: payment.vpa };
}

/** What every payment shape opens with. */
function paymentHead(payment: PaymentRecord) {
  return {
    id: payment.id,
    order_id: payment.order_id,
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
  };
}

export function paymentCreatedView(payment: PaymentRecord): Static<typeof PaymentCreated> {
  return {
    ...paymentHead(payment),
    ...instrumentFields(payment),
    status: payment.status,
    created_at: iso(payment.created_at),
  };
}

export function paymentView(payment: PaymentRecord): Static<typeof Payment> {
  return {
    ...paymentHead(payment),
    vpa: payment.vpa,
    card_network: payment.card_network,
    card_last4: payment.card_last4,
    status: payment.status,
    captured: payment.captured,
    amount_refunded: payment.amount_refunded,
    error_code: payment.error_code,
    error_description: payment.error_description,
    created_at: iso(payment.created_at),
    updated_at: iso(payment.updated_at),
  };
}

/** The payment as webhook payloads carry it; a failed one also says why. */
export function paymentEventView(payment: PaymentRecord): Static<typeof PaymentInEvent> {
  const view = {
    ...paymentHead(payment),
    vpa: payment.vpa,
    status: payment.status,
    created_at: iso(payment.created_at),
  };
  return payment.status === 'failed'
    ? { ...view, error_code: payment.error_code, error_description: payment.error_description }
    : view;
}

export function paymentPublicView(payment: PaymentRecord): Static<typeof PaymentPublic> {
  return {
    ...paymentHead(payment),
    status: payment.status,
    error_code: payment.error_code,
    error_description: payment.error_description,
  };
}

export function paymentCapturedView(payment: PaymentRecord): Static<typeof PaymentCaptured> {
  return {
    ...paymentHead(payment),
    status: payment.status,
    captured: payment.captured,
    created_at: iso(payment.created_at),
    updated_at: iso(payment.updated_at),
  };
}

export function refundView(refund: RefundRecord): Static<typeof Refund> {
  return {
    id: refund.id,
    payment_id: refund.payment_id,
    amount: refund.amount,
    reason: refund.reason,
    status: refund.status,
    created_at: iso(refund.created_at),
    processed_at: isoOrNull(refund.processed_at),
  };
}

export function refundCreatedView(refund: RefundRecord): Static<typeof RefundCreated> {
  const { processed_at: _processed, ...created } = refundView(refund);
  return created;
}
