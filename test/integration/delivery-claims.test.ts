import { describe, expect, it } from 'vitest';
import { claimDueDeliveries } from '../../src/db/deliveries.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import { useProbedGateway } from '../support/statistics.js';

/**
 * What a claim reads when one endpoint has a backlog and the others have nothing due: each
 * endpoint's own due deliveries, never every pending delivery once per endpoint.
 */
const ctx = useProbedGateway();

const BACKLOG = 5000;
const IDLE_ENDPOINTS = 8;

describe('claiming due deliveries across endpoints', () => {
  it('reads each endpoint’s own due rows, not every pending row once per idle endpoint', async () => {
    const db = ctx.gw.runtime.db;
    const endpoint = (n: number) => `we_claims${String(n).padStart(10, '0')}`;
    await db.query(
      `INSERT INTO webhook_endpoints (id, merchant_id, url, created_at, updated_at)
       SELECT 'we_claims' || lpad(n::text, 10, '0'), $1, 'http://127.0.0.1:9/hook', now(), now()
       FROM generate_series(0, $2) AS n`,
      [TEST_MERCHANT.id, IDLE_ENDPOINTS],
    );
    // A backlog on endpoint 0, due a second ago, in due order; endpoints 1 to 8 have nothing.
    await db.query(
      `INSERT INTO webhook_logs (id, merchant_id, endpoint_id, event, payload, next_retry_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, $2, 'payment.success', '{}', now() - interval '1 s' + n * interval '1 us', now(), now()
       FROM generate_series(1, $3) AS n`,
      [TEST_MERCHANT.id, endpoint(0), BACKLOG],
    );
    // Statistics that see one endpoint holding every delivery, as after a burst to one endpoint.
    await db.query('ANALYZE webhook_logs');

    const before = await ctx.probe.indexTuplesRead('webhook_logs_pending_due');
    const claim = await claimDueDeliveries(ctx.probe.pool, {
      now: new Date(),
      leaseMs: 6000,
      perEndpoint: 32,
      busy: new Map(),
      limit: 320,
    });
    await ctx.probe.flush();
    const read = (await ctx.probe.indexTuplesRead('webhook_logs_pending_due')) - before;

    expect(claim.deliveries).toHaveLength(32);
    expect(new Set(claim.deliveries.map((d) => d.endpointId))).toEqual(new Set([endpoint(0)]));
    // Walking the backlog for each of the eight idle endpoints would read 8 × 5,000 entries.
    expect(read).toBeLessThan(BACKLOG);
  });
});
