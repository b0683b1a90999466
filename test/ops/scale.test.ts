import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, request, testEnvironment, VALID_CARD, waitFor } from '../support/gateway.js';
import { type GatewayProcess, ProcessGroup, removeEnvironment } from '../support/processes.js';
import { WebhookSink } from '../support/webhook-sink.js';
import { metricValue, scrape } from './prometheus.js';

/**
 * Two API and two worker processes (`node dist/cli.js api|worker`) on one database and one queue
 * prefix: every payment is decided exactly once and every event is delivered.
 */
const processes = new ProcessGroup();
let env: Record<string, string>;
let sink: WebhookSink;
let db: pg.Pool;
let apis: GatewayProcess[];
let workers: GatewayProcess[];

beforeAll(async () => {
  sink = await WebhookSink.start();
  // Decisions a moment after creation, so that concurrent payments on one order are all pending together.
  env = await testEnvironment({ TEST_PROCESSING_DELAY: '1500' });
  db = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
  [apis, workers] = await Promise.all([
    Promise.all([1, 2].map((n) => processes.spawn('api', { env, name: `api ${n}` }))),
    Promise.all([1, 2].map((n) => processes.spawn('worker', { env, name: `worker ${n}` }))),
  ]);
});
afterAll(async () => {
  await processes.killAll();
  await db?.end();
  await sink?.close();
  if (env) await removeEnvironment(env);
});

const PAYMENT_BODIES = [
  { method: 'upi', vpa: 'user@paytm' },
  { method: 'card', card: VALID_CARD },
  { method: 'upi', vpa: 'failure@test' },
];

async function created(response: Promise<ApiResponse>): Promise<string> {
  const answer = await response;
  if (answer.status !== 201) throw new Error(`expected 201, got ${answer.status} ${answer.text}`);
  return answer.body.id;
}

describe('two APIs and two workers', () => {
  it('decide every payment exactly once and deliver every event', async () => {
    const [first, second] = apis as [GatewayProcess, GatewayProcess];
    const configured = await request(first.url, 'PUT', '/api/v1/merchant/webhook', {
      body: { webhook_url: sink.url },
    });
    expect(configured.status).toBe(200);

    // 30 payments, alternating between the two APIs, 10 at a time.
    const payments: string[] = [];
    for (let batch = 0; batch < 3; batch += 1) {
      const ids = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const api = (batch * 10 + i) % 2 === 0 ? first : second;
          const order = await created(
            request(api.url, 'POST', '/api/v1/orders', { body: { amount: 10_000 } }),
          );
          const body = PAYMENT_BODIES[(batch * 10 + i) % PAYMENT_BODIES.length];
          return created(
            request(api.url, 'POST', '/api/v1/payments', { body: { order_id: order, ...body } }),
          );
        }),
      );
      payments.push(...ids);
    }
    await waitFor(async () => {
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM payments WHERE status <> 'pending' AND id = ANY($1)",
        [payments],
      );
      return rows[0]?.n === payments.length;
    }, 30_000);

    // A refund of every successful payment, through the other API.
    const { rows: succeeded } = await db.query<{ id: string }>(
      "SELECT id FROM payments WHERE status = 'success' AND id = ANY($1)",
      [payments],
    );
    // Every third payment uses the always-failing test VPA.
    expect(succeeded.length).toBe(20);
    const refunds = await Promise.all(
      succeeded.map(({ id }, i) =>
        created(
          request((i % 2 === 0 ? second : first).url, 'POST', `/api/v1/payments/${id}/refunds`, {
            body: { amount: 2500 },
          }),
        ),
      ),
    );

    const expectedEvents = payments.length * 3 + refunds.length * 2;
    await waitFor(async () => {
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM webhook_logs WHERE status = 'success'",
      );
      return rows[0]?.n === expectedEvents;
    }, 45_000);

    // Exactly one decision per payment, and the counters of both workers add up to the same.
    const { rows: decisions } = await db.query<{ resource_id: string; n: number }>(
      `SELECT resource_id, count(*)::int AS n FROM webhook_logs
       WHERE event IN ('payment.success', 'payment.failed') GROUP BY resource_id`,
    );
    expect(decisions.length).toBe(payments.length);
    expect(decisions.every((row) => row.n === 1)).toBe(true);
    const processed = await db.query("SELECT 1 FROM refunds WHERE status = 'processed' AND id = ANY($1)", [
      refunds,
    ]);
    expect(processed.rowCount).toBe(refunds.length);

    const samples = await Promise.all(workers.map((worker) => scrape(worker.metricsUrl)));
    const decided = samples.map((s) => metricValue(s, 'gateway_payment_outcomes_total'));
    expect(decided.reduce((a, b) => a + b, 0)).toBe(payments.length);
    // Both workers took part.
    for (const s of samples)
      expect(metricValue(s, 'gateway_jobs_total', { outcome: 'completed' })).toBeGreaterThan(0);

    // Every event reached the merchant; graceful, crash-free processing delivers each exactly once.
    const { rows: logs } = await db.query<{ id: string }>('SELECT id FROM webhook_logs');
    const delivered = new Set(sink.requests.map((r) => String(r.headers['x-webhook-id'])));
    expect(logs.filter((log) => !delivered.has(log.id))).toEqual([]);
    expect(sink.requests.length).toBe(expectedEvents);

    const status = await request(second.url, 'GET', '/api/v1/test/jobs/status');
    expect(status.body).toMatchObject({ processing: 0, failed: 0, worker_status: 'running' });
  });

  it('charge an order once when fifty payments race on it through both APIs, decided by both workers', async () => {
    const [first, second] = apis as [GatewayProcess, GatewayProcess];
    const order = await created(request(first.url, 'POST', '/api/v1/orders', { body: { amount: 25_000 } }));
    const payments = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        created(
          request(
            (i % 2 ? first : second).url,
            'POST',
            i % 3 ? '/api/v1/payments' : '/api/v1/payments/public',
            {
              body: { order_id: order, ...(PAYMENT_BODIES[i % 2] as object) },
            },
          ),
        ),
      ),
    );
    await waitFor(async () => {
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM payments WHERE order_id = $1 AND status <> 'pending'",
        [order],
      );
      return rows[0]?.n === 50;
    }, 30_000);
    const { rows } = await db.query<{ status: string; error_code: string | null; n: number }>(
      `SELECT status, error_code, count(*)::int AS n FROM payments WHERE order_id = $1
       GROUP BY status, error_code ORDER BY status`,
      [order],
    );
    expect(rows).toEqual([
      { status: 'failed', error_code: 'ORDER_ALREADY_PAID', n: 49 },
      { status: 'success', error_code: null, n: 1 },
    ]);
    expect(new Set(payments).size).toBe(50);
    const events = await db.query<{ event: string; n: number }>(
      `SELECT event, count(*)::int AS n FROM webhook_logs WHERE resource_id = ANY($1)
       AND event IN ('payment.success', 'payment.failed') GROUP BY event ORDER BY event`,
      [payments],
    );
    expect(events.rows).toEqual([
      { event: 'payment.failed', n: 49 },
      { event: 'payment.success', n: 1 },
    ]);
  });

  it('every process shuts down cleanly', async () => {
    const exits = await Promise.all([...apis, ...workers].map((p) => p.stop('SIGTERM', 15_000)));
    expect(exits.map((exit) => exit.code)).toEqual([0, 0, 0, 0]);
  });
});
