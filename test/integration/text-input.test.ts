import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrder,
  startTestGateway,
  TEST_AUTH,
  type TestGateway,
  VALID_CARD,
} from '../support/gateway.js';

/**
 * Text is stored and echoed exactly as sent, or refused: a JSON escape that leaves half a UTF-16
 * surrogate pair ("\ud800") and bytes that are not UTF-8 are 400 BAD_REQUEST_ERROR, never turned
 * into U+FFFD on the way to PostgreSQL. Whole pairs (astral characters such as emoji) pass intact.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

/** A raw JSON body, so the escapes reach the server as written. */
const post = (path: string, rawBody: string) => gw.request('POST', path, { rawBody });

function expectRefused(res: Awaited<ReturnType<typeof post>>, field?: string) {
  expect(res.status, res.text).toBe(400);
  expect(res.body.error.code).toBe('BAD_REQUEST_ERROR');
  expect(res.body.error.description).toMatch(/surrogate|UTF-8/);
  if (field !== undefined) expect(res.body.error.field).toBe(field);
  expect(res.text).not.toContain('\ufffd');
}

const countRows = async (table: 'orders' | 'payments' | 'refunds') =>
  (await gw.runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;

describe('orders', () => {
  it.each([
    ['receipt', '{"amount":5000,"receipt":"r_\\ud800"}', 'receipt'],
    ['a low surrogate alone', '{"amount":5000,"receipt":"\\udfff"}', 'receipt'],
    ['a pair written backwards', '{"amount":5000,"receipt":"\\ude00\\ud83d"}', 'receipt'],
    ['a notes value', '{"amount":5000,"notes":{"gift":"for \\uD800 you"}}', 'notes.gift'],
    ['a nested notes value', '{"amount":5000,"notes":{"a":{"b":["ok","\\udbff"]}}}', 'notes.a.b[1]'],
    ['a notes key', '{"amount":5000,"notes":{"\\ud800":"x"}}', 'notes'],
    ['the currency', '{"amount":5000,"currency":"IN\\ud800"}', 'currency'],
  ])('refuses a lone surrogate in %s', async (_what, body, field) => {
    const before = await countRows('orders');
    expectRefused(await post('/api/v1/orders', body), field);
    expect(await countRows('orders')).toBe(before);
  });

  it('keeps whole surrogate pairs, escaped or not, exactly', async () => {
    const res = await post(
      '/api/v1/orders',
      '{"amount":5000,"receipt":"\\ud83d\\ude00 😀","notes":{"k":"\\uD83D\\uDE00"}}',
    );
    expect(res.status, res.text).toBe(201);
    expect(res.body.receipt).toBe('😀 😀');
    const stored = await gw.request('GET', `/api/v1/orders/${res.body.id}`);
    expect(stored.body.receipt).toBe('😀 😀');
    expect(stored.body.notes).toEqual({ k: '😀' });
  });

  it('refuses a body that is not UTF-8', async () => {
    for (const bytes of [
      [
        0x7b, 0x22, 0x61, 0x6d, 0x6f, 0x75, 0x6e, 0x74, 0x22, 0x3a, 0x35, 0x30, 0x30, 0x30, 0x2c, 0x22, 0x72,
        0x65, 0x63, 0x65, 0x69, 0x70, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d,
      ],
      // A surrogate encoded as UTF-8 bytes (CESU-8), which UTF-8 forbids.
      [...Buffer.from('{"amount":5000,"receipt":"'), 0xed, 0xa0, 0x80, ...Buffer.from('"}')],
    ]) {
      const res = await fetch(`${gw.url}/api/v1/orders`, {
        method: 'POST',
        headers: { ...TEST_AUTH, 'Content-Type': 'application/json' },
        body: Buffer.from(bytes),
      });
      const text = await res.text();
      expect(res.status, text).toBe(400);
      expect(JSON.parse(text).error).toMatchObject({
        code: 'BAD_REQUEST_ERROR',
        description: 'Request body is not valid UTF-8',
      });
    }
  });
});

describe('payments and refunds', () => {
  it('refuses a lone surrogate in the VPA or the card holder, creating nothing', async () => {
    const order = await createOrder(gw);
    const before = await countRows('payments');
    expectRefused(
      await post('/api/v1/payments', `{"order_id":"${order.id}","method":"upi","vpa":"user\\ud800@paytm"}`),
      'vpa',
    );
    const card = JSON.stringify({
      order_id: order.id,
      method: 'card',
      card: { ...VALID_CARD, holder_name: 'HOLDER' },
    });
    expectRefused(await post('/api/v1/payments', card.replace('HOLDER', 'Asha \\udc00')), 'card.holder_name');
    expectRefused(
      await gw.request('POST', '/api/v1/payments/public', {
        rawBody: `{"order_id":"${order.id}","method":"upi","vpa":"\\ud800"}`,
        auth: false,
      }),
      'vpa',
    );
    expect(await countRows('payments')).toBe(before);
    // The same request with whole text goes through.
    const ok = await post('/api/v1/payments', card.replace('HOLDER', 'Asha 😀'));
    expect(ok.status, ok.text).toBe(201);
  });

  it('refuses a lone surrogate in a refund reason', async () => {
    const before = await countRows('refunds');
    const res = await post(
      '/api/v1/payments/pay_AAAAAAAAAAAAAAAA/refunds',
      '{"amount":100,"reason":"\\ud800"}',
    );
    expectRefused(res, 'reason');
    expect(await countRows('refunds')).toBe(before);
  });
});
