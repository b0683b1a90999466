import { badRequest } from './errors.js';
import { MAX_AMOUNT } from './money.js';
import type { PaymentRecord } from './records.js';

/**
 * Refund rules. The balance itself is guarded atomically in PostgreSQL (see db/refunds.ts); these
 * checks give the precise message before any row is touched.
 */
export function assertRefundAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw badRequest('amount must be a positive integer', 'amount');
  }
  if (amount > MAX_AMOUNT) throw badRequest(`amount must be at most ${MAX_AMOUNT}`, 'amount');
}

export function assertRefundable(payment: Pick<PaymentRecord, 'status'>): void {
  if (payment.status !== 'success') throw badRequest('Payment not in refundable state');
}

export const refundableAmount = (payment: Pick<PaymentRecord, 'amount' | 'amount_refunded'>) =>
  payment.amount - payment.amount_refunded;

export const REFUND_EXCEEDS_MESSAGE = 'Refund amount exceeds available amount';
