import { announce, whileBusy } from './feedback.js';
import { callDashboard, DashboardApiError } from './http.js';

/**
 * "Regenerate API secret" on the overview: the new secret arrives in the answer and is shown here
 * once (the gateway keeps only its hash); the old secret stops working at once, hence the question.
 */
export function enableApiSecretRegeneration(): void {
  const button = document.querySelector<HTMLButtonElement>('button[data-action="regenerate-api-secret"]');
  button?.addEventListener('click', () => {
    const sure = window.confirm(
      'Regenerate the API secret? The current secret stops working at once: update your server with the new one.',
    );
    if (sure) void regenerate(button);
  });
}

async function regenerate(button: HTMLButtonElement): Promise<void> {
  await whileBusy(button, async () => {
    try {
      const { api_secret } = await callDashboard<{ api_secret: string }>('/credentials/secret', {
        method: 'POST',
      });
      const shown = document.querySelector<HTMLElement>('[data-role="api-secret"]');
      if (shown) {
        shown.textContent = api_secret;
        shown.classList.remove('secret-unavailable');
      }
      const copy = document.querySelector<HTMLElement>('[data-role="copy-new-secret"]');
      if (copy) copy.hidden = false;
      announce(
        'New API secret generated. Copy it now: it is not shown again, and the old one no longer works.',
      );
    } catch (err) {
      announce(
        err instanceof DashboardApiError ? err.description : 'The API secret could not be regenerated.',
      );
    }
  });
}
