import {
  type CardNetwork,
  detectCardNetwork,
  isExpiryValid,
  isValidVpa,
  luhnValid,
} from '../../common/payment-instruments.js';

/**
 * Inline validation of the checkout form. The rules are the server's own (common/payment-instruments.ts),
 * so the page never rejects what the API would accept, or the reverse; this file only adds
 * the messages a payer reads and the formatting of what they type.
 */
export type FieldError = string | null;

export function vpaError(value: string): FieldError {
  const vpa = value.trim();
  if (vpa === '') return 'Enter your UPI ID';
  if (!isValidVpa(vpa)) return 'Enter a UPI ID like name@bank';
  return null;
}

/** Card numbers may be typed with spaces or dashes, as the API accepts them. */
export function cardDigits(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export function cardNumberError(value: string): FieldError {
  const digits = cardDigits(value);
  if (digits === '') return 'Enter your card number';
  if (!/^\d+$/.test(digits)) return 'A card number has digits only';
  if (digits.length < 13 || digits.length > 19) return 'A card number has 13 to 19 digits';
  if (!luhnValid(digits)) return 'This card number is not valid; check it for typos';
  return null;
}

export interface Expiry {
  month: string;
  year: string;
}

/** `MM/YY` (the API also takes four-digit years, so `MM/YYYY` is read too). */
export function parseExpiry(value: string): Expiry | null {
  const match = /^\s*(\d{2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
  return match ? { month: match[1] as string, year: match[2] as string } : null;
}

export function expiryError(value: string, now: Date): FieldError {
  if (value.trim() === '') return 'Enter the expiry date';
  const expiry = parseExpiry(value);
  if (!expiry) return 'Enter the expiry date as MM/YY';
  const month = Number(expiry.month);
  if (month < 1 || month > 12) return 'The month must be 01 to 12';
  if (!isExpiryValid(expiry.month, expiry.year, now)) return 'This card has expired';
  return null;
}

export function cvvError(value: string): FieldError {
  if (value.trim() === '') return 'Enter the CVV';
  if (!/^\d{3,4}$/.test(value.trim())) return 'The CVV is 3 or 4 digits';
  return null;
}

export const HOLDER_NAME_MAX = 255;

export function holderNameError(value: string): FieldError {
  return value.trim().length > HOLDER_NAME_MAX
    ? `The name can be at most ${HOLDER_NAME_MAX} characters`
    : null;
}

const NETWORK_LABELS: Record<CardNetwork, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  rupay: 'RuPay',
  unknown: '',
};

/** The network as the payer types, from the first digits (empty until one is recognised). */
export function networkLabel(value: string): string {
  const digits = cardDigits(value).replace(/\D/g, '');
  return digits === '' ? '' : NETWORK_LABELS[detectCardNetwork(digits)];
}

/** Groups digits as printed on the card: 4-6-5 for American Express, fours otherwise. */
export function formatCardNumber(value: string): string {
  const digits = value.replace(/\D/g, '').slice(0, 19);
  const groups = detectCardNetwork(digits) === 'amex' ? [4, 6, 5] : [4, 4, 4, 4, 3];
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  return parts.join(' ');
}

/**
 * Puts the slash in as the payer types ("1230" → "12/30"); when they typed a slash themselves their
 * split is kept, so "12/2030" stays a four-digit year.
 */
export function formatExpiry(value: string): string {
  const slash = value.indexOf('/');
  if (slash >= 0) {
    const month = value.slice(0, slash).replace(/\D/g, '').slice(0, 2);
    const year = value
      .slice(slash + 1)
      .replace(/\D/g, '')
      .slice(0, 4);
    return `${month}/${year}`;
  }
  const digits = value.replace(/\D/g, '').slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
}
