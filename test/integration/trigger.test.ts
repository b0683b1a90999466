import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createMerchant, type TestMerchant } from '../support/merchants.js';

/** `gateway trigger <event>` makes real objects through the API, and they produce that event. */
let gw: TestGateway;
let merchant: TestMerchant;

beforeAll(async () => {
  gw = await startTestGateway({ workers: true });
  merchant = await createMerchant(gw.runtime.db, 'Trigger Merchant');
  asMerchant = { key: merchant.key, secret: merchant.secret };
});
afterAll(() => gw.close());

let asMerchant: { key: string; secret: string };
const env = () => ({ GATEWAY_API_KEY: merchant.key, GATEWAY_API_SECRET: merchant.secret });

/** The ids the command printed: `order order_…`, `payment pay_…`, `refund rfnd_…`, `<event> evt_…`. */
function printed(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/) as [string, string]),
  );
}

async function eventsOf(resourceId: string) {
  const response = await gw.request('GET', `/api/v1/events?resource_id=${resourceId}&limit=100`, {
    auth: asMerchant,
  });
  return (response.body.data as Array<{ id: string; type: string }>).reverse();
}

describe('gateway trigger', () => {
  it.each([
    ['payment.created', 'upi', 'pending|success'],
    ['payment.pending', 'card', 'pending|success'],
    ['payment.success', 'upi', 'success'],
    ['payment.failed', 'card', 'failed'],
    ['payment.failed', 'upi', 'failed'],
  ])('%s (%s) creates an order and a payment that produce it', async (event, method, status) => {
    const result = await runCli(
      ['trigger', event, '--method', method, '--amount', '12345', '--api-url', gw.url],
      env(),
    );
    expect(result.code, result.stderr).toBe(0);
    const ids = printed(result.stdout);
    expect(ids.order).toMatch(/^order_[A-Za-z0-9]{16}$/);
    expect(ids.payment).toMatch(/^pay_[A-Za-z0-9]{16}$/);
    const payment = await gw.request('GET', `/api/v1/payments/${ids.payment}`, { auth: asMerchant });
    expect(payment.body).toMatchObject({ order_id: ids.order, amount: 12345, method });
    expect(payment.body.status).toMatch(new RegExp(`^(${status})$`));
    const events = await eventsOf(ids.payment!);
    const matching = events.filter((e) => e.type === event);
    expect(matching).toHaveLength(1);
    expect(ids[event]).toBe(matching[0]!.id);
    if (event === 'payment.failed') expect(events.map((e) => e.type)).not.toContain('payment.success');
  });

  it.each(['refund.created', 'refund.processed'])('%s refunds a successful payment', async (event) => {
    const result = await runCli(['trigger', event, '--api-url', gw.url], env());
    expect(result.code, result.stderr).toBe(0);
    const ids = printed(result.stdout);
    expect(ids.refund).toMatch(/^rfnd_[A-Za-z0-9]{16}$/);
    const refund = await gw.request('GET', `/api/v1/refunds/${ids.refund}`, { auth: asMerchant });
    expect(refund.body).toMatchObject({ payment_id: ids.payment, amount: 50_000 });
    const events = await eventsOf(ids.refund!);
    expect(events.filter((e) => e.type === event)).toHaveLength(1);
    expect(ids[event]).toBe(events.find((e) => e.type === event)!.id);
    expect((await eventsOf(ids.payment!)).map((e) => e.type)).toContain('payment.success');
  });

  it('refuses an unknown event or a bad option with its usage', async () => {
    for (const args of [
      ['trigger', 'payment.exploded'],
      ['trigger', 'payment.success', '--amount', '5'],
      ['trigger', 'payment.success', '--method', 'cash'],
    ]) {
      const result = await runCli([...args, '--api-url', gw.url], env());
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Usage: gateway trigger <event>/);
    }
  });
});
