import { describe, expect, it } from 'vitest';
import { ApiError, type PublicPayment } from '../../web/checkout/api-client.js';
import { connectToParent, framingOrigin } from '../../web/checkout/parent-channel.js';
import { DecisionTimeout, pollDelayMs, waitForDecision } from '../../web/checkout/payment-status.js';

const MERCHANT = 'https://shop.example';

/** Just enough of a framed window: who framed it, and a parent that records what it is sent. */
function framedWindow(location: { ancestorOrigins?: string[] }, referrer: string) {
  const events = new EventTarget();
  const parent = { posted: [] as Array<{ message: unknown; targetOrigin: string }> } as {
    posted: Array<{ message: unknown; targetOrigin: string }>;
    postMessage(message: unknown, targetOrigin: string): void;
  };
  parent.postMessage = (message, targetOrigin) => parent.posted.push({ message, targetOrigin });
  const win = {
    location,
    document: { referrer },
    parent,
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  };
  const receive = (origin: string, source: unknown, data: unknown) =>
    events.dispatchEvent(Object.assign(new Event('message'), { origin, source, data }));
  return { win: win as unknown as Window, parent, receive };
}

const success = {
  type: 'payment_success' as const,
  data: { paymentId: 'pay_1', orderId: 'order_1', status: 'success' },
};

describe('the embedded page talks to its parent only', () => {
  it('learns the parent origin from ancestorOrigins, else from the referrer', () => {
    expect(
      framingOrigin({ ancestorOrigins: [MERCHANT, 'https://top.example'] }, 'https://other.example/x'),
    ).toBe(MERCHANT);
    expect(framingOrigin({}, `${MERCHANT}/cart?item=1`)).toBe(MERCHANT);
    expect(framingOrigin({ ancestorOrigins: [] }, '')).toBeNull();
    expect(framingOrigin({}, 'about:blank')).toBeNull();
  });

  it("posts to the parent's origin, never to '*'", () => {
    const { win, parent } = framedWindow({ ancestorOrigins: [MERCHANT] }, '');
    connectToParent(win).post(success);
    expect(parent.posted).toEqual([{ message: success, targetOrigin: MERCHANT }]);
  });

  it('holds messages until the parent introduces itself when the browser did not say who it is', () => {
    const { win, parent, receive } = framedWindow({}, '');
    const channel = connectToParent(win);
    channel.post(success);
    expect(parent.posted).toEqual([]);

    // Someone other than the parent cannot claim to be it.
    receive('https://evil.example', { not: 'the parent' }, { type: 'checkout_init', key: 'key_evil' });
    expect(parent.posted).toEqual([]);
    expect(channel.merchantKey()).toBeUndefined();

    receive(MERCHANT, parent, { type: 'checkout_init', key: 'key_test_abc123' });
    expect(parent.posted).toEqual([{ message: success, targetOrigin: MERCHANT }]);
    expect(channel.merchantKey()).toBe('key_test_abc123');
  });

  it("passes on the SDK's focus requests, from the parent only", () => {
    const { win, parent, receive } = framedWindow({ ancestorOrigins: [MERCHANT] }, '');
    const channel = connectToParent(win);
    const requests: string[] = [];
    channel.onFocusRequest((target) => requests.push(target));

    receive(MERCHANT, { not: 'the parent' }, { type: 'checkout_focus', target: 'first' });
    receive(MERCHANT, parent, { type: 'checkout_focus', target: 'somewhere else' });
    receive(MERCHANT, parent, { type: 'checkout_focus', target: 'first-field' });
    receive(MERCHANT, parent, { type: 'checkout_focus', target: 'first' });
    expect(requests).toEqual(['first-field', 'first']);
  });

  it('stops listening when closed', () => {
    const { win, parent, receive } = framedWindow({}, '');
    const channel = connectToParent(win);
    channel.close();
    receive(MERCHANT, parent, { type: 'checkout_init', key: 'key_test_abc123' });
    expect(channel.merchantKey()).toBeUndefined();
  });
});

describe('following a payment until it is decided', () => {
  const payment = (status: PublicPayment['status']): PublicPayment => ({
    id: 'pay_1',
    order_id: 'order_1',
    amount: 100,
    currency: 'INR',
    method: 'upi',
    status,
    error_code: null,
    error_description: null,
  });

  it('polls quickly at first, then every two seconds', () => {
    expect([0, 1, 2, 3, 4, 10].map(pollDelayMs)).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });

  it('rides out dropped requests and returns the decided payment', async () => {
    let clock = 0;
    const answers: Array<PublicPayment | Error> = [
      payment('pending'),
      new Error('offline'),
      payment('failed'),
    ];
    let stillWaiting = 0;
    const decided = await waitForDecision(
      {
        getPayment: async () => {
          const next = answers.shift() as PublicPayment | Error;
          if (next instanceof Error) throw next;
          return next;
        },
      },
      'pay_1',
      {
        now: () => clock,
        sleep: async (ms) => {
          clock += ms * 20;
        },
        onStillWaiting: () => stillWaiting++,
      },
    );
    expect(decided.status).toBe('failed');
    expect(stillWaiting).toBe(1);
  });

  it('gives up on a payment that does not exist, and after the decision timeout', async () => {
    const instant = { sleep: async () => undefined };
    await expect(
      waitForDecision(
        {
          getPayment: async () => {
            throw new ApiError(404, 'NOT_FOUND_ERROR', 'Payment not found');
          },
        },
        'pay_1',
        instant,
      ),
    ).rejects.toBeInstanceOf(ApiError);

    let clock = 0;
    await expect(
      waitForDecision({ getPayment: async () => payment('pending') }, 'pay_1', {
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      }),
    ).rejects.toBeInstanceOf(DecisionTimeout);
  });
});
