/**
 * The home page chart's data: one point per UTC day over a window ending today, days without
 * payments included as zeros so the x axis is continuous.
 */
export interface DayTotals {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  payments: number;
  successful: number;
  failed: number;
  /** Successful amount in the smallest unit, in the one currency the chart shows. */
  amount: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** Midnight UTC of the first day of a `days`-long window ending on `now`'s day. */
export function windowStart(now: Date, days: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

export function fillDays(rows: readonly DayTotals[], now: Date, days: number): DayTotals[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const start = windowStart(now, days).getTime();
  return Array.from({ length: days }, (_, index) => {
    const day = utcDay(new Date(start + index * DAY_MS));
    return byDay.get(day) ?? { day, payments: 0, successful: 0, failed: 0, amount: 0 };
  });
}
