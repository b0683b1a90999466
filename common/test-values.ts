/**
 * Test values: card numbers and VPAs that, in test mode, end a payment in a chosen way, each failure
 * with its own error code. One table for the simulated bank, the checkout page's hints, the CLI's
 * `trigger` and the docs. Pure data, no imports: the server and the browser bundles both use it.
 */
export type TestOutcome =
  | 'success'
  | 'PAYMENT_FAILED'
  | 'INSUFFICIENT_FUNDS'
  | 'INCORRECT_CVC'
  | 'PROCESSING_ERROR'
  | 'DISPUTED';

export type DeclineCode = Exclude<TestOutcome, 'success' | 'DISPUTED'>;

export interface TestValue {
  outcome: TestOutcome;
  /** Digits only (spaces and dashes are stripped before matching). */
  cards: readonly string[];
  /** Matched case-insensitively. */
  vpas: readonly string[];
  /** What the table says happens. */
  summary: string;
}

/** The plain decline (PAYMENT_FAILED), for whatever needs "a payment that fails". */
export const DECLINING_TEST_VALUES = { card: '4000000000000002', vpa: 'failure@test' } as const;

export const TEST_VALUES: readonly TestValue[] = [
  {
    outcome: 'PAYMENT_FAILED',
    cards: [DECLINING_TEST_VALUES.card],
    vpas: [DECLINING_TEST_VALUES.vpa],
    summary: 'Declined',
  },
  {
    outcome: 'INSUFFICIENT_FUNDS',
    cards: ['4000000000009995'],
    vpas: ['insufficient@test'],
    summary: 'Declined: insufficient funds',
  },
  {
    outcome: 'INCORRECT_CVC',
    cards: ['4000000000000127'],
    vpas: [],
    summary: 'Declined: incorrect CVC',
  },
  {
    outcome: 'PROCESSING_ERROR',
    cards: ['4000000000000119'],
    vpas: ['error@test'],
    summary: 'Declined: processing error',
  },
  {
    outcome: 'DISPUTED',
    cards: ['4000000000000259'],
    vpas: [],
    summary:
      'Succeeds; reserved for disputes, which this gateway does not simulate yet (no payment.disputed event)',
  },
];

/** Values that succeed, to show beside the failing ones. */
export const SUCCEEDING_TEST_VALUES = { card: '4111111111111111', vpa: 'success@test' } as const;

/** What the merchant reads in `error_description` for each decline. */
export const DECLINE_DESCRIPTIONS: Record<DeclineCode, string> = {
  PAYMENT_FAILED: 'The payment was declined.',
  INSUFFICIENT_FUNDS: 'The payment was declined because the account has insufficient funds.',
  INCORRECT_CVC: "The payment was declined because the card's security code is incorrect.",
  PROCESSING_ERROR: 'An error occurred while processing the payment. Try again in a little while.',
};

/** The outcome a test instrument asks for, or 'success' for any other card or VPA. */
export function testOutcomeOf(
  instrument: { method: 'card'; digits: string } | { method: 'upi'; vpa: string },
): TestOutcome {
  const match =
    instrument.method === 'card'
      ? TEST_VALUES.find((value) => value.cards.includes(instrument.digits))
      : TEST_VALUES.find((value) => value.vpas.includes(instrument.vpa.toLowerCase()));
  return match?.outcome ?? 'success';
}

/** Groups of four, as a card number is printed: "4000 0000 0000 0002". */
export function formatCardNumber(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}
