import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../common/currency.js';
import { normaliseCardNumber } from '../../common/payment-instruments.js';
import type { DomainError } from '../../src/domain/errors.js';
import { validateCard, validateUpi } from '../../src/domain/payment-method.js';
import { positionAfterDigits } from '../../web/checkout/input-formatting.js';
import {
  cardDigits,
  cardNumberError,
  cvvError,
  expiryError,
  formatCardNumber,
  formatExpiry,
  holderNameError,
  networkLabel,
  parseExpiry,
  vpaError,
} from '../../web/checkout/payment-rules.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const serverCode = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (err) {
    return (err as DomainError).code;
  }
};

/** Strings made of what payers actually type, so that both outcomes occur often. */
const typed = (chars: string, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength });

/** A card number that passes Luhn: any digits plus the check digit. */
const luhnNumber = fc.stringMatching(/^\d{12,18}$/).map((body) => {
  for (let check = 0; check <= 9; check++) {
    if (normaliseCardNumber(`${body}${check}`)) return `${body}${check}`;
  }
  throw new Error('unreachable');
});

describe('inline validation agrees with the API', () => {
  it('VPA: the page accepts exactly what the server accepts', () => {
    fc.assert(
      fc.property(fc.oneof(typed('ab1._-@ Z', 14), fc.string()), (vpa) => {
        expect(vpaError(vpa) === null).toBe(serverCode(() => validateUpi(vpa.trim())) === null);
      }),
      { numRuns: 2000 },
    );
  });

  it('card number: 13–19 digits after spaces and dashes, passing Luhn', () => {
    fc.assert(
      fc.property(fc.oneof(typed('0123456789 -', 24), luhnNumber, fc.string()), (number) => {
        expect(cardNumberError(number) === null).toBe(normaliseCardNumber(number) !== null);
      }),
      { numRuns: 2000 },
    );
    expect(cardNumberError('4111 1111 1111 1111')).toBeNull();
    expect(cardNumberError('4111-1111-1111-1111')).toBeNull();
    expect(cardNumberError('4111 1111 1111 1112')).toMatch(/not valid/);
    expect(cardNumberError('4111')).toMatch(/13 to 19/);
    expect(cardNumberError('')).toMatch(/Enter/);
  });

  it('expiry: MM/YY through the end of its month, as the server decides', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 20, max: 40 }), (month, year) => {
        const text = `${String(month).padStart(2, '0')}/${year}`;
        const expiry = parseExpiry(text);
        const card = {
          number: '4111111111111111',
          cvv: '123',
          expiry_month: expiry?.month ?? '',
          expiry_year: expiry?.year ?? '',
        };
        expect(expiryError(text, NOW) === null).toBe(serverCode(() => validateCard(card, NOW)) === null);
      }),
    );
    expect(expiryError('06/26', NOW)).toBeNull();
    expect(expiryError('05/26', NOW)).toMatch(/expired/);
    expect(expiryError('12/2030', NOW)).toBeNull();
    expect(expiryError('1230', NOW)).toMatch(/MM\/YY/);
    expect(expiryError('00/30', NOW)).toMatch(/01 to 12/);
  });

  it('CVV: 3 or 4 digits', () => {
    fc.assert(
      fc.property(typed('0123456789a ', 6), (cvv) => {
        const card = { number: '4111111111111111', expiry_month: '12', expiry_year: '30', cvv: cvv.trim() };
        expect(cvvError(cvv) === null).toBe(serverCode(() => validateCard(card, NOW)) === null);
      }),
    );
  });

  it('name on card: optional, at most 255 characters like the API', () => {
    expect(holderNameError('')).toBeNull();
    expect(holderNameError('x'.repeat(255))).toBeNull();
    expect(holderNameError('x'.repeat(256))).toMatch(/255/);
  });
});

describe('what the payer sees while typing', () => {
  it('shows the network from the first digits', () => {
    expect(networkLabel('')).toBe('');
    expect(networkLabel('4')).toBe('Visa');
    expect(networkLabel('5105 1051')).toBe('Mastercard');
    expect(networkLabel('50')).toBe('');
    expect(networkLabel('37')).toBe('American Express');
    expect(networkLabel('6522')).toBe('RuPay');
    expect(networkLabel('82')).toBe('RuPay');
  });

  it('groups card digits as printed on the card', () => {
    expect(formatCardNumber('4111111111111111')).toBe('4111 1111 1111 1111');
    expect(formatCardNumber('4111-1111 11')).toBe('4111 1111 11');
    expect(formatCardNumber('378282246310005')).toBe('3782 822463 10005');
    expect(formatCardNumber('4'.repeat(25))).toBe('4444 4444 4444 4444 444');
    expect(cardDigits(formatCardNumber('6011111111111117'))).toBe('6011111111111117');
  });

  it('puts the slash into the expiry and keeps a typed four-digit year', () => {
    expect(formatExpiry('1')).toBe('1');
    expect(formatExpiry('12')).toBe('12');
    expect(formatExpiry('123')).toBe('12/3');
    expect(formatExpiry('12345')).toBe('12/34');
    expect(formatExpiry('12/')).toBe('12/');
    expect(formatExpiry('12/2030')).toBe('12/2030');
    expect(formatExpiry('1a2/3b0')).toBe('12/30');
  });

  it('keeps the caret after the same digit when the text is regrouped', () => {
    expect(positionAfterDigits('4111 1', 5)).toBe(6);
    expect(positionAfterDigits('4111 1', 4)).toBe(4);
    expect(positionAfterDigits('12/3', 3)).toBe(4);
    expect(positionAfterDigits('12/3', 0)).toBe(0);
    expect(positionAfterDigits('12', 9)).toBe(2);
  });

  it('formats amounts in the smallest unit as currency', () => {
    expect(formatAmount(50_000, 'INR')).toBe('₹500.00');
    expect(formatAmount(100, 'INR')).toBe('₹1.00');
    expect(formatAmount(12_345_678, 'INR')).toBe('₹1,23,456.78');
    expect(formatAmount(1999, 'USD')).toBe('$19.99');
    expect(formatAmount(500, 'JPY')).toBe('JP¥500');
    expect(formatAmount(500, 'ZZZ')).toMatch(/ZZZ/);
    expect(formatAmount(500, 'not a code')).toBe('not a code 500');
  });
});
