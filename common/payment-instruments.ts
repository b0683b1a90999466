/**
 * The rules of a valid payment instrument: VPA syntax, card number (13–19 digits, Luhn), network and
 * expiry. Pure, shared by the API (which enforces them) and the checkout page (which explains them as
 * the buyer types), so neither ever refuses what the other accepts.
 */
export type CardNetwork = 'visa' | 'mastercard' | 'amex' | 'rupay' | 'unknown';

/** How a buyer pays. */
export type PaymentMethod = 'upi' | 'card';

const VPA_PATTERN = /^[a-zA-Z0-9._-]+@[a-zA-Z0-9]+$/;

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
