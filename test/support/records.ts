import type { PaymentRecord } from '../../src/domain/records.js';

/** A pending UPI payment as the create path stores it, for tests that write or render rows directly. */
export function pendingUpiPayment(
  fields: Pick<PaymentRecord, 'id' | 'order_id' | 'merchant_id' | 'amount' | 'currency' | 'vpa'>,
  at: Date,
): PaymentRecord {
  return {
    id: fields.id,
    order_id: fields.order_id,
    merchant_id: fields.merchant_id,
    amount: fields.amount,
    currency: fields.currency,
    method: 'upi',
    vpa: fields.vpa,
    card_network: null,
    card_last4: null,
    status: 'pending',
    captured: false,
    amount_refunded: 0,
    error_code: null,
    error_description: null,
    test_outcome: null,
    process_after: at,
    created_at: at,
    updated_at: at,
  };
}
