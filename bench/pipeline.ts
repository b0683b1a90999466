import pg from 'pg';
import { ProcessGroup } from '../test/support/processes.js';
import { benchEnvironment } from './lib/environment.js';
import { peakRssMiB } from './lib/memory.js';
import { spawnGateway, stopGateways } from './lib/processes.js';
import { fixed, percentile, sorted, table } from './lib/report.js';
import { ArrivalSink } from './lib/sink.js';
import { createPayments, createPaymentsPaced, seedOrders, setWebhookUrl } from './lib/traffic.js';

/**
 * The whole pipeline with no simulated delay: N payments created through the API, decided by the
 * workers, and each one's three webhooks (created, pending, success) delivered to a local endpoint.
 * Reports how fast payments are decided and webhooks delivered until all are done, and the time from
 * a payment's decision to its payment.success webhook arriving; then, on the same processes with
 * the backlog gone, a light paced load and the time from each payment's creation to its
 * payment.success arriving.
 */
const PAYMENTS = Number(process.env.BENCH_PIPELINE_PAYMENTS ?? 20_000);
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
const WORKER_PROCESSES = Number(process.env.BENCH_WORKER_PROCESSES ?? 1);
const EVENTS_PER_PAYMENT = 3;
const TIMEOUT_MS = Number(process.env.BENCH_PIPELINE_TIMEOUT_MS ?? 600_000);
/** The light load after the backlog has drained: what a payment waits when nothing queues. */
const LIGHT_RATE = Number(process.env.BENCH_LIGHT_RATE ?? 200);
const LIGHT_SECONDS = 10;

export interface PipelineShape {
  payments: number;
  apiProcesses: number;
  workerProcesses: number;
  /** What the engines under the gateway are, for the heading. */
  engines: string;
  /** Settings that put the gateway on those engines (cluster nodes, pooler URLs). */
  env?: (databaseUrl: string) => Record<string, string>;
}

export function benchPipeline(): Promise<string> {
  return runPipeline({
    payments: PAYMENTS,
    apiProcesses: API_PROCESSES,
    workerProcesses: WORKER_PROCESSES,
    engines: 'one PostgreSQL, one Redis',
  });
}

/** Runs the pipeline in the given shape and returns its report section. */
export async function runPipeline(shape: PipelineShape): Promise<string> {
  const { payments: PAYMENTS, apiProcesses: API_PROCESSES, workerProcesses: WORKER_PROCESSES } = shape;
  const base = await benchEnvironment({
    TEST_PROCESSING_DELAY: '0',
    SWEEP_INTERVAL_MS: '5000',
  });
  const environment = { ...base, env: { ...base.env, ...shape.env?.(base.databaseUrl) } };
  const processes = new ProcessGroup();
  const sink = await ArrivalSink.start();
  const db = new pg.Client({ connectionString: environment.databaseUrl });
  await db.connect();
  try {
    const apis = [];
    for (let i = 0; i < API_PROCESSES; i++) {
      apis.push(await spawnGateway(processes, 'api', environment.env, `api-${i}`));
    }
    const workers = [];
    for (let i = 0; i < WORKER_PROCESSES; i++) {
      workers.push(await spawnGateway(processes, 'worker', environment.env, `worker-${i}`, 'info'));
    }
    await setWebhookUrl(apis[0]!.url, sink.url);
    const orders = await seedOrders(environment.databaseUrl, PAYMENTS);

    const started = Date.now();
    let decidedAt = 0;
    let deliveredAt = 0;
    const watching = (async () => {
      while (Date.now() - started < TIMEOUT_MS) {
        const { rows } = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM payments WHERE status <> 'pending'",
        );
        if (!decidedAt && rows[0]!.n >= PAYMENTS) decidedAt = Date.now();
        if (!deliveredAt && (await sink.count()) >= PAYMENTS * EVENTS_PER_PAYMENT) deliveredAt = Date.now();
        if (decidedAt && deliveredAt) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`pipeline did not finish within ${TIMEOUT_MS} ms`);
    })();
    const creation = await createPayments(
      apis.map((a) => a.url),
      orders,
      { connections: 64 },
    );
    await watching;

    const decisions = await db.query<{ id: string; decided: Date }>(
      "SELECT id, updated_at AS decided FROM payments WHERE status <> 'pending'",
    );
    const decidedAtById = new Map(decisions.rows.map((row) => [row.id, row.decided.getTime()]));
    const arrivals = await sink.arrivals();
    const latencies = sorted(
      arrivals
        .filter((a) => a.event === 'payment.success' && a.paymentId)
        .map((a) => a.at - (decidedAtById.get(a.paymentId as string) ?? a.at)),
    );
    const duplicates = arrivals.length - new Set(arrivals.map((a) => a.id)).size;
    // Light load on the same processes: create → payment.success received, with no backlog.
    const lightOrders = await seedOrders(environment.databaseUrl, LIGHT_RATE * LIGHT_SECONDS);
    const arrivedBefore = await sink.count();
    const light = await createPaymentsPaced(
      apis.map((a) => a.url),
      lightOrders,
      LIGHT_RATE,
    );
    await sink.waitForCount(arrivedBefore + light.created * EVENTS_PER_PAYMENT, 60_000);
    const lightCreated = await db.query<{ id: string; created: Date; decided: Date }>(
      'SELECT id, created_at AS created, updated_at AS decided FROM payments WHERE order_id = ANY($1)',
      [lightOrders],
    );
    const createdAtById = new Map(lightCreated.rows.map((row) => [row.id, row.created.getTime()]));
    const decidedAtByLightId = new Map(lightCreated.rows.map((row) => [row.id, row.decided.getTime()]));
    const lightArrivals = (await sink.arrivals()).filter(
      (a) => a.event === 'payment.success' && a.paymentId && createdAtById.has(a.paymentId),
    );
    const lightLatencies = sorted(
      lightArrivals.map((a) => a.at - (createdAtById.get(a.paymentId as string) ?? a.at)),
    );
    // Where the light load's time goes: creation to decision (both the database's clock), and
    // decision to arrival at the endpoint.
    const createToDecision = sorted(
      lightCreated.rows.map((row) => row.decided.getTime() - row.created.getTime()),
    );
    const decisionToArrival = sorted(
      lightArrivals.map((a) => a.at - (decidedAtByLightId.get(a.paymentId as string) ?? a.at)),
    );

    const rss = await Promise.all(
      [...apis, ...workers].map(async (p) => `${p.name} ${await peakRssMiB(p.pid)} MiB`),
    );

    const seconds = (at: number) => (at - started) / 1000;
    return [
      `### Pipeline (${fixed(PAYMENTS)} payments, TEST_PROCESSING_DELAY=0, ${API_PROCESSES} API + ${WORKER_PROCESSES} worker process${WORKER_PROCESSES > 1 ? 'es' : ''}; ${shape.engines})`,
      '',
      table(
        ['measure', 'value'],
        [
          [
            'payments created (201)',
            `${fixed(creation.created)} in ${fixed(creation.seconds, 1)} s = ${fixed(creation.created / creation.seconds)}/s`,
          ],
          [
            'all payments decided after',
            `${fixed(seconds(decidedAt), 1)} s = **${fixed(PAYMENTS / seconds(decidedAt))} payments/s**`,
          ],
          [
            'all webhooks delivered after',
            `${fixed(seconds(deliveredAt), 1)} s = **${fixed((PAYMENTS * EVENTS_PER_PAYMENT) / seconds(deliveredAt))} webhooks/s**`,
          ],
          [
            'payments fully done (decided + 3 webhooks) per second',
            fixed(PAYMENTS / seconds(Math.max(decidedAt, deliveredAt))),
          ],
          [
            'decision → payment.success arrival p50 / p99',
            `${percentile(latencies, 50)} ms / ${percentile(latencies, 99)} ms`,
          ],
          [
            `create → payment.success received p50 / p99, ${LIGHT_RATE}/s offered evenly for ${LIGHT_SECONDS} s after the backlog (${fixed(lightLatencies.length)} payments)`,
            `${percentile(lightLatencies, 50)} ms / **${percentile(lightLatencies, 99)} ms**`,
          ],
          [
            'of which create → decision / decision → arrival, p50 / p99',
            `${percentile(createToDecision, 50)} / ${percentile(createToDecision, 99)} ms, ${percentile(decisionToArrival, 50)} / ${percentile(decisionToArrival, 99)} ms`,
          ],
          ['duplicate deliveries', duplicates],
          ['peak RSS', rss.join(', ')],
        ],
      ),
    ].join('\n');
  } finally {
    await db.end();
    await stopGateways(processes);
    await sink.close();
    await environment.dispose();
  }
}
