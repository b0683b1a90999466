import { describe, expect, it } from 'vitest';
import { maskCardNumber, REDACTED, redact, redactedJsonText } from '../../src/domain/redaction.js';
import { uuidFor } from '../../src/domain/signing.js';

describe('request log redaction', () => {
  it('keeps a card number only as its last four digits and drops the CVV field', () => {
    expect(
      redact({ card: { number: '4111-1111-1111-1111', cvv: '123', expiry_month: '12', holder_name: 'A' } }),
    ).toEqual({ card: { last4: '1111', expiry_month: '12', holder_name: 'A' } });
    // Even one that is too short to be valid, and one sent as a number.
    expect(redact({ card: { number: '41111' } })).toEqual({ card: { last4: '1111' } });
    expect(redact({ card: { number: 4111111111111111 } })).toEqual({ card: { last4: '1111' } });
  });

  it('masks anything shaped like a card number anywhere, and nothing else', () => {
    expect(redact({ notes: { a: 'pay 4000 0000 0000 0002 now', b: ['5555555555554444'] } })).toEqual({
      notes: { a: 'pay ************0002 now', b: ['************4444'] },
    });
    const kept = {
      id: 'pay_1234567890123456',
      amount: 50_000,
      timestamp: 1705315870,
      created_at: '2026-01-15T10:31:00.000Z',
      phone: '98765 43210',
    };
    expect(redact(kept)).toEqual(kept);
    expect(maskCardNumber('4111 1111 1111 1111')).toBe('************1111');
  });

  it('hides every secret-like field, wherever it is', () => {
    expect(
      redact({
        webhook_secret: 'whsec_x',
        data: [{ secret: 's', api_secret: 'k', password: 'p', token: 't' }],
        webhook_url: null,
        nothing: null,
      }),
    ).toEqual({
      webhook_secret: REDACTED,
      data: [{ secret: REDACTED, api_secret: REDACTED, password: REDACTED, token: REDACTED }],
      webhook_url: null,
      nothing: null,
    });
  });
});

describe('redacted JSON text', () => {
  // Bodies that need the walk and bodies that do not: each must come out as JSON.stringify(redact(body)).
  const bodies: unknown[] = [
    { order_id: 'order_NXhj67fGH2jk9mPq', method: 'upi', vpa: 'user@paytm' },
    {
      id: 'pay_1234567890123456',
      amount: 50_000,
      card_last4: '1111',
      created_at: '2026-01-15T10:31:00.000Z',
    },
    { method: 'card', card: { number: '4111 1111 1111 1111', cvv: '123', expiry_month: '12' } },
    { notes: { memo: 'pay 4000000000000002 now' } },
    { notes: { big: 4111111111111111, huge: 1e21 } },
    { webhook_secret: 'whsec_abc', webhook_url: null },
    { notes: { secret: 'a secret key inside notes' } },
    { data: [{ token: 't' }, { phone: '98765 43210' }] },
    { notes: { memo: '\n4111111111111111', tab: 'a\t5555 5555 5555 4444' } },
    { notes: { long: 1.2345e22, code: '12345678901234567890' } },
    { merchant_id: '550e8400-e29b-41d4-a716-446655440000', amount: 50_000 },
    { notes: { n: -4.111111111111111e15, list: [4.111111111111111e15, 5e3] } },
    [1, 2, 3],
  ];

  it('redacts JSON text as redact() does its parsed value, and keeps clean text as it was sent', () => {
    for (const body of bodies) {
      expect(JSON.parse(redactedJsonText(JSON.stringify(body)) ?? 'null')).toEqual(redact(body));
    }
    // A unicode escape spelling "secret" is not kept as sent: it is parsed, and the field hidden.
    expect(JSON.parse(redactedJsonText('{"\\u0073ecret":"x"}') ?? 'null')).toEqual({ secret: REDACTED });
    const clean =
      '{"id":"order_NXhj67fGH2jk9mPq","merchant_id":"550e8400-e29b-41d4-a716-446655440000","amount":50000,"created_at":"2026-01-15T10:31:00.000Z"}';
    expect(redactedJsonText(clean)).toBe(clean);
    // A card number written as a number in exponent form, at any place a number can stand.
    for (const text of [
      '{"n":4.111111111111111e15}',
      '[4111111111111111e0]',
      '{"a":[1, -4.111111111111111E+15]}',
    ]) {
      expect(redactedJsonText(text)).not.toContain('4111');
    }
  });

  it('keeps nothing of a body that is not JSON, or is JSON null', () => {
    expect(redactedJsonText('not json')).toBeNull();
    expect(redactedJsonText('null')).toBeNull();
    expect(redactedJsonText('"4111111111111111"')).toBe('"************1111"');
  });
});

describe('listen delivery ids', () => {
  it('are UUIDs that depend only on the event', () => {
    const id = uuidFor('listen:evt_Jd83kLq0Zx7Vb2Nm');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFor('listen:evt_Jd83kLq0Zx7Vb2Nm')).toBe(id);
    expect(uuidFor('listen:evt_Jd83kLq0Zx7Vb2Nn')).not.toBe(id);
  });
});
