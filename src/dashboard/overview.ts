import type { Runtime } from '../runtime.js';
import { type DayTotals, fillDays, windowStart } from './volume-series.js';

/**
 * The home page's numbers. Success rate is successful payments over all payments (pending ones
 * included), as a percentage with one decimal; amounts are successful payments, per currency.
 */
export async function paymentStats(rt: Runtime, merchantId: string) {
  const [counts, amounts] = await Promise.all([
    rt.db.query<{ total: number; successful: number; failed: number; pending: number }>({
      name: 'dashboard-payment-counts',
      text: `SELECT count(*)::int AS total,
                    count(*) FILTER (WHERE status = 'success')::int AS successful,
                    count(*) FILTER (WHERE status = 'failed')::int AS failed,
                    count(*) FILTER (WHERE status = 'pending')::int AS pending
             FROM payments WHERE merchant_id = $1`,
      values: [merchantId],
    }),
    rt.db.query<{ currency: string; amount: number }>({
      name: 'dashboard-payment-amounts',
      text: `SELECT currency, sum(amount)::bigint AS amount FROM payments
             WHERE merchant_id = $1 AND status = 'success' GROUP BY currency ORDER BY sum(amount) DESC`,
      values: [merchantId],
    }),
  ]);
  const { total, successful, failed, pending } = counts.rows[0] ?? {
    total: 0,
    successful: 0,
    failed: 0,
    pending: 0,
  };
  return {
    total_transactions: total,
    successful,
    failed,
    pending,
    success_rate: total === 0 ? 0 : Math.round((successful / total) * 1000) / 10,
    amounts: amounts.rows.map((row) => ({ currency: row.currency, amount: row.amount })),
  };
}

export const VOLUME_DAYS = { min: 7, max: 90, default: 14 } as const;

/** Payments per day; the amount line counts successful payments in one currency only. */
export async function paymentVolume(rt: Runtime, merchantId: string, days: number, currency: string) {
  const now = rt.clock.now();
  const result = await rt.db.query<DayTotals>({
    name: 'dashboard-payment-volume',
    text: `SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
                  count(*)::int AS payments,
                  count(*) FILTER (WHERE status = 'success')::int AS successful,
                  count(*) FILTER (WHERE status = 'failed')::int AS failed,
                  coalesce(sum(amount) FILTER (WHERE status = 'success' AND currency = $3), 0)::bigint AS amount
           FROM payments WHERE merchant_id = $1 AND created_at >= $2
           GROUP BY 1 ORDER BY 1`,
    values: [merchantId, windowStart(now, days), currency],
  });
  return { currency, days: fillDays(result.rows, now, days) };
}
