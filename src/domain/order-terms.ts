import { badRequest } from './errors.js';
import type { OrderRecord } from './records.js';

/**
 * A payment pays its order's amount in its order's currency. Clients may repeat them in the
 * request; then they must agree. A paid order takes no further payment.
 */
export function assertOrderTerms(
  order: Pick<OrderRecord, 'amount' | 'currency' | 'status'>,
  request: { amount?: number; currency?: string },
): void {
  if (request.amount !== undefined && request.amount !== order.amount) {
    throw badRequest('amount does not match the order', 'amount');
  }
  if (request.currency !== undefined && request.currency.toUpperCase() !== order.currency) {
    throw badRequest('currency does not match the order', 'currency');
  }
  if (order.status !== 'created') throw badRequest('Order already paid');
}
