import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { metricValue, scrape } from '../test/ops/prometheus.js';
import { ProcessGroup } from '../test/support/processes.js';
import {
  type CpuSplit,
  cpuMsOfAll,
  cpuSplitMs,
  machineTicks,
  postgresCpu,
  postgresCpuByLabel,
  redisCommands,
} from './lib/cpu.js';
import { benchEnvironment } from './lib/environment.js';
import { spawnGateway, stopGateways } from './lib/processes.js';
import { fixed, percentile, sorted, table } from './lib/report.js';
import { ArrivalSink } from './lib/sink.js';
import { createPaymentsPaced, seedOrders, setWebhookUrl } from './lib/traffic.js';

/**
 * Where a payment's time and CPU go at a light, even load (nothing queues for long): each payment's
 * path split into stages by the timestamps each step leaves (the client's send and answer, the row's
 * created_at and decision time, the job's enqueue and start in BullMQ, the webhook's arrival), and
 * the CPU each process spends per payment, PostgreSQL's included. A warm-up at the same rate comes
 * first, so the figures are of warm processes.
 */
const RATE = Number(process.env.BENCH_STAGES_RATE ?? 100);
const SECONDS = 10;
const WARM_UP_SECONDS = 5;
const EVENTS_PER_PAYMENT = 3;

export async function benchStages(): Promise<string> {
  const environment = await benchEnvironment({ TEST_PROCESSING_DELAY: '0', SWEEP_INTERVAL_MS: '5000' });
  const processes = new ProcessGroup();
  const sink = await ArrivalSink.start();
  const db = new pg.Client({ connectionString: environment.databaseUrl });
  await db.connect();
  const redis = new Redis(environment.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  const jobs = new Queue('payments', { connection: redis, prefix: environment.env.QUEUE_PREFIX });
  try {
    const api = await spawnGateway(processes, 'api', environment.env, 'api-0');
    const worker = await spawnGateway(processes, 'worker', environment.env, 'worker-0', 'info');
    await setWebhookUrl(api.url, sink.url);

    const warmUp = await createPaymentsPaced(
      [api.url],
      await seedOrders(environment.databaseUrl, RATE * WARM_UP_SECONDS),
      RATE,
    );
    await sink.waitForCount(warmUp.created * EVENTS_PER_PAYMENT, 60_000);

    const orders = await seedOrders(environment.databaseUrl, RATE * SECONDS);
    const arrivedBefore = await sink.count();
    const claimsBefore = await claimCounts(worker.metricsUrl);
    const cpuBefore = await cpuReading(api.pid, worker.pid, db, redis);
    const run = await createPaymentsPaced([api.url], orders, RATE);
    await sink.waitForCount(arrivedBefore + run.created * EVENTS_PER_PAYMENT, 60_000);
    const cpuAfter = await cpuReading(api.pid, worker.pid, db, redis);
    const claimsAfter = await claimCounts(worker.metricsUrl);

    const ids = run.answers.flatMap((a) => (a.paymentId ? [a.paymentId] : []));
    const rows = await db.query<{ id: string; created_at: Date; updated_at: Date }>(
      'SELECT id, created_at, updated_at FROM payments WHERE id = ANY($1)',
      [ids],
    );
    const row = new Map(rows.rows.map((r) => [r.id, r]));
    const arrival = new Map(
      (await sink.arrivals()).filter((a) => a.event === 'payment.success').map((a) => [a.paymentId, a.at]),
    );
    const stages = {
      send: [] as number[],
      answer: [] as number[],
      enqueue: [] as number[],
      pickUp: [] as number[],
      decide: [] as number[],
      deliver: [] as number[],
      whole: [] as number[],
    };
    const jobById = new Map(
      await Promise.all(ids.map(async (id) => [id, await jobs.getJob(`payment-${id}`)] as const)),
    );
    for (const answer of run.answers) {
      const payment = answer.paymentId ? row.get(answer.paymentId) : undefined;
      const queued = answer.paymentId ? jobById.get(answer.paymentId) : undefined;
      const arrivedAt = answer.paymentId ? arrival.get(answer.paymentId) : undefined;
      if (!payment || !queued?.processedOn || arrivedAt === undefined) continue;
      const created = payment.created_at.getTime();
      const decided = payment.updated_at.getTime();
      stages.send.push(created - answer.sentAt);
      stages.answer.push(answer.answeredAt - created);
      stages.enqueue.push(queued.timestamp - created);
      stages.pickUp.push(queued.processedOn - queued.timestamp);
      stages.decide.push(decided - queued.processedOn);
      stages.deliver.push(arrivedAt - decided);
      stages.whole.push(arrivedAt - answer.sentAt);
    }
    const line = (label: string, values: number[]) => {
      const v = sorted(values);
      return [label, `${percentile(v, 50)} / ${percentile(v, 90)} / ${percentile(v, 99)} ms`];
    };
    const perPayment = (ms: number) => fixed(ms / run.created, 2);
    const split = (before: CpuSplit, after: CpuSplit) =>
      `${perPayment(after.user + after.system - before.user - before.system)} (user ${perPayment(after.user - before.user)}, system ${perPayment(after.system - before.system)})`;
    const byConnection = [...postgresCpuByLabel(cpuBefore.postgresProcesses, cpuAfter.postgresProcesses)]
      .filter(([, ms]) => ms / run.created >= 0.005)
      .sort((a, b) => b[1] - a[1])
      .map(([label, ms]) => [
        label.startsWith('gateway-')
          ? `PostgreSQL: connections of the ${label} pool`
          : `PostgreSQL: ${label}`,
        perPayment(ms),
      ]);
    const claims = {
      leased: claimsAfter.leased - claimsBefore.leased,
      empty: claimsAfter.empty - claimsBefore.empty,
    };
    const busy =
      (cpuAfter.machine.busy - cpuBefore.machine.busy) / (cpuAfter.machine.all - cpuBefore.machine.all);
    return [
      `### Stages at light load (${fixed(run.created)} payments at ${RATE}/s offered evenly after a ${WARM_UP_SECONDS} s warm-up, TEST_PROCESSING_DELAY=0, 1 API + 1 worker)`,
      '',
      table(
        ['stage (each payment, from the timestamps it leaves)', 'p50 / p90 / p99'],
        [
          line('client sends → API stamps created_at (auth, order read)', stages.send),
          line('created_at → client has the 201 (insert, commit, answer)', stages.answer),
          line('created_at → job in Redis', stages.enqueue),
          line('job in Redis → worker starts it', stages.pickUp),
          line('worker starts it → decision stamped (payment read)', stages.decide),
          line('decision → payment.success arrives (commit, announce, claim, POST)', stages.deliver),
          line('client sends → payment.success arrives', stages.whole),
        ],
      ),
      '',
      table(
        ['CPU per payment', 'ms'],
        [
          ['API process', split(cpuBefore.api, cpuAfter.api)],
          ['worker process', split(cpuBefore.worker, cpuAfter.worker)],
          [
            'PostgreSQL (every postgres process of the machine)',
            perPayment(cpuAfter.postgres - cpuBefore.postgres),
          ],
          ...byConnection,
          [
            'Redis commands per payment (those of scripts included)',
            fixed((cpuAfter.redisCommands - cpuBefore.redisCommands) / run.created, 1),
          ],
          ['machine busy during the run', `${fixed(busy * 100)} %`],
          [
            'delivery claims per delivery (leased + empty)',
            `${fixed((claims.leased + claims.empty) / (run.created * EVENTS_PER_PAYMENT), 2)} (${fixed(claims.empty)} empty)`,
          ],
        ],
      ),
    ].join('\n');
  } finally {
    await jobs.close();
    redis.disconnect();
    await db.end();
    await stopGateways(processes);
    await sink.close();
    await environment.dispose();
  }
}

/**
 * The CPU used so far by the gateway's processes, by PostgreSQL (in all, and by the pool each of its
 * connections serves) and by the machine, with the commands Redis has run.
 */
async function cpuReading(apiPid: number, workerPid: number, db: pg.Client, redis: Redis) {
  return {
    api: await cpuSplitMs(apiPid),
    worker: await cpuSplitMs(workerPid),
    postgres: await cpuMsOfAll('postgres'),
    postgresProcesses: await postgresCpu(db),
    redisCommands: await redisCommands(redis),
    machine: await machineTicks(),
  };
}

/** The worker's delivery claims so far, from its /metrics. */
async function claimCounts(metricsUrl: string): Promise<{ leased: number; empty: number }> {
  const samples = await scrape(metricsUrl);
  const of = (result: string) => metricValue(samples, 'gateway_webhook_claims_total', { result });
  return { leased: of('leased'), empty: of('empty') };
}
