import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * A job whose worker died mid-run is taken over within 10 s of the `kill -9`, restart included: the
 * buyer on the checkout page does not watch "processing" for a minute. Default lock settings.
 */
const TAKEOVER_MS = 10_000;

let gw: ProcessGateway;
let sink: WebhookSink;
let holder: pg.Client;

beforeAll(async () => {
  // The first delivery hangs (the worker is killed while it waits); every later one is answered.
  sink = await WebhookSink.start((index) => (index === 0 ? 'hang' : { status: 200 }));
  gw = await ProcessGateway.start({ env: await testEnvironment(), workers: 1 });
  holder = new pg.Client({ connectionString: gw.env.DATABASE_URL });
  await holder.connect();
}, 60_000);

afterAll(async () => {
  await holder?.end().catch(() => undefined);
  await gw?.close();
  await sink?.close();
});

/** True while a worker's statement waits for a lock this test holds. */
async function workerIsBlocked(): Promise<boolean> {
  const { rows } = await gw.db.query(
    `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
       AND application_name LIKE 'gateway-worker%'`,
  );
  return rows.length > 0;
}

describe('a worker killed with SIGKILL mid-job', () => {
  it('has its payment decided by the restarted worker within 10 s', async () => {
    const order = (await gw.request('POST', '/api/v1/orders', { body: { amount: 10_000 } })).body;
    // The decision locks the order row; holding it keeps the payment job running (active) until the kill.
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM orders WHERE id = $1 FOR NO KEY UPDATE', [order.id]);
    const payment = (
      await gw.request('POST', '/api/v1/payments', {
        body: { order_id: order.id, method: 'upi', vpa: 'a@bank' },
      })
    ).body;
    await waitFor(workerIsBlocked, 10_000);
    await gw.killWorker();
    const killedAt = Date.now();
    // PostgreSQL would finish the dead worker's statement once the lock is free; end its sessions
    // first (as the server does when it notices the client is gone), so the job really is orphaned.
    await gw.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name LIKE 'gateway-worker%'`,
    );
    await holder.query('ROLLBACK');
    expect((await gw.request('GET', `/api/v1/payments/${payment.id}`)).body.status).toBe('pending');
    await gw.startWorker();
    const decided = await waitFor(async () => {
      const res = await gw.request('GET', `/api/v1/payments/${payment.id}`);
      return res.body.status !== 'pending' && res.body;
    }, 30_000);
    expect(decided.status).toBe('success');
    expect(Date.now() - killedAt).toBeLessThan(TAKEOVER_MS);
  });

  it('has its webhook delivery sent again by the restarted worker within 10 s', async () => {
    await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
    const test = await gw.request('POST', '/api/v1/merchant/webhook/test');
    expect(test.status).toBe(202);
    await waitFor(() => sink.requests.length === 1, 10_000);
    await gw.killWorker();
    const killedAt = Date.now();
    await gw.startWorker();
    await waitFor(() => sink.requests.length >= 2, 30_000);
    expect(Date.now() - killedAt).toBeLessThan(TAKEOVER_MS);
    const [first, again] = sink.requests;
    expect(again?.headers['x-webhook-id']).toBe(first?.headers['x-webhook-id']);
    const log = await waitFor(async () => {
      const res = await gw.request('GET', `/api/v1/webhooks/${test.body.id}`);
      return res.body.status === 'success' && res.body;
    });
    expect(log.attempts).toBe(1);
  });
});
