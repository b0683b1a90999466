import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexSignature } from '../../src/domain/signing.js';
import { startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';
import { type ReceivedRequest, WebhookSink } from '../support/webhook-sink.js';

/**
 * How deliveries behave: secret rotation with overlap, recovery of a window's failures, fairness
 * between endpoints, Retry-After, disabling an endpoint that only fails, and event retention.
 */
let gw: TestGateway;
let sink: WebhookSink;
// Paths that answer something other than 200, by path.
const answers = new Map<string, () => ReturnType<Parameters<typeof WebhookSink.start>[0] & object>>();

beforeAll(async () => {
  sink = await WebhookSink.start((_index, request) => answers.get(request.url)?.() ?? { status: 200 });
  gw = await startTestGateway({
    workers: true,
    env: { EVENT_RETENTION_DAYS: '30' },
  });
});
afterAll(async () => {
  await gw.close();
  await sink.close();
});

async function merchantWith(...paths: string[]) {
  return merchantOn(gw, ...paths);
}

async function merchantOn(gw: TestGateway, ...paths: string[]) {
  const merchant = await createMerchant(gw.runtime.db, 'Policy Merchant');
  const auth = { key: merchant.key, secret: merchant.secret };
  const endpoints = [];
  for (const path of paths) {
    const res = await gw.request('POST', '/api/v1/webhook_endpoints', {
      body: { url: `${sink.url}${path}` },
      auth,
    });
    endpoints.push(res.body as { id: string; secret: string });
  }
  return { merchant, auth, endpoints };
}

const at = (path: string) => sink.requests.filter((r) => r.url === `/webhook${path}`);
const verifies = (secret: string, r: ReceivedRequest) => {
  try {
    new Webhook(secret).verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    });
    return true;
  } catch {
    return false;
  }
};

async function testEvent(auth: { key: string; secret: string }, endpointId: string, on = gw) {
  const res = await on.request('POST', `/api/v1/webhook_endpoints/${endpointId}/test`, { auth });
  expect(res.status).toBe(202);
  return res.body.id as string;
}

describe('secret rotation with overlap', () => {
  it('signs with both secrets during the overlap, and only the new one after it', {
    timeout: 30_000,
  }, async () => {
    const { auth, endpoints } = await merchantWith('/rotating');
    const [endpoint] = endpoints as [{ id: string; secret: string }];
    const rotated = await gw.request('POST', `/api/v1/webhook_endpoints/${endpoint.id}/secret/rotate`, {
      body: { overlap_seconds: 3 },
      auth,
    });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(endpoint.secret);
    await testEvent(auth, endpoint.id);
    const during = await waitFor(() => at('/rotating')[0]);
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(fresh, during)).toBe(true);
    expect(verifies(endpoint.secret, during)).toBe(true);
    expect(during.headers['x-webhook-signature']).toBe(hexSignature(fresh, during.body));

    await new Promise((resolve) => setTimeout(resolve, 3500));
    await testEvent(auth, endpoint.id);
    const after = await waitFor(() => at('/rotating')[1]);
    expect(verifies(fresh, after)).toBe(true);
    expect(verifies(endpoint.secret, after)).toBe(false);
    expect((await gw.request('GET', `/api/v1/webhook_endpoints/${endpoint.id}`, { auth })).body.secret).toBe(
      fresh,
    );
  });

  it('refuses an overlap beyond seven days', async () => {
    const { auth, endpoints } = await merchantWith('/rotating-bad');
    const res = await gw.request('POST', `/api/v1/webhook_endpoints/${endpoints[0]?.id}/secret/rotate`, {
      body: { overlap_seconds: 604_801 },
      auth,
    });
    expect(res.status).toBe(400);
  });
});

describe('recover', () => {
  it('delivers again exactly the failed deliveries of the window', async () => {
    const { auth, endpoints } = await merchantWith('/recover');
    const [endpoint] = endpoints as unknown as [{ id: string }];
    answers.set('/webhook/recover', () => ({ status: 500 }));
    const ids = [
      await testEvent(auth, endpoint.id),
      await testEvent(auth, endpoint.id),
      await testEvent(auth, endpoint.id),
    ];
    // Each first attempt is recorded (its retry is a minute away) before the test rewrites them.
    await waitFor(async () => {
      const { rows } = await gw.runtime.db.query(
        'SELECT 1 FROM webhook_logs WHERE id = ANY($1) AND attempts = 1 AND lease_until IS NULL',
        [ids],
      );
      return rows.length === 3;
    });
    // As if their retries had run out, at three different times; a new generation so that nothing
    // the dispatcher still holds of the old one can be recorded over it.
    const times = ['2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z'];
    for (const [i, id] of ids.entries()) {
      await gw.runtime.db.query(
        `UPDATE webhook_logs SET status = 'failed', next_retry_at = NULL, created_at = $2, generation = generation + 1
         WHERE id = $1`,
        [id, times[i]],
      );
    }
    answers.delete('/webhook/recover');
    const before = at('/recover').length;
    const res = await gw.request('POST', `/api/v1/webhook_endpoints/${endpoint.id}/recover`, {
      body: { since: '2026-01-01T12:00:00.000Z', until: '2026-01-03T12:00:00.000Z' },
      auth,
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ queued: 2 });
    await waitFor(async () => {
      const { rows } = await gw.runtime.db.query(
        'SELECT id, status FROM webhook_logs WHERE id = ANY($1) ORDER BY created_at',
        [ids],
      );
      return rows.map((r) => r.status).join() === 'failed,success,success';
    });
    const resent = at('/recover')
      .slice(before)
      .map((r) => r.headers['x-webhook-id']);
    expect(resent.sort()).toEqual([ids[1], ids[2]].sort());
  });
});

describe('fair delivery', () => {
  it('keeps a healthy endpoint fast while another endpoint of the merchant hangs', {
    timeout: 60_000,
  }, async () => {
    const { auth, endpoints } = await merchantWith('/hangs', '/healthy');
    answers.set('/webhook/hangs', () => 'hang');
    const [hanging, healthy] = endpoints as unknown as [{ id: string }, { id: string }];
    // More deliveries to the hanging endpoint than a worker has attempts in flight in all, sent at
    // once so that every one is in before the first hanging attempt times out.
    await Promise.all(
      Array.from({ length: gw.config.WEBHOOK_CONCURRENCY + 1 }, () => testEvent(auth, hanging.id)),
    );
    const started: Array<{ id: string; at: number }> = [];
    for (let i = 0; i < 20; i++) {
      started.push({ id: await testEvent(auth, healthy.id), at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await waitFor(() => at('/healthy').length >= 20, 20_000);
    const arrival = new Map(at('/healthy').map((r) => [String(r.headers['x-webhook-id']), r.at]));
    const latencies = started
      .map((s) => (arrival.get(s.id) ?? Number.POSITIVE_INFINITY) - s.at)
      .sort((a, b) => a - b);
    expect(latencies[latencies.length - 1]).toBeLessThan(1000);
    // The hanging endpoint only ever had its own share in flight: every attempt that reached it
    // before the first one timed out was still hanging at that moment. (A slow run may see retries
    // of the timed-out attempts later; those are a new round, not more in flight.)
    const hangs = at('/hangs');
    const firstHang = Math.min(...hangs.map((r) => r.at));
    const inFlightTogether = hangs.filter((r) => r.at < firstHang + gw.config.WEBHOOK_TIMEOUT_MS);
    expect(inFlightTogether.length).toBeLessThanOrEqual(gw.config.WEBHOOK_ENDPOINT_CONCURRENCY);
    answers.delete('/webhook/hangs');
  });
});

describe('Retry-After', () => {
  it('waits at least as long as a 429 asks before the next attempt', { timeout: 30_000 }, async () => {
    const { auth, endpoints } = await merchantWith('/busy');
    let calls = 0;
    answers.set('/webhook/busy', () =>
      calls++ === 0 ? { status: 429, headers: { 'Retry-After': '7' } } : { status: 200 },
    );
    const id = await testEvent(auth, endpoints[0]?.id as string);
    const [first, second] = await waitFor(() => (at('/busy').length >= 2 ? at('/busy') : null), 20_000);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(7000);
    // The attempt is recorded once its answer is in, a moment after the endpoint saw it.
    const detail = await waitFor(async () => {
      const read = await gw.request('GET', `/api/v1/webhooks/${id}`, { auth });
      return (read.body as { status?: string }).status === 'pending' ? null : read;
    }, 10_000);
    expect(detail.body).toMatchObject({ status: 'success', attempts: 2 });
    answers.delete('/webhook/busy');
  });
});

describe('an endpoint that only fails', () => {
  let quick: TestGateway;
  beforeAll(async () => {
    quick = await startTestGateway({ workers: true, env: { ENDPOINT_DISABLE_AFTER_S: '2' } });
  });
  afterAll(() => quick.close());

  it('is disabled after ENDPOINT_DISABLE_AFTER_S, and the merchant’s other endpoints hear of it', {
    timeout: 30_000,
  }, async () => {
    const { auth, endpoints } = await merchantOn(quick, '/dead', '/watcher');
    const [dead, watcher] = endpoints as unknown as [{ id: string }, { id: string }];
    answers.set('/webhook/dead', () => ({ status: 500 }));
    await testEvent(auth, dead.id, quick);
    const disabled = await waitFor(async () => {
      const res = await quick.request('GET', `/api/v1/webhook_endpoints/${dead.id}`, { auth });
      return res.body.status === 'disabled' && res.body;
    }, 20_000);
    expect(disabled.status).toBe('disabled');
    const told = await waitFor(() =>
      at('/watcher').find((r) => r.headers['x-webhook-event'] === 'webhook_endpoint.disabled'),
    );
    expect(JSON.parse(told.body).data.webhook_endpoint).toMatchObject({ id: dead.id, status: 'disabled' });
    expect(JSON.parse(told.body).data.webhook_endpoint).not.toHaveProperty('secret');
    const events = await quick.request('GET', '/api/v1/events?type=webhook_endpoint.*', { auth });
    expect(events.body.data).toHaveLength(1);
    expect(at('/dead').some((r) => r.headers['x-webhook-event'] === 'webhook_endpoint.disabled')).toBe(false);
    // Enabled again, it starts with a clean record.
    const enabled = await quick.request('PATCH', `/api/v1/webhook_endpoints/${dead.id}`, {
      body: { status: 'enabled' },
      auth,
    });
    expect(enabled.body.status).toBe('enabled');
    void watcher;
    answers.delete('/webhook/dead');
  });
});

describe('retention', () => {
  it('purges events older than EVENT_RETENTION_DAYS and keeps their deliveries', async () => {
    const { merchant, auth, endpoints } = await merchantWith('/retention');
    const old = await testEvent(auth, endpoints[0]?.id as string);
    const recent = await testEvent(auth, endpoints[0]?.id as string);
    const { rows } = await gw.runtime.db.query('SELECT id, event_id FROM webhook_logs WHERE id = ANY($1)', [
      [old, recent],
    ]);
    const eventOf = new Map(rows.map((r) => [r.id, r.event_id]));
    await gw.runtime.db.query("UPDATE events SET created_at = now() - interval '31 days' WHERE id = $1", [
      eventOf.get(old),
    ]);
    await gw.workers?.sweeper.sweepOnce();
    const left = await gw.runtime.db.query('SELECT id FROM events WHERE merchant_id = $1', [merchant.id]);
    expect(left.rows.map((r) => r.id)).toEqual([eventOf.get(recent)]);
    expect((await gw.request('GET', `/api/v1/webhooks/${old}`, { auth })).status).toBe(200);
  });
});
