import { pageChanged } from './auto-refresh.js';
import { announce, whileBusy } from './feedback.js';
import { callDashboard, DashboardApiError } from './http.js';

/** The Events page: send an event again to every endpoint that subscribes to it. */
export function enableEvents(): void {
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>('button[data-action="resend-event"]');
    if (button) void resend(button);
  });
}

async function resend(button: HTMLButtonElement): Promise<void> {
  const id = button.dataset.eventId ?? '';
  await whileBusy(button, async () => {
    try {
      const { deliveries } = await callDashboard<{ deliveries: unknown[] }>(
        `/events/${encodeURIComponent(id)}/resend`,
        { method: 'POST', body: {} },
      );
      announce(
        deliveries.length === 0
          ? 'Not resent: no enabled endpoint subscribes to this event.'
          : `Resent to ${deliveries.length} ${deliveries.length === 1 ? 'endpoint' : 'endpoints'}.`,
      );
      pageChanged();
    } catch (err) {
      announce(err instanceof DashboardApiError ? err.description : 'The event could not be resent.');
    }
  });
}
