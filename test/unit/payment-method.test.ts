import { describe, expect, it } from 'vitest';
import {
  detectCardNetwork,
  isExpiryValid,
  isValidVpa,
  luhnValid,
  normaliseCardNumber,
} from '../../common/payment-instruments.js';
import { DomainError } from '../../src/domain/errors.js';
import { validateCard, validateInstrument } from '../../src/domain/payment-method.js';

const now = new Date('2026-11-15T12:00:00Z');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as DomainError).code;
  }
  return 'no error';
};

describe('VPA', () => {
  it.each(['user@paytm', 'john.doe@okhdfcbank', 'a_b-c.d@ybl', 'X9@upi'])('accepts %s', (vpa) => {
    expect(isValidVpa(vpa)).toBe(true);
  });
  it.each([
    '',
    'user',
    '@paytm',
    'user@',
    'user@pay.tm',
    'us er@paytm',
    'user@@paytm',
    'user@pay_tm',
    'ü@paytm',
  ])('rejects %j', (vpa) => {
    expect(isValidVpa(vpa)).toBe(false);
    expect(codeOf(() => validateInstrument({ method: 'upi', vpa }, now))).toBe('INVALID_VPA');
  });
  it('requires a vpa for upi', () => {
    expect(codeOf(() => validateInstrument({ method: 'upi' }, now))).toBe('BAD_REQUEST_ERROR');
  });
});

describe('card number', () => {
  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
  it('strips spaces and dashes and requires 13–19 digits', () => {
    expect(normaliseCardNumber('4111 1111-1111 1111')).toBe('4111111111111111');
    expect(normaliseCardNumber('4222222222222')).toBe('4222222222222'); // 13 digits
    expect(normaliseCardNumber('6011 0000 0000 0004 000')).toBeNull(); // 19 digits failing Luhn
    expect(normaliseCardNumber('424242424242')).toBeNull(); // 12 digits
    expect(normaliseCardNumber('42424242424242424242')).toBeNull(); // 20 digits
    expect(normaliseCardNumber('4111x11111111111')).toBeNull();
  });
  it.each([
    ['4111111111111111', 'visa'],
    ['5105105105105100', 'mastercard'],
    ['5555555555554444', 'mastercard'],
    ['378282246310005', 'amex'],
    ['371449635398431', 'amex'],
    ['6011111111111117', 'rupay'],
    ['6522222222222222', 'rupay'],
    ['8112345678901234', 'rupay'],
    ['5012345678901234', 'unknown'],
    ['3530111333300000', 'unknown'],
    ['8012345678901234', 'unknown'],
  ])('detects the network of %s as %s', (number, network) => {
    expect(detectCardNetwork(number)).toBe(network);
  });
});

describe('expiry', () => {
  it('accepts the current month, future dates and 2- or 4-digit years', () => {
    expect(isExpiryValid('11', '2026', now)).toBe(true);
    expect(isExpiryValid(11, 26, now)).toBe(true);
    expect(isExpiryValid('12', '26', now)).toBe(true);
    expect(isExpiryValid('01', '2027', now)).toBe(true);
    expect(isExpiryValid(1, 2040, now)).toBe(true);
  });
  it('refuses past months, bad months and odd years', () => {
    expect(isExpiryValid('10', '2026', now)).toBe(false);
    expect(isExpiryValid('12', '2025', now)).toBe(false);
    expect(isExpiryValid('13', '2030', now)).toBe(false);
    expect(isExpiryValid('0', '2030', now)).toBe(false);
    expect(isExpiryValid('ab', '2030', now)).toBe(false);
    expect(isExpiryValid('12', '203', now)).toBe(false);
    expect(isExpiryValid('12', '', now)).toBe(false);
  });
});

describe('card validation', () => {
  const card = { number: '4111111111111111', expiry_month: '12', expiry_year: '2030', cvv: '123' };
  it('keeps only the network and the last four digits', () => {
    const instrument = validateCard(card, now);
    expect(instrument).toEqual({
      method: 'card',
      card: { card_network: 'visa', card_last4: '1111' },
      testOutcome: 'success',
    });
    expect(JSON.stringify(instrument)).not.toContain('4111111111111111');
    expect(JSON.stringify(instrument)).not.toContain('123');
  });
  it('reports each rule with its code', () => {
    expect(codeOf(() => validateCard({ ...card, number: '4111111111111112' }, now))).toBe('INVALID_CARD');
    expect(codeOf(() => validateCard({ ...card, expiry_year: '2020' }, now))).toBe('EXPIRED_CARD');
    expect(codeOf(() => validateCard({ ...card, expiry_month: '13' }, now))).toBe('EXPIRED_CARD');
    expect(codeOf(() => validateCard({ ...card, cvv: '12' }, now))).toBe('BAD_REQUEST_ERROR');
    expect(codeOf(() => validateInstrument({ method: 'card' }, now))).toBe('BAD_REQUEST_ERROR');
  });
  it('marks the failing test card', () => {
    expect(validateCard({ ...card, number: '4000 0000 0000 0002' }, now).testOutcome).toBe('PAYMENT_FAILED');
  });
  it('throws DomainError instances', () => {
    expect(() => validateCard({ ...card, number: '1' }, now)).toThrow(DomainError);
  });
});
