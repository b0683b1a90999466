import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDeliveries } from '../../src/db/delivery-announcements.js';
import { claimsMade } from '../../src/metrics/webhooks.js';
import { startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * When the dispatcher looks for due deliveries: on a notification, at the next due time, and when a
 * slot frees while due work was left behind, but not after every answer when nothing else is due
 * (each such claim is a statement PostgreSQL plans and runs for nothing).
 */
let gw: TestGateway;
let sink: WebhookSink;

beforeAll(async () => {
  sink = await WebhookSink.start((_i, request) =>
    request.url === '/webhook/queued' ? { status: 200, delayMs: 200 } : { status: 200 },
  );
  gw = await startTestGateway({ workers: true });
});
afterAll(async () => {
  await gw.close();
  await sink.close();
});

async function endpointOfNewMerchant(path: string) {
  const merchant = await createMerchant(gw.runtime.db, 'Claims Merchant');
  const auth = { key: merchant.key, secret: merchant.secret };
  const res = await gw.request('POST', '/api/v1/webhook_endpoints', {
    body: { url: `${sink.url}${path}` },
    auth,
  });
  expect(res.status).toBe(201);
  return { auth, endpointId: (res.body as { id: string }).id };
}

async function sendTestEvent(auth: { key: string; secret: string }, endpointId: string): Promise<string> {
  const res = await gw.request('POST', `/api/v1/webhook_endpoints/${endpointId}/test`, { auth });
  expect(res.status).toBe(202);
  return (res.body as { id: string }).id;
}

async function claims(): Promise<{ leased: number; empty: number }> {
  const { values } = await claimsMade.get();
  const of = (result: string) => values.find((v) => v.labels.result === result)?.value ?? 0;
  return { leased: of('leased'), empty: of('empty') };
}

const recorded = async (ids: string[]) => {
  const { rows } = await gw.runtime.db.query(
    "SELECT count(*)::int AS n FROM webhook_logs WHERE id = ANY($1) AND status = 'success' AND lease_until IS NULL",
    [ids],
  );
  return rows[0].n === ids.length;
};

describe('dispatcher claims', () => {
  it('claims once per announced delivery, not again after each answer and record', {
    timeout: 30_000,
  }, async () => {
    const { auth, endpointId } = await endpointOfNewMerchant('/one-at-a-time');
    const before = await claims();
    const started = Date.now();
    const deliveries = 10;
    for (let i = 0; i < deliveries; i++) {
      const id = await sendTestEvent(auth, endpointId);
      await waitFor(() => recorded([id]));
    }
    const seconds = (Date.now() - started) / 1000;
    const after = await claims();
    expect(sink.requests.filter((r) => r.url === '/webhook/one-at-a-time')).toHaveLength(deliveries);
    expect(after.leased - before.leased).toBe(deliveries);
    // The idle poll looks once a second; a claim after every answer and every record would add two
    // empty claims per delivery.
    expect(after.empty - before.empty).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
  });

  it('claims again as soon as a slot frees while deliveries of a full endpoint are due', {
    timeout: 30_000,
  }, async () => {
    const { endpointId } = await endpointOfNewMerchant('/queued');
    // More due at once than the endpoint's share (WEBHOOK_ENDPOINT_CONCURRENCY, 32), written in one
    // statement and announced once, each answered after 200 ms: the rest can start only when the
    // first answers free their slots.
    const share = gw.config.WEBHOOK_ENDPOINT_CONCURRENCY;
    const { rows } = await gw.runtime.db.query<{ id: string }>(
      `INSERT INTO webhook_logs (id, merchant_id, endpoint_id, event, payload, next_retry_at, created_at, updated_at)
       SELECT gen_random_uuid(), we.merchant_id, we.id, 'test.queued', '{}', now(), now(), now()
       FROM webhook_endpoints we, generate_series(1, $2) WHERE we.id = $1
       RETURNING id`,
      [endpointId, share + 8],
    );
    await announceDeliveries(gw.runtime.db);
    const ids = rows.map((row) => row.id);
    await waitFor(() => recorded(ids));
    const arrivals = sink.requests.filter((r) => r.url === '/webhook/queued').map((r) => r.at);
    expect(arrivals).toHaveLength(share + 8);
    // Waiting for the idle poll instead (once a second) would put the last ones about a second
    // after the first.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(800);
  });
});
