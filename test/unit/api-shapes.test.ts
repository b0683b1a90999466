import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { paymentEventBody } from '../../src/domain/events.js';
import type { OrderRecord, PaymentRecord, RefundRecord } from '../../src/domain/records.js';
import {
  orderCreatedView,
  orderPublicView,
  orderView,
  paymentCapturedView,
  paymentCreatedView,
  paymentEventView,
  paymentPublicView,
  paymentView,
  refundCreatedView,
  refundView,
} from '../../src/domain/representations.js';
import * as shapes from '../../src/shapes/index.js';
import { pendingUpiPayment } from '../support/records.js';
import { keysOf } from '../support/shape-keys.js';

/**
 * The published shapes, pinned here once (clients depend on these names and this order), and every
 * view held to its shape: the same keys in the same order, and valid against the schema.
 */
const ORDER_CREATED = ['id', 'merchant_id', 'amount', 'currency', 'receipt', 'notes', 'status', 'created_at'];
const REQUEST_LOG = [
  'id',
  'request_id',
  'method',
  'path',
  'status',
  'duration_ms',
  'idempotency_key',
  'created_at',
];
const PUBLISHED: Record<string, string[]> = {
  OrderCreated: ORDER_CREATED,
  Order: [...ORDER_CREATED, 'updated_at'],
  OrderPublic: ['id', 'amount', 'currency', 'status', 'merchant_name'],
  PaymentCreated: [
    'id',
    'order_id',
    'amount',
    'currency',
    'method',
    'vpa',
    'card_network',
    'card_last4',
    'status',
    'created_at',
  ],
  Payment: [
    'id',
    'order_id',
    'amount',
    'currency',
    'method',
    'vpa',
    'card_network',
    'card_last4',
    'status',
    'captured',
    'amount_refunded',
    'error_code',
    'error_description',
    'created_at',
    'updated_at',
  ],
  PaymentPublic: [
    'id',
    'order_id',
    'amount',
    'currency',
    'method',
    'status',
    'error_code',
    'error_description',
  ],
  PaymentCaptured: [
    'id',
    'order_id',
    'amount',
    'currency',
    'method',
    'status',
    'captured',
    'created_at',
    'updated_at',
  ],
  PaymentInEvent: [
    'id',
    'order_id',
    'amount',
    'currency',
    'method',
    'vpa',
    'status',
    'created_at',
    'error_code',
    'error_description',
  ],
  RefundCreated: ['id', 'payment_id', 'amount', 'reason', 'status', 'created_at'],
  Refund: ['id', 'payment_id', 'amount', 'reason', 'status', 'created_at', 'processed_at'],
  WebhookSummary: [
    'id',
    'event',
    'status',
    'attempts',
    'created_at',
    'last_attempt_at',
    'next_retry_at',
    'response_code',
    'endpoint_id',
    'event_id',
  ],
  Event: ['id', 'type', 'created_at', 'data'],
  WebhookEndpoint: ['id', 'url', 'enabled_events', 'description', 'status', 'secret', 'created_at'],
  WebhookConfig: ['webhook_url', 'webhook_secret'],
  RequestLog: REQUEST_LOG,
  RequestLogDetail: [...REQUEST_LOG, 'request_body', 'response_body'],
  JobsStatus: ['pending', 'processing', 'completed', 'failed', 'worker_status'],
  Health: ['status', 'database', 'redis', 'timestamp'],
};

const at = new Date('2026-01-15T10:31:00.000Z');
const order: OrderRecord = {
  id: 'order_NXhj67fGH2jk9mPq',
  merchant_id: '550e8400-e29b-41d4-a716-446655440000',
  amount: 50_000,
  currency: 'INR',
  receipt: 'r1',
  notes: { a: 1 },
  status: 'created',
  created_at: at,
  updated_at: at,
};
const upi: PaymentRecord = pendingUpiPayment(
  {
    id: 'pay_H8sK3jD9s2L1pQr5',
    order_id: order.id,
    merchant_id: order.merchant_id,
    amount: 50_000,
    currency: 'INR',
    vpa: 'user@paytm',
  },
  at,
);
const card: PaymentRecord = { ...upi, method: 'card', vpa: null, card_network: 'visa', card_last4: '1111' };
const failed: PaymentRecord = {
  ...upi,
  status: 'failed',
  error_code: 'PAYMENT_FAILED',
  error_description: 'Declined',
};
const refund: RefundRecord = {
  id: 'rfnd_Xk3l9Qw2Zr5Tb7Np',
  payment_id: upi.id,
  merchant_id: upi.merchant_id,
  amount: 100,
  reason: null,
  status: 'pending',
  process_after: at,
  created_at: at,
  processed_at: null,
  updated_at: at,
};

describe('published shapes', () => {
  it.each(Object.entries(PUBLISHED))('%s keeps its fields and their order', (name, fields) => {
    const shape = (shapes as Record<string, unknown>)[name] as { properties: object };
    expect(Object.keys(shape.properties)).toEqual(fields);
  });
});

describe('views', () => {
  it.each([
    ['Order', shapes.Order, orderView(order)],
    ['OrderCreated', shapes.OrderCreated, orderCreatedView(order)],
    ['OrderPublic', shapes.OrderPublic, orderPublicView(order, 'Shop')],
    ['PaymentCreated (upi)', shapes.PaymentCreated, paymentCreatedView(upi)],
    ['PaymentCreated (card)', shapes.PaymentCreated, paymentCreatedView(card)],
    ['Payment', shapes.Payment, paymentView(card)],
    ['PaymentPublic', shapes.PaymentPublic, paymentPublicView(upi)],
    [
      'PaymentCaptured',
      shapes.PaymentCaptured,
      paymentCapturedView({ ...upi, status: 'success', captured: true }),
    ],
    ['PaymentInEvent', shapes.PaymentInEvent, paymentEventView(upi)],
    ['PaymentInEvent (failed)', shapes.PaymentInEvent, paymentEventView(failed)],
    ['Refund', shapes.Refund, refundView(refund)],
    ['RefundCreated', shapes.RefundCreated, refundCreatedView(refund)],
  ] as const)('%s follows its shape', (_name, shape, view) => {
    expect(Object.keys(view)).toEqual(keysOf(shape, view));
    expect([...Value.Errors(shape, view)]).toEqual([]);
  });

  it('a UPI payment carries no card fields when created; a card payment has vpa null', () => {
    expect(paymentCreatedView(upi)).not.toHaveProperty('card_network');
    expect(paymentCreatedView(card)).toMatchObject({ vpa: null, card_network: 'visa', card_last4: '1111' });
  });

  it('webhook payloads are compact JSON with the event, the unix timestamp and the data', () => {
    expect(paymentEventBody('payment.created', upi, at)).toBe(
      `{"event":"payment.created","timestamp":${at.getTime() / 1000},"data":{"payment":${JSON.stringify(paymentEventView(upi))}}}`,
    );
  });
});
