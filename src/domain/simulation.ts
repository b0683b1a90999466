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

export type PaymentOutcome =
  | { status: 'success' }
  | { status: 'failed'; error_code: 'PAYMENT_FAILED'; error_description: string };

const between = (min: number, max: number, random: Random) => min + Math.floor(random() * (max - min + 1));

export function paymentDelayMs(settings: SimulationSettings, random: Random): number {
  return settings.testMode ? settings.testProcessingDelayMs : between(5000, 10_000, random);
}

export function refundDelayMs(settings: SimulationSettings, random: Random): number {
  return settings.testMode ? settings.testProcessingDelayMs : between(3000, 5000, random);
}

const SUCCESS_RATE = { upi: 0.9, card: 0.95 } as const;

export function decidePaymentOutcome(
  settings: SimulationSettings,
  payment: { method: 'upi' | 'card'; test_decline: boolean },
  random: Random,
): PaymentOutcome {
  if (settings.testMode) {
    if (payment.test_decline) return failed('Payment declined by the test instrument');
    return settings.testPaymentSuccess
      ? { status: 'success' }
      : failed('Payment failed (TEST_PAYMENT_SUCCESS=false)');
  }
  return random() < SUCCESS_RATE[payment.method]
    ? { status: 'success' }
    : failed('Payment declined by the bank');
}

function failed(description: string): PaymentOutcome {
  return { status: 'failed', error_code: 'PAYMENT_FAILED', error_description: description };
}
