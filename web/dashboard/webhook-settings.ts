import { DECLINING_TEST_VALUES, SUCCEEDING_TEST_VALUES } from '../../common/test-values.js';
import { pageChanged } from './auto-refresh.js';
import { announce, clearFormError, showFormError, whileBusy } from './feedback.js';
import { callDashboard, DashboardApiError, newIdempotencyKey } from './http.js';

interface WebhookConfig {
  webhook_url: string | null;
  webhook_secret: string;
}

const describe = (err: unknown, fallback: string) =>
  err instanceof DashboardApiError ? err.description : fallback;

/** The webhooks page: save the URL, send a test event of a chosen type, regenerate the secret, retry deliveries. */
export function enableWebhookSettings(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-form="webhook-config"]');
  if (form) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void saveUrl(form);
    });
  }
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>('button');
    if (!button) return;
    if (button.dataset.action === 'test-webhook' && form) void sendTest(form, button);
    if (button.dataset.action === 'regenerate-secret') void regenerate(button);
    if (button.dataset.action === 'retry-webhook') void retry(button);
  });
}

async function saveUrl(form: HTMLFormElement): Promise<void> {
  const input = form.querySelector<HTMLInputElement>('[name="webhook_url"]');
  const url = input?.value.trim() ?? '';
  if (url !== '' && !/^https?:\/\/\S+$/i.test(url)) {
    showFormError(
      form,
      'Enter a URL starting with http:// or https://, or leave it empty to stop deliveries.',
      input,
    );
    return;
  }
  clearFormError(form);
  await whileBusy(form.querySelector('button[type="submit"]'), async () => {
    try {
      const saved = await callDashboard<WebhookConfig>('/merchant/webhook', {
        method: 'PUT',
        body: { webhook_url: url === '' ? null : url },
      });
      if (input) input.value = saved.webhook_url ?? '';
      announce(
        saved.webhook_url ? 'Webhook URL saved.' : 'Webhook URL removed; no more deliveries will be made.',
      );
    } catch (err) {
      showFormError(form, describe(err, 'The webhook URL could not be saved.'), input);
    }
  });
}

/** The test VPA whose payment ends in each payment event, from the shared test-value table. */
const TEST_VPAS: Record<string, string> = {
  'payment.success': SUCCEEDING_TEST_VALUES.vpa,
  'payment.failed': DECLINING_TEST_VALUES.vpa,
};

async function sendTest(form: HTMLFormElement, button: HTMLButtonElement): Promise<void> {
  clearFormError(form);
  const event = document.querySelector<HTMLSelectElement>('#test-event-type')?.value ?? 'webhook.test';
  const vpa = TEST_VPAS[event];
  await whileBusy(button, async () => {
    try {
      if (vpa === undefined) {
        await callDashboard('/merchant/webhook/test', {
          method: 'POST',
          idempotencyKey: newIdempotencyKey(),
        });
        announce('Test webhook queued; it appears in the delivery logs.');
      } else {
        // A real test payment through the same API a merchant's server calls: its events are the
        // real ones (payment.created, payment.pending, then the chosen outcome).
        const order = await callDashboard<{ id: string }>('/orders', {
          method: 'POST',
          body: { amount: 50_000, currency: 'INR', receipt: 'dashboard test webhook' },
          idempotencyKey: newIdempotencyKey(),
        });
        const payment = await callDashboard<{ id: string }>('/payments', {
          method: 'POST',
          body: { order_id: order.id, method: 'upi', vpa },
          idempotencyKey: newIdempotencyKey(),
        });
        announce(
          `Test payment ${payment.id} created; its ${event} event appears in the delivery logs shortly.`,
        );
      }
      pageChanged();
    } catch (err) {
      showFormError(form, describe(err, 'The test webhook could not be sent.'));
    }
  });
}

async function regenerate(button: HTMLButtonElement): Promise<void> {
  await whileBusy(button, async () => {
    try {
      const { webhook_secret } = await callDashboard<{ webhook_secret: string }>('/merchant/webhook/secret', {
        method: 'POST',
      });
      const shown = document.querySelector('[data-test-id="webhook-secret"]');
      if (shown) shown.textContent = webhook_secret;
      announce(
        'New webhook secret generated. Update your server: deliveries are signed with it from now on.',
      );
    } catch (err) {
      announce(describe(err, 'The secret could not be regenerated.'));
    }
  });
}

async function retry(button: HTMLButtonElement): Promise<void> {
  const id = button.dataset.webhookId ?? '';
  await whileBusy(button, async () => {
    try {
      await callDashboard(`/webhooks/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      announce(
        button.dataset.verb === 'Resend'
          ? 'Resend scheduled: the delivery is sent again, from attempt 1.'
          : 'Retry scheduled: the delivery starts again from attempt 1.',
      );
      pageChanged();
    } catch (err) {
      announce(describe(err, 'The retry could not be scheduled.'));
    }
  });
}
