import { describe, expect, it } from 'vitest';
import { checkoutLocationFrom } from '../../web/sdk/checkout-location.js';
import { listenForCheckoutMessages, readCheckoutMessage } from '../../web/sdk/messages.js';

const CHECKOUT = 'https://pay.example.com';
const ownFrame = { name: 'our iframe window' };
const sender = { origin: CHECKOUT, source: ownFrame };
const success = {
  type: 'payment_success',
  data: { paymentId: 'pay_1', orderId: 'order_1', status: 'success' },
};

describe('SDK message filtering', () => {
  it('accepts the three checkout messages from the checkout origin and its own iframe', () => {
    for (const type of ['payment_success', 'payment_failed', 'close_modal']) {
      const data = { paymentId: 'pay_1' };
      expect(
        readCheckoutMessage({ origin: CHECKOUT, source: ownFrame, data: { type, data } }, sender),
      ).toEqual({
        type,
        data,
      });
    }
    expect(
      readCheckoutMessage({ origin: CHECKOUT, source: ownFrame, data: { type: 'close_modal' } }, sender),
    ).toEqual({ type: 'close_modal', data: {} });
  });

  it.each([
    ['another origin', { origin: 'https://evil.example', source: ownFrame, data: success }],
    [
      'a look-alike origin',
      { origin: 'https://pay.example.com.evil.example', source: ownFrame, data: success },
    ],
    ['another scheme', { origin: 'http://pay.example.com', source: ownFrame, data: success }],
    ['another window of the checkout origin', { origin: CHECKOUT, source: { other: true }, data: success }],
    ['no source', { origin: CHECKOUT, source: null, data: success }],
    ['an unknown type', { origin: CHECKOUT, source: ownFrame, data: { type: 'payment_captured', data: {} } }],
    ['a string payload', { origin: CHECKOUT, source: ownFrame, data: JSON.stringify(success) }],
    ['a null payload', { origin: CHECKOUT, source: ownFrame, data: null }],
    [
      'non-object data',
      { origin: CHECKOUT, source: ownFrame, data: { type: 'payment_success', data: 'pay_1' } },
    ],
    [
      'array data',
      { origin: CHECKOUT, source: ownFrame, data: { type: 'payment_success', data: ['pay_1'] } },
    ],
  ])('ignores a message from %s', (_, message) => {
    expect(readCheckoutMessage(message, sender)).toBeNull();
  });

  it('trusts nothing once its iframe is gone', () => {
    const gone = { origin: CHECKOUT, source: null };
    expect(readCheckoutMessage({ origin: CHECKOUT, source: null, data: success }, gone)).toBeNull();
  });

  it('stops listening when unsubscribed', () => {
    const target = new EventTarget();
    const seen: string[] = [];
    const stop = listenForCheckoutMessages(
      target,
      () => sender,
      (event) => seen.push(event.type),
    );
    const post = (origin: string, data: unknown) =>
      target.dispatchEvent(Object.assign(new Event('message'), { origin, source: ownFrame, data }));

    post(CHECKOUT, success);
    post('https://evil.example', success);
    expect(seen).toEqual(['payment_success']);
    stop();
    post(CHECKOUT, { type: 'close_modal' });
    expect(seen).toEqual(['payment_success']);
  });
});

describe('checkout location from the script URL', () => {
  it('puts the page next to checkout.js, on any host and under any path prefix', () => {
    const local = checkoutLocationFrom('http://localhost:3001/checkout.js');
    expect(local.origin).toBe('http://localhost:3001');
    expect(local.pageUrl('order_abc')).toBe(
      'http://localhost:3001/checkout?order_id=order_abc&embedded=true',
    );

    const proxied = checkoutLocationFrom('https://shop.example/pay/checkout.js?v=3#x');
    expect(proxied.origin).toBe('https://shop.example');
    expect(proxied.pageUrl('order_abc')).toBe(
      'https://shop.example/pay/checkout?order_id=order_abc&embedded=true',
    );
  });

  it('encodes the order id into the query', () => {
    expect(checkoutLocationFrom('https://p.example/checkout.js').pageUrl('a&b=c')).toBe(
      'https://p.example/checkout?order_id=a%26b%3Dc&embedded=true',
    );
  });

  it('refuses to guess when the script URL is unknown or not http(s)', () => {
    expect(() => checkoutLocationFrom(null)).toThrow(/cannot tell where checkout.js was loaded from/);
    expect(() => checkoutLocationFrom('checkout.js')).toThrow(/cannot tell where/);
    expect(() => checkoutLocationFrom('file:///tmp/checkout.js')).toThrow(/http\(s\)/);
  });
});
