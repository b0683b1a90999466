import { paymentCounts, paymentsPerDay } from '../db/payment-stats.js';
import type { Runtime } from '../runtime.js';
import { fillDays, windowStart } from './volume-series.js';

/**
 * The home page's numbers. Success rate is successful payments over all payments (pending ones
 * included), as a percentage with one decimal; amounts are successful payments, per currency.
 */
export async function paymentStats(runtime: Runtime, merchantId: string) {
  const { counts, amounts } = await paymentCounts(runtime.db, merchantId);
  const { total, successful, failed, pending } = counts;
  return {
    total_transactions: total,
    successful,
    failed,
    pending,
    success_rate: total === 0 ? 0 : Math.round((successful / total) * 1000) / 10,
    amounts: amounts.map((row) => ({ currency: row.currency, amount: row.amount })),
  };
}

export const VOLUME_DAYS = { min: 7, max: 90, default: 14 } as const;

/** Payments per day; the amount line counts successful payments in one currency only. */
export async function paymentVolume(runtime: Runtime, merchantId: string, days: number, currency: string) {
  const now = runtime.clock.now();
  const rows = await paymentsPerDay(runtime.db, merchantId, windowStart(now, days), currency);
  return { currency, days: fillDays(rows, now, days) };
}
