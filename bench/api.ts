import { ProcessGroup } from '../test/support/processes.js';
import { benchEnvironment } from './lib/environment.js';
import { CONNECTIONS, load, mean, post, type Scenario } from './lib/load.js';
import { peakRssMiB } from './lib/memory.js';
import { singleInsertTps } from './lib/pgbench.js';
import { spawnGateway, stopGateways } from './lib/processes.js';
import { fixed, table } from './lib/report.js';
import { paymentBody, seedOrders } from './lib/traffic.js';

/**
 * API throughput under autocannon (64 connections), next to PostgreSQL's own single-insert rate
 * measured in the same run: creating an order or a payment is at least one durable insert, so that
 * rate is the floor to compare against.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
const LOG_COST_ROUNDS = Number(process.env.BENCH_LOG_COST_ROUNDS ?? 3);
// Enough unpaid orders that no payment in a run reuses one (no worker runs, so none gets paid).
const ORDERS_TO_PAY = 200_000;

export async function benchApi(): Promise<string> {
  const environment = await benchEnvironment();
  const processes = new ProcessGroup();
  try {
    const apis = [];
    for (let i = 0; i < API_PROCESSES; i++) {
      apis.push(await spawnGateway(processes, 'api', environment.env, `api-${i}`));
    }
    const urls = apis.map((api) => api.url);
    const [first] = urls as [string];
    const order = await post(first, '/api/v1/orders', { amount: 50_000 });
    const payment = await post(first, '/api/v1/payments', {
      order_id: order.id,
      method: 'upi',
      vpa: 'user@paytm',
    });
    const orders = await seedOrders(environment.databaseUrl, ORDERS_TO_PAY);
    let nextOrder = 0;
    const nextPaymentBody = () => paymentBody(orders[nextOrder++ % orders.length] as string);

    const scenarios: Scenario[] = [
      {
        name: 'POST /api/v1/orders',
        method: 'POST',
        path: '/api/v1/orders',
        body: JSON.stringify({ amount: 50_000 }),
      },
      { name: 'POST /api/v1/payments', method: 'POST', path: '/api/v1/payments', nextBody: nextPaymentBody },
      {
        name: 'POST /api/v1/payments + Idempotency-Key',
        method: 'POST',
        path: '/api/v1/payments',
        nextBody: nextPaymentBody,
        uniqueIdempotencyKey: true,
      },
      { name: 'GET /api/v1/payments/{id}', method: 'GET', path: `/api/v1/payments/${payment.id}` },
    ];
    const floor = await singleInsertTps(environment.databaseUrl, CONNECTIONS, SECONDS);
    const rows: Array<Array<string | number>> = [];
    for (const scenario of scenarios) {
      const result = await load(urls, scenario, SECONDS);
      rows.push([
        scenario.name,
        fixed(result.rps),
        `${result.p50} ms`,
        `${result.p99} ms`,
        result.errors,
        scenario.method === 'POST' ? fixed(result.rps / floor, 2) : '–',
      ]);
    }
    // What the request log costs the create path: the same payments on fresh API processes that
    // keep it and on as many that keep none, started together on the same database and loaded in
    // alternating rounds, so that a drift of this shared machine during the run falls on both sides
    // alike. (Measured against the processes of the scenarios above, which had served a minute of
    // load, the logged side came out a third slower; against a fresh one, a tenth.)
    const logging = [];
    const unlogged = [];
    for (let i = 0; i < API_PROCESSES; i++) {
      logging.push(await spawnGateway(processes, 'api', environment.env, `api-logged-${i}`));
      unlogged.push(
        await spawnGateway(
          processes,
          'api',
          { ...environment.env, REQUEST_LOG: 'false' },
          `api-unlogged-${i}`,
        ),
      );
    }
    const createPayment = (name: string): Scenario => ({
      name,
      method: 'POST',
      path: '/api/v1/payments',
      nextBody: nextPaymentBody,
    });
    const logged: Awaited<ReturnType<typeof load>>[] = [];
    const notLogged: Awaited<ReturnType<typeof load>>[] = [];
    for (let round = 0; round < LOG_COST_ROUNDS; round++) {
      logged.push(
        await load(
          logging.map((api) => api.url),
          createPayment('request log on'),
          SECONDS,
        ),
      );
      notLogged.push(
        await load(
          unlogged.map((api) => api.url),
          createPayment('request log off'),
          SECONDS,
        ),
      );
    }
    for (const [name, results] of [
      ['POST /api/v1/payments, request log on (alternating rounds)', logged],
      ['POST /api/v1/payments, request log off (alternating rounds)', notLogged],
    ] as const) {
      const rps = mean(results.map((r) => r.rps));
      rows.push([
        name,
        fixed(rps),
        `${Math.max(...results.map((r) => r.p50))} ms`,
        `${Math.max(...results.map((r) => r.p99))} ms`,
        results.reduce((sum, r) => sum + r.errors, 0),
        fixed(rps / floor, 2),
      ]);
    }
    const logCost = 1 - mean(logged.map((r) => r.rps)) / mean(notLogged.map((r) => r.rps));
    const rss = await Promise.all(apis.map((api) => peakRssMiB(api.pid)));
    return [
      `### API (${CONNECTIONS} connections, ${SECONDS} s each, ${API_PROCESSES} API process${API_PROCESSES > 1 ? 'es' : ''})`,
      '',
      table(['request', 'req/s', 'p50', 'p99', 'errors', '× PG single-insert rate'], rows),
      '',
      `PostgreSQL single-row insert transaction (pgbench, ${CONNECTIONS} clients): **${fixed(floor)} tps**.`,
      `The request log costs the create path **${fixed(logCost * 100, 1)} %** (mean of ${LOG_COST_ROUNDS} alternating rounds each; negative: within the noise).`,
      `Round by round, on / off: ${logged.map((r, i) => `${fixed(r.rps)} / ${fixed(notLogged[i]?.rps ?? 0)}`).join(', ')} req/s.`,
      `Peak RSS of the API process${API_PROCESSES > 1 ? 'es' : ''}: ${rss.map((r) => `${r} MiB`).join(', ')}.`,
    ].join('\n');
  } finally {
    await stopGateways(processes);
    await environment.dispose();
  }
}
