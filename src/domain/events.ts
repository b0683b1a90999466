import type { PaymentRecord, RefundRecord } from './records.js';
import { paymentEventView, refundView } from './representations.js';

/** Events and their webhook payloads: the exact compact JSON string that is signed and sent. */
export type PaymentEvent = 'payment.created' | 'payment.pending' | 'payment.success' | 'payment.failed';
export type RefundEvent = 'refund.created' | 'refund.processed';
export type EventType = PaymentEvent | RefundEvent | 'webhook.test' | 'webhook_endpoint.disabled';

export const EVENT_TYPES: readonly EventType[] = [
  'payment.created',
  'payment.pending',
  'payment.success',
  'payment.failed',
  'refund.created',
  'refund.processed',
  'webhook.test',
  'webhook_endpoint.disabled',
];

/** The resource part of an event type: `payment` of `payment.success`. */
export const resourceOf = (type: string) => type.slice(0, type.indexOf('.'));

const RESOURCES = new Set(EVENT_TYPES.map(resourceOf));

/** An endpoint filter entry: `*`, an event type, or `<resource>.*`. */
export function isEventFilter(entry: string): boolean {
  if (entry === '*' || (EVENT_TYPES as readonly string[]).includes(entry)) return true;
  return entry.endsWith('.*') && RESOURCES.has(entry.slice(0, -2));
}

/** The filter entries that select an event of this type (what an endpoint must list one of). */
export const filtersSelecting = (type: string): string[] => ['*', type, `${resourceOf(type)}.*`];

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** `{"event","timestamp","data"}`: the body of every delivery of an event. */
export function eventPayload(type: string, at: Date, data: object): string {
  return JSON.stringify({ event: type, timestamp: unixSeconds(at), data });
}

export function paymentEventBody(event: PaymentEvent, payment: PaymentRecord, at: Date): string {
  return eventPayload(event, at, { payment: paymentEventView(payment) });
}

export function refundEventBody(event: RefundEvent, refund: RefundRecord, at: Date): string {
  return eventPayload(event, at, { refund: refundView(refund) });
}

export function testEventBody(merchantId: string, at: Date): string {
  return eventPayload('webhook.test', at, {
    message: 'This is a test webhook from the payment gateway',
    merchant_id: merchantId,
  });
}

/**
 * The body every delivery of a recorded event sends, rebuilt from the event: its type, the unix
 * seconds of the moment it was recorded and its data (compact, as JSON.stringify writes it).
 */
export function deliveryBodyOf(event: { type: string; created_at: string; data: object }): string {
  return eventPayload(event.type, new Date(event.created_at), event.data);
}
