/** Webhook delivery schedule: five attempts; the delays before attempts 2…5. */
export const MAX_WEBHOOK_ATTEMPTS = 5;

const PRODUCTION_DELAYS_MS = [60_000, 300_000, 1_800_000, 7_200_000];
const TEST_DELAYS_MS = [5_000, 10_000, 15_000, 20_000];

/** Delay before the next attempt after `attemptsMade` failed ones, or null when none is left. */
export function nextRetryDelayMs(attemptsMade: number, testIntervals: boolean): number | null {
  if (attemptsMade >= MAX_WEBHOOK_ATTEMPTS) return null;
  const delays = testIntervals ? TEST_DELAYS_MS : PRODUCTION_DELAYS_MS;
  return delays[attemptsMade - 1] ?? null;
}
