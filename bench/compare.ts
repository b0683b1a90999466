import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type GatewayProcess, ProcessGroup } from '../test/support/processes.js';
import { type BenchEnvironment, benchEnvironment } from './lib/environment.js';
import { type LoadResult, load, mean, post, type Scenario } from './lib/load.js';
import { peakRssMiB } from './lib/memory.js';
import { spawnGateway, stopGateways } from './lib/processes.js';
import { fixed, table } from './lib/report.js';
import { paymentBody, seedOrders } from './lib/traffic.js';

/**
 * This checkout's API against an earlier build of it, in the same run: BENCH_BASELINE_DIR names a
 * checkout of the earlier commit with its dependencies installed and `npm run build` done, e.g.
 *
 *   git worktree add --detach /tmp/baseline <commit> && (cd /tmp/baseline && npm ci && npm run build)
 *   BENCH_BASELINE_DIR=/tmp/baseline npm run bench -- compare
 *
 * Each build gets a database migrated by its own migrations and one API process; each request type
 * is measured in alternating rounds (the order of the builds turning each round), so that a drift of
 * this shared machine falls on every side alike. This checkout runs twice: as configured, and with
 * the request log off, which an earlier build may not have.
 */
const execFileAsync = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_COMPARE_ROUNDS ?? 3);
// Two payment scenarios of ROUNDS rounds each, at most a few thousand payments a second.
const ORDERS_TO_PAY = 2 * ROUNDS * SECONDS * 6_000;

interface Build {
  name: string;
  cli: string;
  env?: Record<string, string>;
}

interface Running {
  build: Build;
  environment: BenchEnvironment;
  api: GatewayProcess;
  nextPaymentBody: () => string;
  paymentId: string;
}

async function describeCheckout(dir: string): Promise<string> {
  const { stdout } = await execFileAsync('git', ['-C', dir, 'log', '-1', '--format=%h %s']);
  return stdout.trim();
}

async function start(processes: ProcessGroup, build: Build, index: number): Promise<Running> {
  const environment = await benchEnvironment(build.env ?? {}, async (databaseUrl) => {
    await execFileAsync(process.execPath, [build.cli, 'migrate'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    });
  });
  const api = await spawnGateway(processes, 'api', environment.env, `api-${index}`, 'warn', build.cli);
  const order = await post(api.url, '/api/v1/orders', { amount: 50_000 });
  const payment = await post(api.url, '/api/v1/payments', {
    order_id: order.id,
    method: 'upi',
    vpa: 'user@paytm',
  });
  const orders = await seedOrders(environment.databaseUrl, ORDERS_TO_PAY);
  let next = 0;
  return {
    build,
    environment,
    api,
    paymentId: payment.id,
    nextPaymentBody: () => paymentBody(orders[next++ % orders.length] as string),
  };
}

const scenarios = (running: Running): Scenario[] => [
  {
    name: 'POST /api/v1/orders',
    method: 'POST',
    path: '/api/v1/orders',
    body: JSON.stringify({ amount: 50_000 }),
  },
  {
    name: 'POST /api/v1/payments',
    method: 'POST',
    path: '/api/v1/payments',
    nextBody: running.nextPaymentBody,
  },
  {
    name: 'POST /api/v1/payments + Idempotency-Key',
    method: 'POST',
    path: '/api/v1/payments',
    nextBody: running.nextPaymentBody,
    uniqueIdempotencyKey: true,
  },
  { name: 'GET /api/v1/payments/{id}', method: 'GET', path: `/api/v1/payments/${running.paymentId}` },
];

export async function benchCompare(): Promise<string> {
  const baselineDir = process.env.BENCH_BASELINE_DIR;
  if (!baselineDir)
    return '### Compare\n\nSkipped: set BENCH_BASELINE_DIR to a built checkout of the earlier commit.';
  const here = join(import.meta.dirname, '..');
  const builds: Build[] = [
    { name: 'baseline', cli: join(baselineDir, 'dist/cli.js') },
    { name: 'this checkout', cli: join(here, 'dist/cli.js') },
    { name: 'this checkout, request log off', cli: join(here, 'dist/cli.js'), env: { REQUEST_LOG: 'false' } },
  ];
  const processes = new ProcessGroup();
  const running: Running[] = [];
  try {
    for (const [index, build] of builds.entries()) running.push(await start(processes, build, index));
    const names = scenarios(running[0] as Running).map((scenario) => scenario.name);
    const results = names.map(() => running.map((): LoadResult[] => []));
    for (const [s] of names.entries()) {
      for (let round = 0; round < ROUNDS; round++) {
        for (let turn = 0; turn < running.length; turn++) {
          const b = (round + turn) % running.length;
          const target = running[b] as Running;
          results[s]?.[b]?.push(await load([target.api.url], scenarios(target)[s] as Scenario, SECONDS));
        }
      }
    }
    const rps = (s: number, b: number) => mean((results[s]?.[b] ?? []).map((r) => r.rps));
    const p99 = (s: number, b: number) => Math.max(...(results[s]?.[b] ?? []).map((r) => r.p99));
    const errors = (s: number, b: number) => (results[s]?.[b] ?? []).reduce((sum, r) => sum + r.errors, 0);
    const rows = names.map((name, s) => [
      name,
      ...running.map(
        (_, b) =>
          `${fixed(rps(s, b))}/s, p99 ${p99(s, b)} ms${errors(s, b) ? `, ${errors(s, b)} errors` : ''}`,
      ),
      ...running.slice(1).map((_, i) => fixed(rps(s, i + 1) / rps(s, 0), 2)),
    ]);
    const rss = await Promise.all(running.map((r) => peakRssMiB(r.api.pid)));
    return [
      `### Compare: this checkout against an earlier build (1 API process each, ${ROUNDS} alternating rounds of ${SECONDS} s per request)`,
      '',
      `Baseline: \`${await describeCheckout(baselineDir)}\`; this checkout: \`${await describeCheckout(here)}\`.`,
      '',
      table(
        [
          'request',
          ...builds.map((build) => `${build.name} (mean req/s, worst p99)`),
          ...builds.slice(1).map((build) => `${build.name} / baseline`),
        ],
        rows,
      ),
      '',
      `Peak RSS: ${running.map((r, i) => `${r.build.name} ${rss[i]} MiB`).join(', ')}.`,
    ].join('\n');
  } finally {
    await stopGateways(processes);
    await Promise.all(running.map((r) => r.environment.dispose()));
  }
}
