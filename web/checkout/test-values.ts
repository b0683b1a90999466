import type { PaymentMethod as Method } from '../../common/payment-instruments.js';
import { SUCCEEDING_TEST_VALUES, TEST_VALUES, type TestOutcome } from '../../common/test-values.js';

/**
 * The test instruments offered as chips when the gateway runs in test mode, straight from the
 * table the simulated bank decides by, so a chip always does what its label says.
 */
export interface TestInstrument {
  method: Method;
  /** What goes into the field: a VPA, or the card number's digits. */
  value: string;
  /** As printed on the chip: a VPA whole, a card by its last four digits (the field shows it all). */
  display: string;
  outcome: TestOutcome;
  label: string;
}

/** Short enough for a chip; the table's summaries are written for the docs. */
const OUTCOME_LABELS: Record<TestOutcome, string> = {
  success: 'Succeeds',
  PAYMENT_FAILED: 'Declined',
  INSUFFICIENT_FUNDS: 'Insufficient funds',
  INCORRECT_CVC: 'Incorrect CVV',
  PROCESSING_ERROR: 'Processing error',
  DISPUTED: 'Succeeds (dispute card)',
};

export function testInstruments(method: Method): TestInstrument[] {
  const instrument = (value: string, outcome: TestOutcome): TestInstrument => ({
    method,
    value,
    display: method === 'card' ? value.slice(-4) : value,
    outcome,
    label: OUTCOME_LABELS[outcome],
  });
  const succeeding = method === 'card' ? SUCCEEDING_TEST_VALUES.card : SUCCEEDING_TEST_VALUES.vpa;
  return [
    instrument(succeeding, 'success'),
    ...TEST_VALUES.flatMap((entry) =>
      (method === 'card' ? entry.cards : entry.vpas).map((value) => instrument(value, entry.outcome)),
    ),
  ];
}
