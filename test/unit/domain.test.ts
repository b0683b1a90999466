import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { clientKey } from '../../src/domain/client-key.js';
import { paymentEventBody } from '../../src/domain/events.js';
import { isId, newId, randomAlphanumeric } from '../../src/domain/ids.js';
import type { PaymentRecord } from '../../src/domain/records.js';
import { nextRetryDelayMs } from '../../src/domain/retry-schedule.js';
import { hexSignature, newWebhookSecret, safeEqual, standardSecretKey } from '../../src/domain/signing.js';
import { decidePaymentOutcome, paymentDelayMs, refundDelayMs } from '../../src/domain/simulation.js';

describe('ids', () => {
  it('are a prefix plus 16 alphanumerics', () => {
    for (const kind of ['order', 'payment', 'refund'] as const) {
      const id = newId(kind);
      expect(isId(kind, id)).toBe(true);
      expect(id).toMatch(/^(order|pay|rfnd)_[A-Za-z0-9]{16}$/);
    }
    expect(isId('payment', 'pay_short')).toBe(false);
    expect(isId('payment', 'order_AAAAAAAAAAAAAAAA')).toBe(false);
  });
  it('use the whole alphabet without obvious bias', () => {
    const counts = new Map<string, number>();
    for (const char of randomAlphanumeric(62_000)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const count of counts.values()) expect(count).toBeGreaterThan(700);
  });
  it('drawn from the pooled randomness (across many refills) use the whole alphabet too', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      for (const char of newId('payment').slice('pay_'.length)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    for (const count of counts.values()) expect(count).toBeGreaterThan(700);
  });
  it('do not repeat', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newId('payment')));
    expect(ids.size).toBe(20_000);
  });
});

describe('simulation', () => {
  const test = { testMode: true, testProcessingDelayMs: 1000, testPaymentSuccess: true };
  const live = { ...test, testMode: false };
  it('uses TEST_PROCESSING_DELAY in test mode, including 0', () => {
    expect(paymentDelayMs(test, Math.random)).toBe(1000);
    expect(paymentDelayMs({ ...test, testProcessingDelayMs: 0 }, Math.random)).toBe(0);
    expect(refundDelayMs({ ...test, testProcessingDelayMs: 0 }, Math.random)).toBe(0);
  });
  it('takes 5–10 s for payments and 3–5 s for refunds outside test mode', () => {
    expect(paymentDelayMs(live, () => 0)).toBe(5000);
    expect(paymentDelayMs(live, () => 0.999999)).toBe(10_000);
    expect(refundDelayMs(live, () => 0)).toBe(3000);
    expect(refundDelayMs(live, () => 0.999999)).toBe(5000);
  });
  it('follows TEST_PAYMENT_SUCCESS and the failing test instruments', () => {
    expect(decidePaymentOutcome(test, { method: 'upi', test_outcome: null }, Math.random).status).toBe(
      'success',
    );
    expect(
      decidePaymentOutcome(
        { ...test, testPaymentSuccess: false },
        { method: 'upi', test_outcome: null },
        Math.random,
      ).status,
    ).toBe('failed');
    const declined = decidePaymentOutcome(
      test,
      { method: 'card', test_outcome: 'PAYMENT_FAILED' },
      Math.random,
    );
    expect(declined).toMatchObject({ status: 'failed', error_code: 'PAYMENT_FAILED' });
  });
  it('succeeds 90 % for UPI and 95 % for cards outside test mode', () => {
    const at = (r: number, method: 'upi' | 'card') =>
      decidePaymentOutcome(live, { method, test_outcome: null }, () => r).status;
    expect(at(0.89, 'upi')).toBe('success');
    expect(at(0.9, 'upi')).toBe('failed');
    expect(at(0.94, 'card')).toBe('success');
    expect(at(0.95, 'card')).toBe('failed');
  });
});

describe('webhook retry schedule', () => {
  it('matches the documented rules in production and test mode', () => {
    expect([1, 2, 3, 4, 5].map((n) => nextRetryDelayMs(n, false))).toEqual([
      60_000,
      300_000,
      1_800_000,
      7_200_000,
      null,
    ]);
    expect([1, 2, 3, 4, 5].map((n) => nextRetryDelayMs(n, true))).toEqual([
      5000,
      10_000,
      15_000,
      20_000,
      null,
    ]);
  });
});

describe('signing', () => {
  it('signs with hex HMAC-SHA256 of the exact body', () => {
    // Reference value from `printf '{"a":1}' | openssl dgst -sha256 -hmac whsec_test_abc123`.
    expect(hexSignature('whsec_test_abc123', '{"a":1}')).toBe(
      'af859c48ddd06bf53fc89d779403f440461e7d4fd987d867d9f024a212599028',
    );
    expect(hexSignature('whsec_test_abc123', '{"a":1}')).toMatch(/^[0-9a-f]{64}$/);
    expect(hexSignature('k', 'a')).not.toBe(hexSignature('k', 'b'));
  });
  it('recognises Standard Webhooks secrets only when they are base64', () => {
    expect(standardSecretKey('whsec_test_abc123')).toBeNull();
    const generated = newWebhookSecret();
    expect(generated).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(standardSecretKey(generated)?.length).toBe(24);
  });
  it('compares secrets without regard to length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('event payloads', () => {
  it('are compact JSON that survives a parse/stringify round trip byte for byte', () => {
    const payment = {
      id: 'pay_AAAAAAAAAAAAAAAA',
      order_id: 'order_BBBBBBBBBBBBBBBB',
      amount: 50000,
      currency: 'INR',
      method: 'upi',
      vpa: 'user@paytm',
      status: 'success',
      created_at: new Date('2024-01-15T10:31:00.000Z'),
    } as PaymentRecord;
    const body = paymentEventBody('payment.success', payment, new Date('2024-01-15T10:31:10.500Z'));
    expect(body).toBe(
      '{"event":"payment.success","timestamp":1705314670,"data":{"payment":{"id":"pay_AAAAAAAAAAAAAAAA","order_id":"order_BBBBBBBBBBBBBBBB","amount":50000,"currency":"INR","method":"upi","vpa":"user@paytm","status":"success","created_at":"2024-01-15T10:31:00.000Z"}}}',
    );
    expect(JSON.stringify(JSON.parse(body))).toBe(body);
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/payment_gateway',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 8000,
      CHECKOUT_PORT: 3001,
      DASHBOARD_PORT: 3000,
      TEST_MODE: false,
      TEST_PROCESSING_DELAY: 1000,
      TEST_PAYMENT_SUCCESS: true,
      WEBHOOK_RETRY_INTERVALS_TEST: false,
      WEBHOOK_ALLOW_PRIVATE_URLS: false,
    });
    expect(loadConfig({ TEST_MODE: 'true' }).WEBHOOK_ALLOW_PRIVATE_URLS).toBe(true);
    expect(loadConfig({ TEST_PROCESSING_DELAY: '0' }).TEST_PROCESSING_DELAY).toBe(0);
  });
  it('derives the addresses from the ports, so moving a port never strands the checkout', () => {
    expect(loadConfig({})).toMatchObject({
      API_PUBLIC_URL: 'http://localhost:8000',
      API_INTERNAL_URL: 'http://127.0.0.1:8000',
      CHECKOUT_PUBLIC_URL: 'http://localhost:3001',
    });
    expect(loadConfig({ PORT: '18000', CHECKOUT_PORT: '13001' })).toMatchObject({
      API_PUBLIC_URL: 'http://localhost:18000',
      API_INTERNAL_URL: 'http://127.0.0.1:18000',
      CHECKOUT_PUBLIC_URL: 'http://localhost:13001',
    });
    const given = { API_PUBLIC_URL: 'https://api.example', CHECKOUT_PUBLIC_URL: 'https://pay.example' };
    expect(loadConfig({ ...given, PORT: '18000' })).toMatchObject(given);
  });
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['TEST_MODE', 'maybe'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://x'],
    ['TEST_PROCESSING_DELAY', '-1'],
  ])('stops on %s=%s with one line naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  });
});

describe('clientKey', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 as its IPv4 address, and IPv6 by its /64', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:cb00:7107')).toBe('203.0.113.7');
    const network = clientKey('2001:db8:1:2::1');
    expect(network).toBe('2001:db8:1:2::/64');
    for (const same of [
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0DB8:0001:0002:0:0:0:9',
      '2001:db8:1:2::3%eth0',
    ])
      expect(clientKey(same)).toBe(network);
    expect(clientKey('2001:db8:1:3::1')).not.toBe(network);
    expect(clientKey('::1')).toBe('::/64');
  });
});
