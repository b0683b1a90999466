import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { PrivateRedis } from '../support/redis-server.js';
import { WebhookSink } from '../support/webhook-sink.js';

/** Retries live in PostgreSQL (a delivery is a row with its due time): wiping Redis between two attempts loses nothing. */
describe('Redis FLUSHALL between attempts', () => {
  let redis: PrivateRedis;
  let gw: TestGateway;
  let sink: WebhookSink;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    sink = await WebhookSink.start((index) => (index === 0 ? { status: 503 } : { status: 200 }));
    gw = await startTestGateway({ env: { REDIS_URL: redis.url }, workers: true });
    await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
  });
  afterAll(async () => {
    await gw.close();
    await sink.close();
    await redis.stop();
  });

  it('still delivers the second attempt, once, with the same X-Webhook-Id', { timeout: 60_000 }, async () => {
    const queued = await gw.request('POST', '/api/v1/merchant/webhook/test');
    const id = queued.body.id;
    await waitFor(async () => (await gw.request('GET', `/api/v1/webhooks/${id}`)).body.attempts === 1);
    await gw.runtime.redis.flushall();
    expect(await gw.runtime.redis.dbsize()).toBe(0);

    const delivered = await waitFor(async () => {
      const detail = await gw.request('GET', `/api/v1/webhooks/${id}`);
      return detail.body.status === 'success' && detail.body;
    }, 40_000);
    expect(delivered.attempts).toBe(2);
    expect(sink.requests.map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2']);
    expect(new Set(sink.requests.map((r) => r.headers['x-webhook-id']))).toEqual(new Set([id]));
  });
});
