/** Webhook delivery schedule: five attempts; the delays before attempts 2…5. */
export const MAX_WEBHOOK_ATTEMPTS = 5;

const PRODUCTION_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000];
const TEST_DELAYS_MS = [5_000, 10_000, 15_000, 20_000];
const HOUR_MS = 60 * 60 * 1000;

/** Delay before the next attempt after `attemptsMade` failed ones, or null when none is left. */
export function nextRetryDelayMs(attemptsMade: number, testIntervals: boolean): number | null {
  if (attemptsMade >= MAX_WEBHOOK_ATTEMPTS) return null;
  const delays = testIntervals ? TEST_DELAYS_MS : PRODUCTION_DELAYS_MS;
  return delays[attemptsMade - 1] ?? null;
}

/**
 * When the next attempt is due after a failed one, or null when none is left. An endpoint that
 * asked for time (Retry-After on a 429 or 503) gets at least that much, but never more than an hour
 * past the scheduled slot; no attempt is ever earlier than the schedule.
 */
export function nextAttemptAt(
  attemptsMade: number,
  testIntervals: boolean,
  failedAt: Date,
  retryAfterMs: number | null,
): Date | null {
  const delay = nextRetryDelayMs(attemptsMade, testIntervals);
  if (delay === null) return null;
  const scheduled = failedAt.getTime() + delay;
  if (retryAfterMs === null) return new Date(scheduled);
  return new Date(Math.max(scheduled, Math.min(failedAt.getTime() + retryAfterMs, scheduled + HOUR_MS)));
}

/** Retry-After in milliseconds from `now`: delay-seconds or an HTTP date; null when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return null;
  return Math.max(0, date - now.getTime());
}
