import { badRequest } from './errors.js';
import type { PaymentRecord } from './records.js';

export const NOT_CAPTURABLE_MESSAGE = 'Payment not in capturable state';

/** A payment is captured once, in full, and only after it succeeded. */
export function assertCapturable(
  payment: Pick<PaymentRecord, 'status' | 'captured' | 'amount'>,
  amount: number,
) {
  if (payment.status !== 'success' || payment.captured) throw badRequest(NOT_CAPTURABLE_MESSAGE);
  if (amount !== payment.amount) throw badRequest('Capture amount must equal the payment amount', 'amount');
}
