import { type Html, html } from '../html.js';
import { money, none, statusBadge, timestamp } from './format.js';
import type { DeliverySummary } from './webhook-tables.js';

/** One recorded event as GET /api/v1/events lists it. */
export interface TimelineEvent {
  id: string;
  type: string;
  created_at: string;
  data: object;
}

interface Refund {
  id?: string;
  amount?: number;
}

interface PaymentData {
  currency?: string;
  error_code?: string | null;
}

/** What an event means for the payment, in a few words. */
export function describeEvent(event: TimelineEvent, currency: string): string {
  const { payment = {}, refund = {} } = event.data as { payment?: PaymentData; refund?: Refund };
  const refundAmount = typeof refund.amount === 'number' ? ` of ${money(refund.amount, currency)}` : '';
  switch (event.type) {
    case 'payment.created':
      return 'Payment created';
    case 'payment.pending':
      return 'Sent to the bank for a decision';
    case 'payment.success':
      return 'Payment succeeded';
    case 'payment.failed':
      return payment.error_code ? `Payment failed (${payment.error_code})` : 'Payment failed';
    case 'payment.disputed':
      return 'Payment disputed';
    case 'refund.created':
      return `Refund${refundAmount} requested`;
    case 'refund.processed':
      return `Refund${refundAmount} processed`;
    default:
      return event.type;
  }
}

function deliveryLink(delivery: DeliverySummary): Html {
  const href = `/dashboard/webhooks?log=${encodeURIComponent(delivery.id)}#webhook-detail`;
  const attempts = `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`;
  return html`<li><a href="${href}" data-test-id="timeline-delivery" data-webhook-id="${delivery.id}">Delivery</a>
    ${statusBadge(delivery.status)} <span class="muted">${attempts}${delivery.response_code === null ? '' : `, answered ${delivery.response_code}`}</span></li>`;
}

/**
 * What happened to a payment, oldest first: each event of it and of its refunds, with the
 * deliveries that carried it to the merchant's endpoints (each linked to its full record).
 */
export function paymentTimeline(
  events: TimelineEvent[],
  deliveries: DeliverySummary[],
  currency: string,
  retentionNote: string,
): Html {
  if (events.length === 0) {
    return html`<p class="empty-state" data-test-id="payment-timeline-empty">No events recorded for this payment. ${retentionNote}</p>`;
  }
  const byEvent = new Map<string, DeliverySummary[]>();
  for (const delivery of deliveries) {
    if (!delivery.event_id) continue;
    byEvent.set(delivery.event_id, [...(byEvent.get(delivery.event_id) ?? []), delivery]);
  }
  return html`<ol class="timeline" data-test-id="payment-timeline">
  ${events.map((event) => {
    const sent = byEvent.get(event.id) ?? [];
    const refundId = (event.data as { refund?: Refund }).refund?.id;
    return html`<li class="timeline-item" data-test-id="timeline-event" data-event-id="${event.id}" data-event-type="${event.type}">
    <p class="timeline-head"><strong>${describeEvent(event, currency)}</strong> <span class="timeline-when">${timestamp(event.created_at)}</span></p>
    <p class="timeline-meta"><code>${event.type}</code> · <span class="mono">${event.id}</span>${refundId ? html` · <span class="mono">${refundId}</span>` : null}</p>
    ${
      sent.length > 0
        ? html`<ul class="timeline-deliveries">${sent.map(deliveryLink)}</ul>`
        : html`<p class="timeline-meta">${none()} not delivered to any endpoint</p>`
    }
  </li>`;
  })}
</ol>
<p class="help">${retentionNote}</p>`;
}
