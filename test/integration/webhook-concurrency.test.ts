import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { type RunningWorkers, startWorkers } from '../../src/workers/index.js';
import { createOrder, startTestGateway, type TestGateway, waitFor } from '../support/gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * Two independent worker processes' worth of workers and sweepers on one database and Redis, a slow
 * endpoint that fails every first attempt, and a sweeper that runs every 200 ms: each attempt of each
 * delivery still reaches the merchant exactly once.
 */
let gw: TestGateway;
let sink: WebhookSink;
let second: { runtime: Runtime; workers: RunningWorkers };

beforeAll(async () => {
  sink = await WebhookSink.start((_i, request) => {
    const attempt = request.headers['x-webhook-attempt'];
    return attempt === '1' ? { status: 500, delayMs: 300 } : { status: 200, delayMs: 300 };
  });
  gw = await startTestGateway({ env: { SWEEP_INTERVAL_MS: '200' }, workers: true });
  const runtime = createRuntime(loadConfig(gw.env), 'second', { log: createLogger('silent', 'second') });
  second = { runtime, workers: startWorkers(runtime) };
  await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
});
afterAll(async () => {
  await second.workers.close();
  await second.runtime.close();
  await gw.close();
  await sink.close();
});

describe('two workers, one delivery', () => {
  it('never sends the same attempt twice', { timeout: 60_000 }, async () => {
    const orders = await Promise.all(Array.from({ length: 10 }, () => createOrder(gw)));
    await Promise.all(
      orders.map((o) =>
        gw.request('POST', '/api/v1/payments', { body: { order_id: o.id, method: 'upi', vpa: 'a@b' } }),
      ),
    );
    // 10 payments × 3 events, each failing once then succeeding: 60 requests in all.
    await waitFor(async () => {
      const pending = await gw.runtime.db.query(
        "SELECT count(*)::int AS n FROM webhook_logs WHERE status <> 'success'",
      );
      const total = await gw.runtime.db.query('SELECT count(*)::int AS n FROM webhook_logs');
      return total.rows[0].n === 30 && pending.rows[0].n === 0;
    }, 50_000);
    const pairs = sink.requests.map((r) => `${r.headers['x-webhook-id']}#${r.headers['x-webhook-attempt']}`);
    expect(pairs).toHaveLength(60);
    expect(new Set(pairs).size).toBe(60);
  });
});
