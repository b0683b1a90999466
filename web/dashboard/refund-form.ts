import { formatAmount } from '../../common/currency.js';
import { parseRefundAmount, toMajorText } from '../../common/money-input.js';
import { pageChanged } from './auto-refresh.js';
import { confirmAction } from './confirm-dialog.js';
import { announce, clearFormError, showFormError, whileBusy } from './feedback.js';
import { callDashboard, DashboardApiError, newIdempotencyKey } from './http.js';

interface CreatedRefund {
  id: string;
  amount: number;
  status: string;
}

// One key per refund the person means to make: a double submit or a retry after a timeout replays
// the first answer instead of refunding twice. A changed amount or reason is a new refund.
const keys = new WeakMap<HTMLFormElement, { body: string; key: string }>();

function keyFor(form: HTMLFormElement, body: object): string {
  const text = JSON.stringify(body);
  const known = keys.get(form);
  if (known && known.body === text) return known.key;
  const key = newIdempotencyKey();
  keys.set(form, { body: text, key });
  return key;
}

/** The refund form in a payment's detail (transactions page); it is re-rendered after each refund. */
export function enableRefunds(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    if (form?.dataset.form !== 'refund') return;
    event.preventDefault();
    void submitRefund(form);
  });
  document.addEventListener('click', (event) => {
    const button =
      event.target instanceof Element ? event.target.closest('[data-action="refund-full"]') : null;
    const form = button?.closest<HTMLFormElement>('form[data-form="refund"]');
    const input = form?.querySelector<HTMLInputElement>('[name="amount"]');
    if (!form || !input) return;
    input.value = toMajorText(Number(form.dataset.available), form.dataset.currency ?? 'INR');
    input.focus();
  });
}

async function submitRefund(form: HTMLFormElement): Promise<void> {
  const currency = form.dataset.currency ?? 'INR';
  const available = Number(form.dataset.available);
  const amountInput = form.querySelector<HTMLInputElement>('[name="amount"]');
  const reason = form.querySelector<HTMLInputElement>('[name="reason"]')?.value.trim() ?? '';
  const parsed = parseRefundAmount(amountInput?.value ?? '', currency, available, (minor) =>
    formatAmount(minor, currency),
  );
  if (!parsed.ok) {
    showFormError(form, parsed.message, amountInput);
    return;
  }
  clearFormError(form);
  const body = reason ? { amount: parsed.minor, reason } : { amount: parsed.minor };
  const paymentId = form.dataset.paymentId ?? '';
  const amount = formatAmount(parsed.minor, currency);
  const whole = parsed.minor === available;
  const confirmed = await confirmAction({
    title: whole ? `Refund ${amount} in full?` : `Refund ${amount}?`,
    message: `${amount} of payment ${paymentId} goes back to the customer${reason ? ` (reason: ${reason})` : ''}. A refund cannot be undone.`,
    confirm: `Refund ${amount}`,
  });
  if (!confirmed) {
    announce('Nothing was refunded.');
    return;
  }
  await whileBusy(form.querySelector('button[type="submit"]'), async () => {
    try {
      const refund = await callDashboard<CreatedRefund>(
        `/payments/${encodeURIComponent(paymentId)}/refunds`,
        { method: 'POST', body, idempotencyKey: keyFor(form, body) },
      );
      announce(
        `Refund ${refund.id} of ${formatAmount(refund.amount, currency)} created; it is ${refund.status}.`,
      );
      pageChanged();
    } catch (err) {
      const message = err instanceof DashboardApiError ? err.description : 'The refund could not be created.';
      showFormError(
        form,
        message,
        err instanceof DashboardApiError && err.field === 'amount' ? amountInput : null,
      );
    }
  });
}
