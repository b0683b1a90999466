import { type ApiClient, ApiError, type PublicPayment } from './api-client.js';

/**
 * Follows a pending payment until the worker has decided it. Quick at first (in test mode payments
 * are decided within a second), then every two seconds; a dropped request is simply retried.
 */
export function pollDelayMs(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 2000);
}

/** How long a payer is told to wait before the page admits it does not know yet. */
export const DECISION_TIMEOUT_MS = 3 * 60_000;
export const STILL_WAITING_AFTER_MS = 8000;

export class DecisionTimeout extends Error {
  constructor(readonly paymentId: string) {
    super('The payment has not been confirmed yet');
    this.name = 'DecisionTimeout';
  }
}

export interface FollowOptions {
  onStillWaiting?: () => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function waitForDecision(
  api: Pick<ApiClient, 'getPayment'>,
  paymentId: string,
  options: FollowOptions = {},
): Promise<PublicPayment> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  let warned = false;
  for (let attempt = 0; ; attempt++) {
    await sleep(pollDelayMs(attempt));
    try {
      const payment = await api.getPayment(paymentId);
      if (payment.status !== 'pending') return payment;
    } catch (err) {
      // A payment that does not exist will not appear later; anything else may be momentary.
      if (err instanceof ApiError && err.status === 404) throw err;
    }
    const waited = now() - started;
    if (!warned && waited >= STILL_WAITING_AFTER_MS) {
      warned = true;
      options.onStillWaiting?.();
    }
    if (waited >= DECISION_TIMEOUT_MS) throw new DecisionTimeout(paymentId);
  }
}
