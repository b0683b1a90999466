import type { Queryable } from './pool.js';

/** Counts of a merchant's payments by status, and successful amounts per currency. */
export async function paymentCounts(db: Queryable, merchantId: string) {
  const [counts, amounts] = await Promise.all([
    db.query<{ total: number; successful: number; failed: number; pending: number }>({
      name: 'dashboard-payment-counts',
      text: `SELECT count(*)::int AS total,
                    count(*) FILTER (WHERE status = 'success')::int AS successful,
                    count(*) FILTER (WHERE status = 'failed')::int AS failed,
                    count(*) FILTER (WHERE status = 'pending')::int AS pending
             FROM payments WHERE merchant_id = $1`,
      values: [merchantId],
    }),
    db.query<{ currency: string; amount: number }>({
      name: 'dashboard-payment-amounts',
      text: `SELECT currency, sum(amount)::bigint AS amount FROM payments
             WHERE merchant_id = $1 AND status = 'success' GROUP BY currency ORDER BY sum(amount) DESC`,
      values: [merchantId],
    }),
  ]);
  return {
    counts: counts.rows[0] ?? { total: 0, successful: 0, failed: 0, pending: 0 },
    amounts: amounts.rows,
  };
}

export interface DayTotalsRow {
  day: string;
  payments: number;
  successful: number;
  failed: number;
  amount: number;
}

/** Payments per UTC day since `since`; the amount counts successful payments in one currency. */
export async function paymentsPerDay(
  db: Queryable,
  merchantId: string,
  since: Date,
  currency: string,
): Promise<DayTotalsRow[]> {
  const result = await db.query<DayTotalsRow>({
    name: 'dashboard-payment-volume',
    text: `SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
                  count(*)::int AS payments,
                  count(*) FILTER (WHERE status = 'success')::int AS successful,
                  count(*) FILTER (WHERE status = 'failed')::int AS failed,
                  coalesce(sum(amount) FILTER (WHERE status = 'success' AND currency = $3), 0)::bigint AS amount
           FROM payments WHERE merchant_id = $1 AND created_at >= $2
           GROUP BY 1 ORDER BY 1`,
    values: [merchantId, since, currency],
  });
  return result.rows;
}
