import pg from 'pg';
import { ProcessGroup } from '../test/support/processes.js';
import { benchEnvironment } from './lib/environment.js';
import { peakRssMiB } from './lib/memory.js';
import { spawnGateway, stopGateways } from './lib/processes.js';
import { fixed, table } from './lib/report.js';
import { ArrivalSink } from './lib/sink.js';
import { createPayments, seedOrders, setWebhookUrl } from './lib/traffic.js';

/**
 * Production-shaped: a bank that answers after 7.5 s (the middle of the 5–10 s that production mode
 * simulates) with payments arriving at a steady rate. It runs in test mode because production mode
 * refuses the published test merchant that the benchmark pays with. Because the delay is a delayed job rather than a sleep, thousands of payments can be
 * in flight while only a few worker slots are busy; this measures the rate that is sustained.
 */
const RATE = Number(process.env.BENCH_PRODUCTION_RATE ?? 800);
const SECONDS = Number(process.env.BENCH_PRODUCTION_SECONDS ?? 30);

export async function benchProduction(): Promise<string> {
  const environment = await benchEnvironment({
    TEST_MODE: 'true',
    TEST_PROCESSING_DELAY: '7500',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  });
  const processes = new ProcessGroup();
  const sink = await ArrivalSink.start();
  const db = new pg.Client({ connectionString: environment.databaseUrl });
  await db.connect();
  const sampling = { on: true };
  try {
    const api = await spawnGateway(processes, 'api', environment.env, 'api');
    const worker = await spawnGateway(processes, 'worker', environment.env, 'worker', 'info');
    await setWebhookUrl(api.url, sink.url);
    const orders = await seedOrders(environment.databaseUrl, RATE * SECONDS);

    let maxInFlight = 0;
    const samplingDone = (async () => {
      while (sampling.on) {
        const { rows } = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM payments WHERE status = 'pending'",
        );
        maxInFlight = Math.max(maxInFlight, rows[0]!.n);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    const started = Date.now();
    const creation = await createPayments([api.url], orders, { connections: 64, ratePerSecond: RATE });
    const creationEnded = Date.now();

    // Every payment is due within 10 s of its creation; give the pipeline that plus a margin.
    const deadline = creationEnded + 30_000;
    let pending = Number.POSITIVE_INFINITY;
    while (Date.now() < deadline) {
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM payments WHERE status = 'pending'",
      );
      pending = rows[0]!.n;
      if (pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    sampling.on = false;
    await samplingDone;
    const lastDecision = await db.query<{ lateness: number }>(
      `SELECT (percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - process_after)) * 1000)::int AS lateness
       FROM payments WHERE status <> 'pending'`,
    );
    const outcomes = await db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM payments GROUP BY status',
    );
    // Steady state: from the first payments becoming due (10 s in) to the end of the offered load.
    const steadyFrom = new Date(started + 10_000);
    const steadyTo = new Date(creationEnded);
    const steady = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM payments WHERE status <> 'pending' AND updated_at >= $1 AND updated_at < $2",
      [steadyFrom, steadyTo],
    );
    const steadySeconds = (steadyTo.getTime() - steadyFrom.getTime()) / 1000;
    const rss = [`api ${await peakRssMiB(api.pid)} MiB`, `worker ${await peakRssMiB(worker.pid)} MiB`];

    return [
      `### Production-shaped (7.5 s bank delay, ${RATE} payments/s offered for ${SECONDS} s, 1 API + 1 worker process)`,
      '',
      table(
        ['measure', 'value'],
        [
          [
            'payments created',
            `${fixed(creation.created)} at ${fixed(creation.created / creation.seconds)}/s (${creation.failed} errors)`,
          ],
          ['most payments in flight at once', fixed(maxInFlight)],
          ['still pending 30 s after the last creation', pending],
          [
            'decided per second in steady state (10 s in to the end of the load)',
            `**${fixed(steady.rows[0]!.n / steadySeconds)} payments/s**`,
          ],
          ['decided later than due, p99', `${lastDecision.rows[0]!.lateness} ms`],
          ['outcomes', outcomes.rows.map((r) => `${r.status} ${r.n}`).join(', ')],
          ['webhooks delivered by the end of the run', fixed(await sink.count())],
          ['peak RSS', rss.join(', ')],
        ],
      ),
    ].join('\n');
  } finally {
    sampling.on = false;
    await db.end();
    await stopGateways(processes);
    await sink.close();
    await environment.dispose();
  }
}
