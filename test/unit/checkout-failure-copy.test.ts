import { describe, expect, it } from 'vitest';
import { DECLINE_DESCRIPTIONS, type DeclineCode } from '../../common/test-values.js';
import { failureCopy } from '../../web/checkout/failure-copy.js';

const DECLINE_CODES = Object.keys(DECLINE_DESCRIPTIONS) as DeclineCode[];
const METHODS = ['card', 'upi'] as const;

describe('what a buyer reads when a payment fails', () => {
  it('has words of its own for every decline code, never the code or the words meant for the merchant', () => {
    const fallback = failureCopy('SOMETHING_NEW', 'card').message;
    for (const code of DECLINE_CODES) {
      for (const method of METHODS) {
        const copy = failureCopy(code, method);
        expect(copy.message).not.toBe(failureCopy('SOMETHING_NEW', method).message);
        expect(copy.message).not.toContain(code);
        expect(copy.message).not.toContain(DECLINE_DESCRIPTIONS[code]);
        expect(copy.canRetry).toBe(true);
      }
    }
    expect(new Set(DECLINE_CODES.map((code) => failureCopy(code, 'card').message)).size).toBe(
      DECLINE_CODES.length,
    );
    expect(fallback).toBe('Your payment could not be completed. Try another card or pay by UPI.');
  });

  it('points to the other method', () => {
    expect(failureCopy('INSUFFICIENT_FUNDS', 'card').message).toBe(
      'Your bank declined the payment: not enough funds. Try another card or pay by UPI.',
    );
    expect(failureCopy('INSUFFICIENT_FUNDS', 'upi').message).toBe(
      'Your bank declined the payment: not enough funds. Try another UPI ID or pay by card.',
    );
  });

  it('ends an order paid by another payment without a retry', () => {
    const copy = failureCopy('ORDER_ALREADY_PAID', 'upi');
    expect(copy).toMatchObject({ title: 'Order already paid', canRetry: false });
    expect(copy.message).toMatch(/already been paid/);
    expect(copy.message).toMatch(/nothing more was charged/);
  });

  it('falls back to general words for a missing or unknown code, including names on Object.prototype', () => {
    for (const code of [null, '', 'constructor', 'toString', '__proto__']) {
      expect(failureCopy(code, 'card')).toMatchObject({ title: 'Payment not completed', canRetry: true });
    }
  });
});
