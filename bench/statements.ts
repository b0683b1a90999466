import pg from 'pg';
import { PrivatePostgres } from '../test/support/private-postgres.js';
import { fixed, table } from './lib/report.js';
import { runPipeline } from './pipeline.js';
import { benchStages } from './stages.js';

/**
 * Where PostgreSQL's time goes, statement by statement: the pipeline (BENCH_STATEMENTS_PAYMENTS
 * payments, then its light phase), or with BENCH_STATEMENTS_LOAD=light the stages scenario (an even,
 * light load, where batches hold one or two items and each statement is planned for them), against
 * a PostgreSQL of its own, started for the run with
 * pg_stat_statements (the machine's shared cluster is never reconfigured), then the statements
 * ranked by execution plus planning time, per payment, with the shared buffers each row cost. Its
 * server is initdb'd with the same durability as a default one (fsync and full-page writes on) and
 * removed afterwards.
 */
const PAYMENTS = Number(process.env.BENCH_STATEMENTS_PAYMENTS ?? 5000);
const LIGHT = process.env.BENCH_STATEMENTS_LOAD === 'light';
const SHOWN = 15;

/** Names for the statements the gateway's hot path runs, by a fragment only each one has. */
const KNOWN: Array<[string, RegExp]> = [
  ['payment insert', /INSERT INTO payments/],
  ['payment decision', /\bpending AS \(/],
  ['attempt record', /UPDATE webhook_logs l SET attempts/],
  ['delivery claim', /^WITH busy AS/],
  ['request log insert', /INSERT INTO request_logs/],
  ['order read for a payment', /FROM orders o[\s\S]*= ANY\(\$1::text\[\]\)/],
  ['payment reads by id', /FROM payments WHERE id = ANY/],
  ['credentials lookup', /FROM merchants WHERE api_key = ANY/],
  ['delivery announcement', /pg_notify\('gateway_deliveries'|pg_notify\(\$1, \$2\)/],
  ['statistics refresh', /^ANALYZE/],
];

interface StatementRow {
  query: string;
  calls: string;
  rows: string;
  exec_ms: number;
  plan_ms: number;
  buffers: string;
}

function label(query: string): string {
  if (/FOR KEY SHARE/.test(query)) {
    const table = /FROM ONLY "public"\."(\w+)"/.exec(query)?.[1] ?? '?';
    return `foreign-key check on ${table}`;
  }
  const known = KNOWN.find(([, pattern]) => pattern.test(query));
  return known ? known[0] : `\`${query.replace(/\s+/g, ' ').slice(0, 60)}…\``;
}

export async function benchStatements(): Promise<string> {
  const server = await PrivatePostgres.create([
    'fsync=on',
    'full_page_writes=on',
    'shared_preload_libraries=pg_stat_statements',
    'pg_stat_statements.track=all',
    'pg_stat_statements.track_planning=on',
    'pg_stat_statements.max=1000',
  ]);
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  const previousBase = process.env.BENCH_DATABASE_URL;
  try {
    await admin.connect();
    await admin.query('CREATE EXTENSION pg_stat_statements');
    await admin.query('SELECT pg_stat_statements_reset()');
    process.env.BENCH_DATABASE_URL = server.url('postgres');
    const scenario = LIGHT
      ? await benchStages()
      : await runPipeline({
          payments: PAYMENTS,
          apiProcesses: 1,
          workerProcesses: 1,
          engines: 'a PostgreSQL of its own with pg_stat_statements, one Redis',
        });
    const { rows } = await admin.query<StatementRow>(
      `SELECT query, calls, rows, total_exec_time AS exec_ms, total_plan_time AS plan_ms,
              shared_blks_hit + shared_blks_read AS buffers
       FROM pg_stat_statements
       -- The scenario's database is gone by now; what ran in this session's own is left out.
       WHERE dbid <> (SELECT oid FROM pg_database WHERE datname = 'postgres')
       ORDER BY total_exec_time + total_plan_time DESC`,
    );
    // Statements of one kind (the foreign-key checks of one table, refreshes of different tables)
    // are summed under one name.
    const byLabel = new Map<
      string,
      { calls: number; rows: number; ms: number; planMs: number; buffers: number }
    >();
    for (const row of rows) {
      const name = label(row.query);
      const sum = byLabel.get(name) ?? { calls: 0, rows: 0, ms: 0, planMs: 0, buffers: 0 };
      sum.calls += Number(row.calls);
      sum.rows += Number(row.rows);
      sum.ms += row.exec_ms;
      sum.planMs += row.plan_ms;
      sum.buffers += Number(row.buffers);
      byLabel.set(name, sum);
    }
    const payments = byLabel.get('payment insert')?.rows ?? 0;
    const perPayment = (ms: number) => fixed(ms / Math.max(payments, 1), 3);
    const all = [...byLabel.entries()].sort((a, b) => b[1].ms + b[1].planMs - (a[1].ms + a[1].planMs));
    const totalMs = all.reduce((sum, [, s]) => sum + s.ms + s.planMs, 0);
    const ranked = table(
      ['statement', 'calls', 'rows', 'exec ms / payment', 'plan ms / payment', 'buffers / row'],
      all
        .slice(0, SHOWN)
        .map(([name, s]) => [
          name,
          fixed(s.calls),
          fixed(s.rows),
          perPayment(s.ms),
          perPayment(s.planMs),
          s.rows > 0 ? fixed(s.buffers / s.rows, 1) : '–',
        ]),
    );
    return [
      `### Statements (pg_stat_statements over the ${LIGHT ? 'stages scenario below, its warm-up included' : 'pipeline below'}: ${fixed(payments)} payments inserted)`,
      '',
      ranked,
      '',
      `All statements: **${fixed(totalMs / Math.max(payments, 1), 2)} ms** of PostgreSQL execution and planning per payment (commits and the protocol not included).`,
      '',
      scenario.replace(/^### /gm, '#### '),
    ].join('\n');
  } finally {
    if (previousBase === undefined) delete process.env.BENCH_DATABASE_URL;
    else process.env.BENCH_DATABASE_URL = previousBase;
    await admin.end().catch(() => undefined);
    await server.destroy();
  }
}
