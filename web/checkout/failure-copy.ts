import type { DeclineCode } from '../../common/test-values.js';
import type { Method } from './view.js';

/**
 * What a payer reads when a payment ends `failed`, per `error_code`: plain words, never the code
 * or the description written for the merchant. The actions say what the error panel offers.
 */
export type FailureCode = DeclineCode | 'ORDER_ALREADY_PAID';

export interface FailureCopy {
  title: string;
  message: string;
  /** "Try again" and "Pay another way"; false when another attempt cannot help. */
  canRetry: boolean;
}

const OTHER_WAY: Record<Method, string> = {
  card: 'Try another card or pay by UPI.',
  upi: 'Try another UPI ID or pay by card.',
};

const OTHER_METHOD: Record<Method, string> = { card: 'pay by UPI', upi: 'pay by card' };

const COPY_BY_CODE: Record<FailureCode, (method: Method) => FailureCopy> = {
  PAYMENT_FAILED: (method) => ({
    title: 'Payment declined',
    message: `Your bank declined the payment. ${OTHER_WAY[method]}`,
    canRetry: true,
  }),
  INSUFFICIENT_FUNDS: (method) => ({
    title: 'Payment declined',
    message: `Your bank declined the payment: not enough funds. ${OTHER_WAY[method]}`,
    canRetry: true,
  }),
  INCORRECT_CVC: (method) => ({
    title: 'Payment declined',
    message: `Your bank declined the payment: the card's security code (CVV) is incorrect. Enter the card again with the right code, or ${OTHER_METHOD[method]}.`,
    canRetry: true,
  }),
  PROCESSING_ERROR: (method) => ({
    title: 'Payment not completed',
    message: `Your bank could not process the payment just now, and nothing was charged. Try again in a moment, or ${OTHER_METHOD[method]}.`,
    canRetry: true,
  }),
  ORDER_ALREADY_PAID: () => ({
    title: 'Order already paid',
    message: 'This order has already been paid, so this payment was not taken: nothing more was charged.',
    canRetry: false,
  }),
};

// A Map, so that a code such as "constructor" finds nothing.
const COPY = new Map<string, (method: Method) => FailureCopy>(Object.entries(COPY_BY_CODE));

export function failureCopy(code: string | null, method: Method): FailureCopy {
  return (
    COPY.get(code ?? '')?.(method) ?? {
      title: 'Payment not completed',
      message: `Your payment could not be completed. ${OTHER_WAY[method]}`,
      canRetry: true,
    }
  );
}
