import { badRequest } from './errors.js';
import { MAX_AMOUNT } from './money.js';

/**
 * Refund rules. The balance and the payment's state are guarded atomically in PostgreSQL (see
 * db/refunds.ts); the amount's own rule is checked before any row is touched.
 */
export function assertRefundAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw badRequest('amount must be a positive integer', 'amount');
  }
  if (amount > MAX_AMOUNT) throw badRequest(`amount must be at most ${MAX_AMOUNT}`, 'amount');
}

export const REFUND_EXCEEDS_MESSAGE = 'Refund amount exceeds available amount';
export const NOT_REFUNDABLE_MESSAGE = 'Payment not in refundable state';
