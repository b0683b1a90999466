import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { databaseUrl, dropDatabase } from '../support/databases.js';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { findViolations, waitUntilSettled } from '../support/invariants.js';
import { PaymentLoad, sleep } from '../support/load.js';
import { PgBouncer } from '../support/pgbouncer.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { ProcessGroup } from '../support/processes.js';
import { addSecondEndpoint } from '../support/second-endpoint.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * The gateway behind a real PgBouncer in transaction-pooling mode (how most production PostgreSQL
 * is reached): DATABASE_URL through the pooler, DATABASE_DIRECT_URL for what needs a session
 * (migrations under their advisory lock, LISTEN). Every invariant holds, racing migrators apply
 * each migration once, and 64 concurrent clients share 10 server connections.
 */
const POOL_SIZE = 10;
let bouncer: PgBouncer;
let sink: WebhookSink;
let gw: ProcessGateway;
let database: string;

/** The environment with its database reached through the pooler. */
function throughPooler(env: Record<string, string>): Record<string, string> {
  const direct = env.DATABASE_URL as string;
  return {
    ...env,
    DATABASE_URL: bouncer.url(new URL(direct).pathname.slice(1)),
    DATABASE_DIRECT_URL: direct,
  };
}

beforeAll(async () => {
  bouncer = await PgBouncer.start({ poolSize: POOL_SIZE });
  sink = await WebhookSink.start();
  const env = throughPooler(await testEnvironment({ TEST_PROCESSING_DELAY: '300', DB_POOL_SIZE: '40' }));
  database = new URL(env.DATABASE_URL as string).pathname.slice(1);
  gw = await ProcessGateway.start({ env, workers: 1 });
  const configured = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
  expect(configured.status).toBe(200);
  await addSecondEndpoint((method, path, options) => gw.request(method, path, options), sink);
});

afterAll(async () => {
  await gw?.close();
  await sink?.close();
  await bouncer?.stop();
});

describe('behind PgBouncer in transaction mode', () => {
  it('keeps every invariant under load: payments, second payments on one order, refunds, deliveries', {
    timeout: 120_000,
  }, async () => {
    const load = new PaymentLoad({ url: gw.url, concurrency: 6 }).start();
    await sleep(6000);
    await load.stop();
    await waitUntilSettled(gw.db, 60_000);
    expect(await findViolations({ db: gw.db, load, sink })).toEqual([]);
    expect(load.unexpected).toEqual([]);
    expect(load.hangs).toEqual([]);
    expect(load.payments.size).toBeGreaterThanOrEqual(10);
  });

  it('serves 64 concurrent clients through 10 server connections', { timeout: 60_000 }, async () => {
    let most = { servers: 0, clients: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [servers, clients] = await Promise.all([
          bouncer.serverConnections(database),
          bouncer.clientConnections(database),
        ]);
        most = { servers: Math.max(most.servers, servers), clients: Math.max(most.clients, clients) };
        await sleep(50);
      }
    })();
    const statuses: number[] = [];
    const until = Date.now() + 4000;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (Date.now() < until) {
          const order = await gw.request('POST', '/api/v1/orders', { body: { amount: 10_000 } });
          statuses.push(order.status);
          if (order.status !== 201) continue;
          const payment = await gw.request('POST', '/api/v1/payments', {
            body: { order_id: order.body.id, method: 'upi', vpa: 'buyer@okbank' },
            headers: { 'Idempotency-Key': randomBytes(8).toString('hex') },
          });
          statuses.push(payment.status);
        }
      }),
    );
    sampling = false;
    await sampler;
    expect(statuses.length).toBeGreaterThan(64);
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    // More clients than server connections, and never more server connections than the pool.
    expect(most.clients).toBeGreaterThan(POOL_SIZE);
    expect(most.servers).toBeGreaterThan(0);
    expect(most.servers).toBeLessThanOrEqual(POOL_SIZE);
    await waitUntilSettled(gw.db, 60_000);
  });

  it('applies each migration once when two migrators race on a fresh database', {
    timeout: 60_000,
  }, async () => {
    const name = `gw_test_${inject('runId')}_pooled_${randomBytes(3).toString('hex')}`;
    const env = throughPooler({ ...gw.env, DATABASE_URL: databaseUrl(name) });
    const group = new ProcessGroup();
    try {
      await Promise.all([group.spawn('migrate', { env }), group.spawn('migrate', { env })]);
      await waitFor(() => group.processes.every((p) => !p.running), 30_000);
      const db = new pg.Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      try {
        const { rows } = await db.query('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await db.end();
      }
    } finally {
      await group.killAll();
      await dropDatabase(databaseUrl(name));
    }
  });
});
