import { describe, expect, it } from 'vitest';
import { returnAddress } from '../../web/checkout/return-address.js';

const payment = { id: 'pay_abcdefghijklmnop', order_id: 'order_abcdefghijklmnop', status: 'success' };

describe("the merchant's return address after a hosted payment", () => {
  it('appends payment_id, order_id and status, keeping what the address already had', () => {
    const url = new URL(returnAddress('https://shop.example/thanks?cart=7#top', payment) as string);
    expect(url.origin + url.pathname).toBe('https://shop.example/thanks');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      cart: '7',
      payment_id: payment.id,
      order_id: payment.order_id,
      status: 'success',
    });
    expect(url.hash).toBe('#top');
  });

  it('replaces, never duplicates, a parameter the address already names', () => {
    const url = new URL(returnAddress('http://127.0.0.1:4000/back?status=pending', payment) as string);
    expect(url.searchParams.getAll('status')).toEqual(['success']);
  });

  it('follows only http(s) addresses', () => {
    for (const callback of [
      null,
      undefined,
      '',
      'not a url',
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://x',
    ]) {
      expect(returnAddress(callback, payment)).toBeNull();
    }
  });
});
