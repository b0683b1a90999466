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
  const payment = await getPayment(runtime, merchantId, paymentId);
  const [refunds, webhooks, events] = await Promise.all([
    listPaymentRefunds(runtime, merchantId, payment.id, { limit: DETAIL_REFUNDS, offset: 0 }),
    paymentDeliveries(runtime, merchantId, payment.id, DETAIL_DELIVERIES),
    paymentEvents(runtime, merchantId, payment.id, DETAIL_EVENTS),
  ]);
  return { payment, refunds: refunds.data, refunds_total: refunds.total, webhooks, events };
}
