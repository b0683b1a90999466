import type { Runtime } from '../runtime.js';
import { getPayment } from '../services/payments.js';
import { listPaymentRefunds } from '../services/refunds.js';
import { listWebhooks } from '../services/webhooks.js';

// A payment's detail lists its refunds and the deliveries of its events and of its refunds' events.
const DETAIL_REFUNDS = 50;
const DETAIL_DELIVERIES = 50;

/** One payment with its refunds and webhook deliveries; another merchant's payment is not found. */
export async function paymentDetail(rt: Runtime, merchantId: string, paymentId: string) {
  const payment = await getPayment(rt, merchantId, paymentId);
  const refunds = await listPaymentRefunds(rt, merchantId, payment.id, { limit: DETAIL_REFUNDS, offset: 0 });
  const resources = [payment.id, ...refunds.data.map((refund) => refund.id)];
  const deliveries = await Promise.all(
    resources.map((resourceId) =>
      listWebhooks(rt, merchantId, { resource_id: resourceId, limit: DETAIL_DELIVERIES, offset: 0 }),
    ),
  );
  const webhooks = deliveries
    .flatMap((page) => page.data)
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .slice(0, DETAIL_DELIVERIES);
  return { payment, refunds: refunds.data, refunds_total: refunds.total, webhooks };
}
