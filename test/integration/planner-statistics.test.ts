import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AttemptRecord, recordAttempts } from '../../src/db/deliveries.js';
import { refreshPlannerStatistics } from '../../src/db/planner-statistics.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { useProbedGateway } from '../support/statistics.js';

/**
 * A connection keeps the plan of a prepared statement until a table it reads is analysed. These
 * tests grow a table under a plan made while it was small, and check that the refresh (run by every
 * sweep) makes the next execution read it through its index again.
 */
const ctx = useProbedGateway();

const GROWN = 20_000;

async function insertDeliveries(count: number): Promise<void> {
  await ctx.probe.pool.query(
    `INSERT INTO webhook_logs (id, merchant_id, event, payload, next_retry_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, 'payment.success', '{}', now() + interval '1 hour', now(), now()
     FROM generate_series(1, $2)`,
    [TEST_MERCHANT.id, count],
  );
  await ctx.probe.flush();
}

/** Rows scanned by recording one attempt (of a delivery that does not exist) on the kept connection. */
async function scannedByOneRecord(): Promise<number> {
  const before = await ctx.probe.rowsScanned('webhook_logs');
  const attempt: AttemptRecord = {
    deliveryId: randomUUID(),
    endpointId: null,
    generation: 1,
    attempt: 1,
    url: 'http://127.0.0.1:9/hook',
    ok: true,
    status: 'success',
    nextRetryAt: null,
    responseCode: 200,
    responseBody: '',
    requestHeaders: null,
    error: null,
    durationMs: 1,
    at: new Date(),
  };
  expect(await recordAttempts(ctx.probe.pool, [attempt])).toEqual([false]);
  await ctx.probe.flush();
  return (await ctx.probe.rowsScanned('webhook_logs')) - before;
}

describe('planner statistics', () => {
  it('are refreshed for a table that outgrew the plans made while it was small', async () => {
    await ctx.gw.runtime.db.query('ALTER TABLE webhook_logs SET (autovacuum_enabled = false)');
    await insertDeliveries(50);
    // Enough executions for the connection to settle on one plan for every later execution.
    for (let i = 0; i < 8; i++) await scannedByOneRecord();
    await insertDeliveries(GROWN);

    // The plan made for 50 rows reads all of them, and keeps doing so as they grow.
    expect(await scannedByOneRecord()).toBeGreaterThanOrEqual(GROWN);

    expect(await refreshPlannerStatistics(ctx.gw.runtime.db)).toContain('webhook_logs');
    expect(await scannedByOneRecord()).toBeLessThan(1000);
    // Analysed once, the table is left alone until it has changed by as much again.
    expect(await refreshPlannerStatistics(ctx.gw.runtime.db)).not.toContain('webhook_logs');
  });

  it('are refreshed by each sweep', async () => {
    await ctx.probe.pool.query(
      `INSERT INTO orders (id, merchant_id, amount, currency, created_at, updated_at)
       SELECT 'order_stats' || lpad(n::text, 11, '0'), $1, 50000, 'INR', now(), now() FROM generate_series(1, 2000) AS n`,
      [TEST_MERCHANT.id],
    );
    await ctx.probe.flush();
    const lastAnalysed = async () =>
      (
        await ctx.gw.runtime.db.query<{ at: Date | null }>(
          `SELECT greatest(last_analyze, last_autoanalyze) AS at FROM pg_stat_user_tables WHERE relname = 'orders'`,
        )
      ).rows[0]?.at ?? null;
    const before = await lastAnalysed();
    const workers = ctx.gw.startWorkers({ deliver: false });
    await workers.sweeper.sweepOnce();
    const after = await lastAnalysed();
    expect(after).not.toBeNull();
    expect(after?.getTime()).toBeGreaterThan(before?.getTime() ?? 0);
  });
});
