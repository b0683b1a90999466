import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId, QUEUE_NAMES, type QueueName } from '../../src/queue/catalog.js';
import { request, testEnvironment, waitFor } from '../support/gateway.js';
import { type GatewayCommand, ProcessGroup, removeEnvironment } from '../support/processes.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * SIGTERM against real `node dist/cli.js` processes: an API under load finishes what it accepted and
 * loses nothing it answered 2xx; a worker finishes its in-flight jobs and leaves none `active`.
 */
const processes = new ProcessGroup();
const environments: Record<string, string>[] = [];
const connections: Array<{ close(): Promise<unknown> }> = [];

async function environment(env: Record<string, string> = {}) {
  const created = await testEnvironment(env);
  environments.push(created);
  return created;
}

function queuesOf(env: Record<string, string>): { [Q in QueueName]: Queue } {
  const connection = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
  connections.push({ close: async () => connection.disconnect() });
  const make = (name: QueueName) => {
    const queue = new Queue(name, { connection, prefix: env.QUEUE_PREFIX });
    connections.unshift(queue);
    return queue;
  };
  return { payments: make('payments'), refunds: make('refunds') };
}

function database(env: Record<string, string>): pg.Pool {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
  connections.unshift({ close: () => pool.end() });
  return pool;
}

async function activeJobs(queues: { [Q in QueueName]: Queue }): Promise<number> {
  const counts = await Promise.all(QUEUE_NAMES.map((name) => queues[name].getJobCounts('active')));
  return counts.reduce((total, c) => total + (c.active ?? 0), 0);
}

afterAll(async () => {
  await processes.killAll();
  for (const connection of connections) await connection.close().catch(() => undefined);
  for (const env of environments) await removeEnvironment(env);
});

describe('every command', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = await environment();
  });

  it.each<[GatewayCommand, NodeJS.Signals]>([
    ['api', 'SIGTERM'],
    ['worker', 'SIGTERM'],
    ['checkout', 'SIGINT'],
    ['receiver', 'SIGTERM'],
    ['start', 'SIGINT'],
  ])('%s exits cleanly and quickly on %s', async (command, signal) => {
    const started = await processes.spawn(command, { env });
    const exit = await started.stop(signal, 15_000);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.durationMs).toBeLessThan(5000);
    expect(started.logs().some((line) => line.msg === 'shutdown complete')).toBe(true);
  });
});

describe('a signal during start-up', () => {
  it('still runs every closer once the process is up, and exits 0', async () => {
    const env = await environment();
    // `start` migrates first; the signal lands while the API, workers and servers are starting.
    const started = await processes.spawn('start', { env, ready: false });
    await started.waitForLog('database is up to date');
    const exit = await started.stop('SIGTERM', 15_000);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(started.logs().some((line) => line.msg === 'shutdown complete')).toBe(true);
  });
});

describe('API under load', () => {
  it('finishes the requests it accepted and loses none it answered 2xx', async () => {
    const env = await environment();
    const api = await processes.spawn('api', { env });
    const db = database(env);
    const queues = queuesOf(env);

    const paid: string[] = [];
    const orders: string[] = [];
    const refusals: number[] = [];
    let stopping = false;
    let inFlight = 0;
    const send = async (path: string, body: object) => {
      inFlight += 1;
      try {
        return await request(api.url, 'POST', path, { body });
      } finally {
        inFlight -= 1;
      }
    };
    // Each client keeps creating an order and paying it until the API stops answering.
    const client = async () => {
      for (;;) {
        try {
          const order = await send('/api/v1/orders', { amount: 10_000 });
          if (order.status !== 201) {
            refusals.push(order.status);
            if (stopping) return;
            continue;
          }
          orders.push(order.body.id);
          const payment = await send('/api/v1/payments', {
            order_id: order.body.id,
            method: 'upi',
            vpa: 'user@paytm',
          });
          if (payment.status === 201) paid.push(payment.body.id);
          else refusals.push(payment.status);
        } catch (err) {
          // Refused or reset once the listener is closed: not an answer, so nothing was promised.
          if (!stopping) throw err;
          if ((err as Error).name === 'TimeoutError') throw new Error('a request hung during shutdown');
          return;
        }
      }
    };
    const clients = Array.from({ length: 16 }, client);
    while (paid.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    const inFlightAtSignal = inFlight;

    stopping = true;
    const exit = await api.stop('SIGTERM', 20_000);
    await Promise.all(clients);

    expect(exit.code).toBe(0);
    expect(exit.durationMs).toBeLessThan(10_000);
    expect(inFlightAtSignal).toBeGreaterThan(0);
    // While draining, requests still arriving on open connections are served, not refused.
    expect(refusals).toEqual([]);

    const storedOrders = await db.query('SELECT id FROM orders WHERE id = ANY($1)', [orders]);
    expect(storedOrders.rowCount).toBe(orders.length);
    const storedPayments = await db.query<{ id: string; status: string }>(
      'SELECT id, status FROM payments WHERE id = ANY($1)',
      [paid],
    );
    expect(storedPayments.rowCount).toBe(paid.length);
    // Every accepted payment's job reached Redis before the process exited.
    const states = await Promise.all(
      paid.map((id) => queues.payments.getJobState(jobId.payments({ paymentId: id }))),
    );
    expect(states.filter((state) => state === 'unknown')).toEqual([]);
  });
});

describe('worker with deliveries in flight', () => {
  it('finishes its active jobs, leaves none active, and a new worker completes the rest', async () => {
    const sink = await WebhookSink.start(() => ({ status: 200, delayMs: 1000 }));
    connections.push({ close: () => sink.close() });
    const env = await environment({ WEBHOOK_CONCURRENCY: '8' });
    const api = await processes.spawn('api', { env });
    const first = await processes.spawn('worker', { env, name: 'first worker' });
    const db = database(env);
    const queues = queuesOf(env);

    const configured = await request(api.url, 'PUT', '/api/v1/merchant/webhook', {
      body: { webhook_url: sink.url },
    });
    expect(configured.status).toBe(200);
    const payments: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const order = await request(api.url, 'POST', '/api/v1/orders', { body: { amount: 10_000 } });
      const payment = await request(api.url, 'POST', '/api/v1/payments', {
        body: { order_id: order.body.id, method: 'upi', vpa: 'user@paytm' },
      });
      expect(payment.status).toBe(201);
      payments.push(payment.body.id);
    }

    // Eight deliveries are in flight (each takes 1 s) when the signal arrives.
    while (sink.requests.length < 8) await new Promise((resolve) => setTimeout(resolve, 20));
    const inFlight = sink.requests.map((r) => String(r.headers['x-webhook-id']));
    const exit = await first.stop('SIGTERM', 20_000);
    expect(exit.code).toBe(0);
    expect(exit.durationMs).toBeGreaterThanOrEqual(500);
    expect(exit.durationMs).toBeLessThan(10_000);

    expect(await activeJobs(queues)).toBe(0);
    // The deliveries it had started were finished and recorded, not abandoned to a lock timeout.
    const recorded = await db.query<{ id: string; status: string }>(
      'SELECT id, status FROM webhook_logs WHERE id = ANY($1)',
      [inFlight],
    );
    expect(recorded.rows.map((row) => row.status)).toEqual(inFlight.map(() => 'success'));

    await processes.spawn('worker', { env, name: 'second worker' });
    const expected = payments.length * 3; // payment.created, payment.pending, payment.success
    await waitFor(async () => {
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM webhook_logs WHERE status = 'success'",
      );
      return rows[0]?.n === expected;
    }, 30_000);
    const decided = await db.query("SELECT id FROM payments WHERE status = 'success' AND id = ANY($1)", [
      payments,
    ]);
    expect(decided.rowCount).toBe(payments.length);
    // A graceful hand-over delivers each event exactly once.
    const ids = sink.requests.map((r) => String(r.headers['x-webhook-id']));
    expect(ids.length).toBe(expected);
    expect(new Set(ids).size).toBe(expected);
    expect(await activeJobs(queues)).toBe(0);
  });
});
