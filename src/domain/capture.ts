import { badRequest } from './errors.js';
import type { PaymentRecord } from './records.js';

export const NOT_CAPTURABLE_MESSAGE = 'Payment not in capturable state';

/**
 * A payment is captured once, in full, and only after it succeeded; once any of it is refunded
 * (pending or processed), it is no longer capturable.
 */
export function assertCapturable(
  payment: Pick<PaymentRecord, 'status' | 'captured' | 'amount' | 'amount_refunded'>,
  amount: number,
) {
  if (payment.status !== 'success' || payment.captured || payment.amount_refunded > 0) {
    throw badRequest(NOT_CAPTURABLE_MESSAGE);
  }
  if (amount !== payment.amount) throw badRequest('Capture amount must equal the payment amount', 'amount');
}
