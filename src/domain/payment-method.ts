import {
  type CardNetwork,
  detectCardNetwork,
  isExpiryValid,
  isValidVpa,
  normaliseCardNumber,
} from '../../common/payment-instruments.js';
import { type TestOutcome, testOutcomeOf } from '../../common/test-values.js';
import { badRequest, DomainError } from './errors.js';

export type { CardNetwork };

/**
 * Validation of the payment instrument, and which test value (if any) it is: in test mode those
 * card numbers and VPAs end the payment in a chosen way, like Stripe's test cards.
 */

export interface CardInput {
  number: string;
  expiry_month: string | number;
  expiry_year: string | number;
  cvv: string;
  holder_name?: string | null;
}

/** What is kept of a card: the rest never leaves this function's caller. */
export interface CardSummary {
  card_network: CardNetwork;
  card_last4: string;
}

export type Instrument =
  | { method: 'upi'; vpa: string; testOutcome: TestOutcome }
  | { method: 'card'; card: CardSummary; testOutcome: TestOutcome };

export function validateUpi(vpa: string | undefined): Instrument {
  if (vpa === undefined) throw badRequest('vpa is required for upi payments', 'vpa');
  if (!isValidVpa(vpa)) throw new DomainError('INVALID_VPA', 'Invalid VPA format', 'vpa');
  return { method: 'upi', vpa, testOutcome: testOutcomeOf({ method: 'upi', vpa }) };
}

export function validateCard(card: CardInput | undefined, now: Date): Instrument {
  if (card === undefined) throw badRequest('card is required for card payments', 'card');
  const digits = normaliseCardNumber(card.number);
  if (digits === null) throw new DomainError('INVALID_CARD', 'Invalid card number', 'card.number');
  if (!isExpiryValid(card.expiry_month, card.expiry_year, now)) {
    throw new DomainError(
      'EXPIRED_CARD',
      'Card is expired or the expiry date is invalid',
      'card.expiry_month',
    );
  }
  if (!/^\d{3,4}$/.test(card.cvv)) throw badRequest('cvv must be 3 or 4 digits', 'card.cvv');
  return {
    method: 'card',
    card: { card_network: detectCardNetwork(digits), card_last4: digits.slice(-4) },
    testOutcome: testOutcomeOf({ method: 'card', digits }),
  };
}

export function validateInstrument(
  input: { method: string; vpa?: string; card?: CardInput },
  now: Date,
): Instrument {
  if (input.method === 'upi') return validateUpi(input.vpa);
  if (input.method === 'card') return validateCard(input.card, now);
  throw badRequest('method must be one of upi, card', 'method');
}
