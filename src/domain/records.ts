import type { PaymentMethod } from '../../common/payment-instruments.js';
import type { TestOutcome } from '../../common/test-values.js';
import type { CardNetwork } from './payment-method.js';

/** The gateway's records as the application sees them (timestamps are Dates, money is integers). */
export type OrderStatus = 'created' | 'paid';
export type PaymentStatus = 'pending' | 'success' | 'failed';
export type { PaymentMethod };
export type RefundStatus = 'pending' | 'processed';
export type WebhookStatus = 'pending' | 'success' | 'failed';

export interface MerchantRecord {
  id: string;
  name: string;
  email: string;
  api_key: string;
  webhook_url: string | null;
  webhook_secret: string;
  created_at: Date;
}

export interface OrderRecord {
  id: string;
  merchant_id: string;
  amount: number;
  currency: string;
  receipt: string | null;
  notes: Record<string, unknown>;
  status: OrderStatus;
  created_at: Date;
  updated_at: Date;
}

export interface PaymentRecord {
  id: string;
  order_id: string;
  merchant_id: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  vpa: string | null;
  card_network: CardNetwork | null;
  card_last4: string | null;
  status: PaymentStatus;
  captured: boolean;
  amount_refunded: number;
  error_code: string | null;
  error_description: string | null;
  /** The test value the payment was made with; null for any other instrument. */
  test_outcome: TestOutcome | null;
  process_after: Date;
  created_at: Date;
  updated_at: Date;
}

export interface RefundRecord {
  id: string;
  payment_id: string;
  merchant_id: string;
  amount: number;
  reason: string | null;
  status: RefundStatus;
  process_after: Date;
  created_at: Date;
  processed_at: Date | null;
  updated_at: Date;
}

export interface WebhookLogRecord {
  id: string;
  merchant_id: string;
  event: string;
  resource_id: string | null;
  payload: string;
  status: WebhookStatus;
  attempts: number;
  generation: number;
  last_attempt_at: Date | null;
  next_retry_at: Date | null;
  response_code: number | null;
  response_body: string | null;
  created_at: Date;
  endpoint_id: string | null;
  event_id: string | null;
}
