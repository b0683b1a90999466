import { DECLINE_DESCRIPTIONS, type DeclineCode, type TestOutcome } from '../../common/test-values.js';

/**
 * The simulated bank: how long processing takes and how it ends. Pure functions of the settings,
 * the instrument and an injected random source, so tests can pin every branch.
 */
export interface SimulationSettings {
  testMode: boolean;
  testProcessingDelayMs: number;
  testPaymentSuccess: boolean;
}

export type Random = () => number;

export type PaymentErrorCode = DeclineCode | 'ORDER_ALREADY_PAID';

export type PaymentOutcome =
  | { status: 'success' }
  | { status: 'failed'; error_code: PaymentErrorCode; error_description: string };

/** A payment that succeeds at the bank after its order was paid by another one takes no money. */
export const ORDER_ALREADY_PAID: Extract<PaymentOutcome, { status: 'failed' }> = {
  status: 'failed',
  error_code: 'ORDER_ALREADY_PAID',
  error_description: 'The order was already paid by another payment; this payment was not charged.',
};

const between = (min: number, max: number, random: Random) => min + Math.floor(random() * (max - min + 1));

export function paymentDelayMs(settings: SimulationSettings, random: Random): number {
  return settings.testMode ? settings.testProcessingDelayMs : between(5000, 10_000, random);
}

export function refundDelayMs(settings: SimulationSettings, random: Random): number {
  return settings.testMode ? settings.testProcessingDelayMs : between(3000, 5000, random);
}

const SUCCESS_RATE = { upi: 0.9, card: 0.95 } as const;

/**
 * How a payment ends at its decision. Test values decide in test mode (each decline with its own
 * code); otherwise TEST_PAYMENT_SUCCESS does in test mode, and chance outside it.
 */
export function decidePaymentOutcome(
  settings: SimulationSettings,
  payment: { method: 'upi' | 'card'; test_outcome: TestOutcome | null },
  random: Random,
): PaymentOutcome {
  if (settings.testMode) {
    const asked = payment.test_outcome;
    if (asked && isDeclineCode(asked)) return declined(asked, DECLINE_DESCRIPTIONS[asked]);
    if (asked === 'DISPUTED') return { status: 'success' };
    return settings.testPaymentSuccess
      ? { status: 'success' }
      : declined('PAYMENT_FAILED', 'The payment was declined (TEST_PAYMENT_SUCCESS=false).');
  }
  return random() < SUCCESS_RATE[payment.method]
    ? { status: 'success' }
    : declined('PAYMENT_FAILED', 'The payment was declined by the bank.');
}

const isDeclineCode = (outcome: TestOutcome): outcome is DeclineCode => outcome in DECLINE_DESCRIPTIONS;

function declined(code: PaymentErrorCode, description: string): PaymentOutcome {
  return { status: 'failed', error_code: code, error_description: description };
}
