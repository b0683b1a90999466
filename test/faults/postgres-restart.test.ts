import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from '../support/databases.js';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { findViolations, summarise, waitUntilSettled } from '../support/invariants.js';
import { PaymentLoad, sleep } from '../support/load.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { addSecondEndpoint } from '../support/second-endpoint.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * PostgreSQL crashes and comes back under load. While it is down the API answers 503
 * SERVICE_UNAVAILABLE within a bound; afterwards it recovers without a restart, and no payment or
 * refund exists twice or half. The database is a private cluster of this test, so stopping it never
 * disturbs the other test files sharing the machine's PostgreSQL.
 */
const HANG_GUARD_MS = 5000;
const OUTAGES = [
  { mode: 'immediate', downMs: 6000 },
  { mode: 'fast', downMs: 4000 },
] as const;

let postgres: PrivatePostgres;
let gw: ProcessGateway;
let sink: WebhookSink;

beforeAll(async () => {
  postgres = await PrivatePostgres.create();
  sink = await WebhookSink.start(() => ({ status: 200, delayMs: 30 }));
  const env = await testEnvironment({
    TEST_PROCESSING_DELAY: '500',
    JOB_LOCK_DURATION_MS: '5000',
    DB_POOL_SIZE: '10',
  });
  // testEnvironment cloned a database on the shared cluster; this test lives on its own.
  await dropDatabase(env.DATABASE_URL as string);
  env.DATABASE_URL = postgres.url('gateway_fault');
  gw = await ProcessGateway.start({ env, workers: 1, migrate: true });
  const configured = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
  expect(configured.status).toBe(200);
  await addSecondEndpoint((method, path, options) => gw.request(method, path, options), sink);
}, 120_000);

afterAll(async () => {
  await gw?.close({ dropDatabase: false });
  await postgres?.destroy();
  await sink?.close();
});

describe('PostgreSQL restarted under load', () => {
  it('answers 503 while it is down, recovers by itself, and writes nothing twice or by halves', {
    timeout: 240_000,
  }, async () => {
    // Careful clients retry a 503 (or a dropped connection) with the same Idempotency-Key. One waits
    // for outcomes and refunds; the other only keeps creating payments, so creates meet the outage.
    const client = { url: gw.url, hangGuardMs: HANG_GUARD_MS, retryStatuses: [503] };
    const loads = [
      new PaymentLoad({ ...client, concurrency: 3 }).start(),
      new PaymentLoad({ ...client, concurrency: 2, refunds: false }).start(),
    ];
    const apiPid = gw.api.pid;
    const outageAnswers: number[] = [];

    for (const { mode, downMs } of OUTAGES) {
      await sleep(4000);
      await postgres.stop(mode);
      const downSince = Date.now();
      while (Date.now() - downSince < downMs) {
        expect(gw.unexpectedExits()).toEqual([]);
        const probes = await Promise.all([
          gw.request('POST', '/api/v1/orders', { body: { amount: 5000 }, timeoutMs: HANG_GUARD_MS }),
          gw.request('GET', '/api/v1/payments?limit=5', { timeoutMs: HANG_GUARD_MS }),
          gw.request('GET', '/api/v1/orders/order_AAAAAAAAAAAAAAAA/public', { timeoutMs: HANG_GUARD_MS }),
          gw.request('GET', '/health', { timeoutMs: HANG_GUARD_MS }),
        ]);
        for (const probe of probes) {
          outageAnswers.push(probe.status);
          if (probe.status === 503 && probe.body?.error)
            expect(probe.body.error.code).toBe('SERVICE_UNAVAILABLE');
        }
        await sleep(500);
      }
      await postgres.start();
    }
    await sleep(4000);
    await Promise.all(loads.map((load) => load.stop()));

    await waitUntilSettled(gw.db, 120_000);
    const summary = await summarise(gw.db, sink);
    console.info(
      '[faults] postgres restarts:',
      JSON.stringify({
        summary,
        outageProbes: outageAnswers.length,
        statuses: loads.map((l) => Object.fromEntries(l.statuses)),
      }),
    );

    expect(outageAnswers.filter((status) => status !== 503)).toEqual([]);
    expect(await findViolations({ db: gw.db, load: loads, sink })).toEqual([]);
    for (const load of loads) {
      expect(load.unexpected).toEqual([]);
      expect(load.hangs).toEqual([]);
    }
    // Recovery without a restart: the same API process served before, during and after.
    expect(gw.api.pid).toBe(apiPid);
    expect(gw.api.running).toBe(true);
    expect(gw.workers.every((w) => w.running)).toBe(true);
    // The clients met the outage too, and got through it by retrying.
    expect(loads[1]?.count('POST /orders 503')).toBeGreaterThan(0);
    const health = await waitFor(async () => (await gw.request('GET', '/health')).status === 200, 10_000);
    expect(health).toBe(true);
  });
});
