import type { Runtime } from '../runtime.js';
import { paymentEvents } from '../services/events.js';
import { getPayment } from '../services/payments.js';
import { listPaymentRefunds } from '../services/refunds.js';
import { paymentDeliveries } from '../services/webhooks.js';

// A payment's detail lists its refunds, the events of it and of its refunds (its timeline), and the
// deliveries of those events.
const DETAIL_REFUNDS = 50;
const DETAIL_DELIVERIES = 50;
const DETAIL_EVENTS = 100;

/** One payment with its refunds, events and webhook deliveries; another merchant's payment is not found. */
export async function paymentDetail(runtime: Runtime, merchantId: string, paymentId: string) {
  // The statuses are read before the events: a state change commits with its event, so a refund read
  // as processed has its refund.processed in the timeline read after it, and one read as pending
  // keeps the page refreshing. Read side by side, the timeline could miss the event of a change the
  // statuses already showed, and the page would stop refreshing one event short.
  const payment = await getPayment(runtime, merchantId, paymentId);
  const refunds = await listPaymentRefunds(runtime, merchantId, payment.id, {
    limit: DETAIL_REFUNDS,
    offset: 0,
  });
  const [webhooks, events] = await Promise.all([
    paymentDeliveries(runtime, merchantId, payment.id, DETAIL_DELIVERIES),
    paymentEvents(runtime, merchantId, payment.id, DETAIL_EVENTS),
  ]);
  return { payment, refunds: refunds.data, refunds_total: refunds.total, webhooks, events };
}
