import type { Queryable } from './pool.js';

/**
 * Since when each of a merchant's endpoints has had nothing but failed attempts (only endpoints that
 * are failing now are in the map). The auto-disable sweep reads the same column.
 */
export async function failingSinceByEndpoint(db: Queryable, merchantId: string): Promise<Map<string, Date>> {
  const result = await db.query<{ id: string; failing_since: Date }>({
    name: 'endpoint-failing-since',
    text: `SELECT id, failing_since FROM webhook_endpoints
           WHERE merchant_id = $1 AND deleted_at IS NULL AND failing_since IS NOT NULL`,
    values: [merchantId],
  });
  return new Map(result.rows.map((row) => [row.id, row.failing_since]));
}
