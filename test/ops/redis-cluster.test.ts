import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment, VALID_CARD, waitFor } from '../support/gateway.js';
import { findViolations, waitUntilSettled } from '../support/invariants.js';
import { PaymentLoad, sleep } from '../support/load.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { RedisCluster } from '../support/redis-cluster.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * The queues on a real Redis Cluster (three masters, three replicas): the whole flow works, each
 * queue lives under its own hash tag on its own shard, and a master killed with SIGKILL under load
 * is replaced by its replica while every payment is still decided once and every event delivered.
 */
let cluster: RedisCluster;
let sink: WebhookSink;
let gw: ProcessGateway;
let prefix: string;

/** A queue prefix whose two queues' hash tags fall on different masters, so the spread is visible. */
async function spreadPrefix(): Promise<string> {
  for (;;) {
    const candidate = `gwtest-${randomBytes(4).toString('hex')}`;
    const [payments, refunds] = await Promise.all([
      cluster.masterOf(`{${candidate}-payments}`),
      cluster.masterOf(`{${candidate}-refunds}`),
    ]);
    if (payments !== refunds) return candidate;
  }
}

beforeAll(async () => {
  cluster = await RedisCluster.start();
  sink = await WebhookSink.start();
  prefix = await spreadPrefix();
  const env = await testEnvironment({
    REDIS_CLUSTER_NODES: cluster.nodeList,
    QUEUE_PREFIX: prefix,
    TEST_PROCESSING_DELAY: '300',
    JOB_LOCK_DURATION_MS: '3000',
  });
  gw = await ProcessGateway.start({ env, workers: 1 });
  const configured = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
  expect(configured.status).toBe(200);
}, 90_000);

afterAll(async () => {
  await gw?.close();
  await sink?.close();
  await cluster?.stop();
});

describe('on a Redis Cluster', () => {
  it('survives a master killed under load: the replica takes over and nothing is lost or done twice', {
    timeout: 180_000,
  }, async () => {
    const load = new PaymentLoad({ url: gw.url, concurrency: 4 }).start();
    await sleep(2000);
    const victim = await cluster.masterOf(`{${prefix}-payments}`);
    cluster.kill(victim);
    const successor = await waitFor(async () => {
      const now = await cluster.masterOf(`{${prefix}-payments}`).catch(() => victim);
      return now !== victim && now;
    }, 60_000);
    await cluster.waitUntilHealthy(60_000);
    await sleep(3000);
    await load.stop();

    await waitUntilSettled(gw.db, 120_000);
    expect(successor).not.toBe(victim);
    expect(await findViolations({ db: gw.db, load, sink })).toEqual([]);
    expect(load.unexpected).toEqual([]);
    expect(load.hangs).toEqual([]);
    expect(load.payments.size).toBeGreaterThanOrEqual(10);
    expect(gw.api.running).toBe(true);
  });

  it('takes a payment, a refund and their webhooks through, with the queues on different shards', {
    timeout: 60_000,
  }, async () => {
    const order = await gw.request('POST', '/api/v1/orders', { body: { amount: 20_000 } });
    const payment = await gw.request('POST', '/api/v1/payments', {
      body: { order_id: order.body.id, method: 'card', card: VALID_CARD },
    });
    expect(payment.status).toBe(201);
    await waitFor(
      async () => (await gw.request('GET', `/api/v1/payments/${payment.body.id}`)).body.status === 'success',
    );
    const refund = await gw.request('POST', `/api/v1/payments/${payment.body.id}/refunds`, {
      body: { amount: 5000 },
    });
    expect(refund.status).toBe(201);
    await waitFor(
      async () => (await gw.request('GET', `/api/v1/refunds/${refund.body.id}`)).body.status === 'processed',
    );
    await waitFor(() => sink.requests.some((r) => r.body.includes('refund.processed')));
    const events = sink.requests.map((r) => JSON.parse(r.body).event);
    expect(events).toEqual(
      expect.arrayContaining([
        'payment.created',
        'payment.pending',
        'payment.success',
        'refund.created',
        'refund.processed',
      ]),
    );

    const [paymentsShard, refundsShard] = await Promise.all([
      cluster.masterOf(`{${prefix}-payments}`),
      cluster.masterOf(`{${prefix}-refunds}`),
    ]);
    expect(paymentsShard).not.toBe(refundsShard);
    expect((await cluster.keysOn(paymentsShard, `{${prefix}-payments}:*`)).length).toBeGreaterThan(0);
    expect((await cluster.keysOn(refundsShard, `{${prefix}-refunds}:*`)).length).toBeGreaterThan(0);
    const health = await gw.request('GET', '/health');
    expect(health.body).toMatchObject({ status: 'healthy', redis: 'connected' });
    const jobs = await gw.request('GET', '/api/v1/test/jobs/status');
    expect(jobs.body.worker_status).toBe('running');
    expect(jobs.body.completed).toBeGreaterThanOrEqual(2);
  });
});
