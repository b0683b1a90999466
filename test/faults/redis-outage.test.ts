import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { findViolations, summarise, waitUntilSettled } from '../support/invariants.js';
import { PaymentLoad, sleep } from '../support/load.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { PrivateRedis } from '../support/redis-server.js';
import { addSecondEndpoint } from '../support/second-endpoint.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * Redis only moves work. Stopped for 10 s (and restarted empty: it runs without persistence) or
 * wiped with FLUSHALL mid-run, the API must keep answering within a bound, and once Redis is back
 * everything pending must complete from what PostgreSQL holds. Each scenario runs its own private
 * redis-server; the machine's Redis is never touched.
 */
const HANG_GUARD_MS = 5000;

interface Scenario {
  redis: PrivateRedis;
  gw: ProcessGateway;
  sink: WebhookSink;
}

async function withScenario(run: (s: Scenario) => Promise<void>): Promise<void> {
  const redis = await PrivateRedis.create();
  const sink = await WebhookSink.start(() => ({ status: 200, delayMs: 50 }));
  let gw: ProcessGateway | undefined;
  try {
    const env = await testEnvironment({
      REDIS_URL: redis.url,
      TEST_PROCESSING_DELAY: '1500',
      JOB_LOCK_DURATION_MS: '5000',
    });
    gw = await ProcessGateway.start({ env, workers: 2 });
    const configured = await gw.request('PUT', '/api/v1/merchant/webhook', {
      body: { webhook_url: sink.url },
    });
    expect(configured.status).toBe(200);
    const started = gw;
    await addSecondEndpoint((method, path, options) => started.request(method, path, options), sink);
    await run({ redis, gw, sink });
  } finally {
    await redis.start().catch(() => undefined);
    await gw?.close();
    await redis.stop();
    await sink.close();
  }
}

/** Two clients: one pays and refunds (waiting for outcomes), one only keeps creating payments. */
function startLoads(url: string): PaymentLoad[] {
  return [
    new PaymentLoad({ url, concurrency: 3, hangGuardMs: HANG_GUARD_MS }).start(),
    new PaymentLoad({ url, concurrency: 2, refunds: false, hangGuardMs: HANG_GUARD_MS }).start(),
  ];
}

async function expectEverythingCompleted(gw: ProcessGateway, sink: WebhookSink, loads: PaymentLoad[]) {
  await Promise.all(loads.map((load) => load.stop()));
  await waitUntilSettled(gw.db, 120_000);
  expect(await findViolations({ db: gw.db, load: loads, sink })).toEqual([]);
  for (const load of loads) {
    expect(load.unexpected).toEqual([]);
    expect(load.hangs).toEqual([]);
  }
  // Nobody had to be restarted: the processes reconnected on their own.
  expect(gw.api.running).toBe(true);
  expect(gw.workers.every((w) => w.running)).toBe(true);
  const jobs = await waitFor(async () => {
    const status = await gw.request('GET', '/api/v1/test/jobs/status');
    return status.status === 200 && status.body.worker_status === 'running' && status.body;
  }, 30_000);
  expect(jobs.failed).toBe(0);
  return summarise(gw.db, sink);
}

describe.concurrent('Redis faults under load', () => {
  it(
    'stopped for 10 s: the API answers within the bound, then all pending work completes',
    { timeout: 240_000 },
    () =>
      withScenario(async ({ redis, gw, sink }) => {
        const loads = startLoads(gw.url);
        await sleep(3000);
        const before = loads.reduce((n, load) => n + load.payments.size, 0);

        await redis.stop();
        const outageStarted = Date.now();
        const probes: number[] = [];
        while (Date.now() - outageStarted < 10_000) {
          const health = await gw.request('GET', '/health', { timeoutMs: HANG_GUARD_MS });
          const jobs = await gw.request('GET', '/api/v1/test/jobs/status', { timeoutMs: HANG_GUARD_MS });
          probes.push(health.status, jobs.status);
          await sleep(1000);
        }
        const duringOutage = loads.reduce((n, load) => n + load.payments.size, 0) - before;
        await redis.start();
        await sleep(3000);

        const summary = await expectEverythingCompleted(gw, sink, loads);
        console.info(
          '[faults] redis stopped 10 s:',
          JSON.stringify({ duringOutage, probes: probes.length, summary }),
        );
        // While Redis was away, health and queue status said so, quickly; payments were still taken.
        expect(probes.filter((status) => status !== 503)).toEqual([]);
        expect(duringOutage).toBeGreaterThan(0);
      }),
  );

  it('FLUSHALL twice mid-run: every payment, refund and webhook still completes', { timeout: 240_000 }, () =>
    withScenario(async ({ redis, gw, sink }) => {
      const loads = startLoads(gw.url);
      const admin = new Redis(redis.url);
      try {
        for (const pause of [4000, 3000]) {
          await sleep(pause);
          // Wipe while jobs are waiting out their delay, so some are certainly lost with it.
          await waitFor(async () => {
            const { rows } = await gw.db.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM payments WHERE status = 'pending'",
            );
            return (rows[0]?.n ?? 0) > 0;
          }, 10_000);
          expect(await admin.flushall()).toBe('OK');
        }
      } finally {
        admin.disconnect();
      }
      await sleep(2000);
      const summary = await expectEverythingCompleted(gw, sink, loads);
      console.info('[faults] redis FLUSHALL:', JSON.stringify(summary));
      expect(summary.payments).toBeGreaterThanOrEqual(10);
    }),
  );
});
