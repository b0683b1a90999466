import { formatAmount } from '../../common/currency.js';
import { pageChanged } from './auto-refresh.js';
import { announce, whileBusy } from './feedback.js';
import { callDashboard, DashboardApiError, newIdempotencyKey } from './http.js';

// One Idempotency-Key per payment for as long as the page is open: a double click, or a retry after
// a timeout, replays the first capture instead of asking twice.
const keys = new Map<string, string>();

/** "Capture" in a payment's detail: the API's capture route, for the full amount. */
export function enableCapture(): void {
  document.addEventListener('click', (event) => {
    const button =
      event.target instanceof Element
        ? event.target.closest<HTMLButtonElement>('button[data-action="capture"]')
        : null;
    if (button) void capture(button);
  });
}

async function capture(button: HTMLButtonElement): Promise<void> {
  const paymentId = button.dataset.paymentId ?? '';
  const amount = Number(button.dataset.amount);
  const currency = button.dataset.currency ?? 'INR';
  const error = button.closest('[data-test-id="capture-box"]')?.querySelector('[data-role="capture-error"]');
  if (error) error.textContent = '';
  let key = keys.get(paymentId);
  if (!key) {
    key = newIdempotencyKey();
    keys.set(paymentId, key);
  }
  await whileBusy(button, async () => {
    try {
      await callDashboard(`/payments/${encodeURIComponent(paymentId)}/capture`, {
        method: 'POST',
        body: { amount },
        idempotencyKey: key,
      });
      announce(`Payment ${paymentId} captured: ${formatAmount(amount, currency)}.`);
      pageChanged();
    } catch (err) {
      const message =
        err instanceof DashboardApiError ? err.description : 'The payment could not be captured.';
      if (error) error.textContent = message;
      else announce(message);
    }
  });
}
