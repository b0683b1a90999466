import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { createLogger } from '../../src/logger.js';
import { buildReceiver } from '../../src/receiver/server.js';
import { createOrder, startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';

let gw: TestGateway;
let receiver: FastifyInstance;
let receiverUrl: string;

beforeAll(async () => {
  receiver = buildReceiver(TEST_MERCHANT.webhook_secret, createLogger('silent', 'receiver'));
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  gw = await startTestGateway({ workers: true });
  await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: `${receiverUrl}/webhook` } });
});
afterAll(async () => {
  await gw.close();
  await receiver.close();
});

describe('test merchant receiver', () => {
  it('verifies and lists every event the gateway sends', async () => {
    const order = await createOrder(gw);
    const payment = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.id, method: 'upi', vpa: 'a@b' },
    });
    const events = await waitFor(async () => {
      const res = await fetch(`${receiverUrl}/events`);
      const body = (await res.json()) as {
        data: Array<{ event: string; signature_valid: boolean; raw_signature_valid: boolean }>;
      };
      return body.data.length === 3 ? body.data : null;
    });
    expect(events.map((e) => e.event).sort()).toEqual([
      'payment.created',
      'payment.pending',
      'payment.success',
    ]);
    expect(events.every((e) => e.signature_valid && e.raw_signature_valid)).toBe(true);
    // The gateway records each attempt just after the receiver answered it.
    await waitFor(async () => {
      const logs = await gw.request('GET', `/api/v1/webhooks?resource_id=${payment.body.id}&status=success`);
      return logs.body.total === 3;
    });
  });

  it('refuses a forged signature with 401 and records it as invalid', async () => {
    const res = await fetch(`${receiverUrl}/webhook`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Webhook-Signature': 'f'.repeat(64),
        'X-Webhook-Event': 'payment.success',
      },
      body: JSON.stringify({ event: 'payment.success', timestamp: 1, data: {} }),
    });
    expect(res.status).toBe(401);
    const list = (await (await fetch(`${receiverUrl}/events`)).json()) as {
      data: Array<{ signature_valid: boolean }>;
    };
    expect(list.data[0]?.signature_valid).toBe(false);
  });
});
