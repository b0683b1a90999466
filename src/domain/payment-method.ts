import { badRequest, DomainError } from './errors.js';

/**
 * Validation of the payment instrument exactly as the contract states it, plus the two magic
 * test-mode instruments that always fail (like Stripe's test cards).
 */
export type CardNetwork = 'visa' | 'mastercard' | 'amex' | 'rupay' | 'unknown';

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
  | { method: 'upi'; vpa: string; alwaysFails: boolean }
  | { method: 'card'; card: CardSummary; alwaysFails: boolean };

const VPA_PATTERN = /^[a-zA-Z0-9._-]+@[a-zA-Z0-9]+$/;
export const FAILING_TEST_VPA = 'failure@test';
export const FAILING_TEST_CARD = '4000000000000002';

export function isValidVpa(vpa: string): boolean {
  return vpa.length <= 255 && VPA_PATTERN.test(vpa);
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Strips spaces and dashes; null unless the result is 13–19 digits passing Luhn. */
export function normaliseCardNumber(number: string): string | null {
  const digits = number.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(digits)) return null;
  return luhnValid(digits) ? digits : null;
}

export function detectCardNetwork(digits: string): CardNetwork {
  if (/^4/.test(digits)) return 'visa';
  if (/^5[1-5]/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^(60|65|8[1-9])/.test(digits)) return 'rupay';
  return 'unknown';
}

function parseExpiryPart(value: string | number): number | null {
  const text = String(value).trim();
  return /^\d{1,4}$/.test(text) ? Number(text) : null;
}

/**
 * A card is valid through the last day of its expiry month, so the current month is still valid.
 * Two-digit years are 20YY.
 */
export function isExpiryValid(month: string | number, year: string | number, now: Date): boolean {
  const m = parseExpiryPart(month);
  const rawYear = String(year).trim();
  const y = parseExpiryPart(year);
  if (m === null || m < 1 || m > 12 || y === null) return false;
  let fullYear: number;
  if (rawYear.length === 2) fullYear = 2000 + y;
  else if (rawYear.length === 4) fullYear = y;
  else return false;
  const currentYear = now.getUTCFullYear();
  const currentMonth = now.getUTCMonth() + 1;
  return fullYear > currentYear || (fullYear === currentYear && m >= currentMonth);
}

export function validateUpi(vpa: string | undefined): Instrument {
  if (vpa === undefined) throw badRequest('vpa is required for upi payments', 'vpa');
  if (!isValidVpa(vpa)) throw new DomainError('INVALID_VPA', 'Invalid VPA format', 'vpa');
  return { method: 'upi', vpa, alwaysFails: vpa.toLowerCase() === FAILING_TEST_VPA };
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
    alwaysFails: digits === FAILING_TEST_CARD,
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
