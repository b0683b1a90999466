import type { PaymentRecord, RefundRecord } from './records.js';
import { paymentEventView, refundView } from './representations.js';

/** Webhook events and their payloads: the exact compact JSON string that is signed and sent. */
export type PaymentEvent = 'payment.created' | 'payment.pending' | 'payment.success' | 'payment.failed';
export type RefundEvent = 'refund.created' | 'refund.processed';
export type EventType = PaymentEvent | RefundEvent | 'webhook.test';

export const EVENT_TYPES: readonly EventType[] = [
  'payment.created',
  'payment.pending',
  'payment.success',
  'payment.failed',
  'refund.created',
  'refund.processed',
  'webhook.test',
];

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function paymentEventBody(event: PaymentEvent, payment: PaymentRecord, at: Date): string {
  return JSON.stringify({ event, timestamp: unixSeconds(at), data: { payment: paymentEventView(payment) } });
}

export function refundEventBody(event: RefundEvent, refund: RefundRecord, at: Date): string {
  return JSON.stringify({ event, timestamp: unixSeconds(at), data: { refund: refundView(refund) } });
}

export function testEventBody(merchantId: string, at: Date): string {
  return JSON.stringify({
    event: 'webhook.test',
    timestamp: unixSeconds(at),
    data: { message: 'This is a test webhook from the payment gateway', merchant_id: merchantId },
  });
}
