import { announce, clearFormError, showFormError, whileBusy } from './feedback.js';
import { callDashboard, DashboardApiError, newIdempotencyKey } from './http.js';
import { refreshRegions } from './regions.js';

interface Endpoint {
  id: string;
  url: string;
  status: 'enabled' | 'disabled';
  secret: string;
}

const TABLE = '[data-refresh-region="endpoints"]';
const DETAIL = '[data-refresh-region="endpoint-detail"]';

const describe = (err: unknown, fallback: string) =>
  err instanceof DashboardApiError ? err.description : fallback;

const endpointPath = (id: string, action = '') => `/webhook_endpoints/${encodeURIComponent(id)}${action}`;

/**
 * The Endpoints page: add an endpoint, change its settings, enable or disable it, rotate its secret,
 * recover its failed deliveries and send it a test event. Tables are re-rendered by the server.
 */
export function enableEndpoints(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    const action = form ? FORMS[form.dataset.form ?? ''] : undefined;
    if (!form || !action) return;
    event.preventDefault();
    void action(form);
  });
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>('button[data-action]');
    if (button?.dataset.action === 'toggle-endpoint') void toggle(button);
    if (button?.dataset.action === 'test-endpoint') void sendTest(button);
  });
  fillRecoverWindow();
}

const FORMS: Record<string, (form: HTMLFormElement) => Promise<void>> = {
  'add-endpoint': addEndpoint,
  'edit-endpoint': editEndpoint,
  'rotate-secret': rotateSecret,
  recover,
};

/** The form's URL, description and chosen events, or an error shown on the form. */
function endpointSettings(form: HTMLFormElement) {
  const urlInput = form.querySelector<HTMLInputElement>('[name="url"]');
  const url = urlInput?.value.trim() ?? '';
  const description = form.querySelector<HTMLInputElement>('[name="description"]')?.value.trim() ?? '';
  const events = Array.from(
    form.querySelectorAll<HTMLInputElement>('input[name="enabled_events"]:checked'),
    (box) => box.value,
  );
  if (!/^https?:\/\/\S+$/i.test(url)) {
    showFormError(form, 'Enter the endpoint URL, starting with http:// or https://.', urlInput);
    return null;
  }
  if (events.length === 0) {
    showFormError(
      form,
      'Choose at least one event to send.',
      form.querySelector<HTMLInputElement>('input[name="enabled_events"]'),
    );
    return null;
  }
  return { url, description: description === '' ? null : description, enabled_events: events };
}

async function addEndpoint(form: HTMLFormElement): Promise<void> {
  const settings = endpointSettings(form);
  if (!settings) return;
  clearFormError(form);
  await whileBusy(form.querySelector('button[type="submit"]'), async () => {
    try {
      const created = await callDashboard<Endpoint>('/webhook_endpoints', {
        method: 'POST',
        body: settings,
        idempotencyKey: newIdempotencyKey(),
      });
      form.reset();
      const box = document.querySelector<HTMLElement>('[data-role="created-secret"]');
      const secret = document.querySelector('#created-endpoint-secret');
      if (box && secret) {
        secret.textContent = created.secret;
        box.hidden = false;
      }
      await refreshRegions([TABLE]);
      announce(`Endpoint added: ${created.url}. Copy its signing secret now; it is shown only once.`);
    } catch (err) {
      showFormError(form, describe(err, 'The endpoint could not be added.'), fieldOf(form, err));
    }
  });
}

/** The input an API error names (url, enabled_events), to mark it and move focus to it. */
function fieldOf(form: HTMLFormElement, err: unknown): HTMLElement | null {
  const field = err instanceof DashboardApiError ? err.field : undefined;
  if (field === 'enabled_events') return form.querySelector('input[name="enabled_events"]');
  if (field === 'url' || (err instanceof DashboardApiError && /url/i.test(err.description))) {
    return form.querySelector('[name="url"]');
  }
  return null;
}

async function editEndpoint(form: HTMLFormElement): Promise<void> {
  const settings = endpointSettings(form);
  if (!settings) return;
  clearFormError(form);
  await whileBusy(form.querySelector('button[type="submit"]'), async () => {
    try {
      await callDashboard<Endpoint>(endpointPath(form.dataset.endpointId ?? ''), {
        method: 'PATCH',
        body: settings,
      });
      await refreshRegions([TABLE, DETAIL]);
      announce('Endpoint settings saved.');
    } catch (err) {
      showFormError(form, describe(err, 'The changes could not be saved.'), fieldOf(form, err));
    }
  });
}

async function toggle(button: HTMLButtonElement): Promise<void> {
  const status = button.dataset.nextStatus === 'enabled' ? 'enabled' : 'disabled';
  await whileBusy(button, async () => {
    try {
      const endpoint = await callDashboard<Endpoint>(endpointPath(button.dataset.endpointId ?? ''), {
        method: 'PATCH',
        body: { status },
      });
      await refreshRegions([TABLE, DETAIL]);
      announce(
        status === 'enabled'
          ? `${endpoint.url} enabled: new events are delivered to it again.`
          : `${endpoint.url} disabled: no new events are delivered to it.`,
      );
    } catch (err) {
      announce(describe(err, 'The endpoint could not be changed.'));
    }
  });
}

async function sendTest(button: HTMLButtonElement): Promise<void> {
  await whileBusy(button, async () => {
    try {
      await callDashboard(endpointPath(button.dataset.endpointId ?? '', '/test'), {
        method: 'POST',
        idempotencyKey: newIdempotencyKey(),
      });
      announce('Test event queued; it appears on the Events page.');
    } catch (err) {
      announce(describe(err, 'The test event could not be sent.'));
    }
  });
}

async function rotateSecret(form: HTMLFormElement): Promise<void> {
  const overlap = Number(form.querySelector<HTMLSelectElement>('[name="overlap_seconds"]')?.value ?? 86_400);
  clearFormError(form);
  await whileBusy(form.querySelector('button[type="submit"]'), async () => {
    try {
      const { secret } = await callDashboard<{ secret: string }>(
        endpointPath(form.dataset.endpointId ?? '', '/secret/rotate'),
        { method: 'POST', body: { overlap_seconds: overlap } },
      );
      const box = form.querySelector<HTMLElement>('[data-role="rotated-secret"]');
      const shown = form.querySelector('#rotated-endpoint-secret');
      if (box && shown) {
        shown.textContent = secret;
        box.hidden = false;
      }
      announce(
        overlap === 0
          ? 'Secret rotated: deliveries are signed with the new secret only. Copy it now.'
          : 'Secret rotated: deliveries carry both signatures during the overlap. Copy the new secret now.',
      );
    } catch (err) {
      showFormError(form, describe(err, 'The secret could not be rotated.'));
    }
  });
}

/** A datetime-local value (the browser's time zone) as an ISO timestamp, or null. */
function isoFrom(input: HTMLInputElement | null): string | null {
  if (!input?.value) return null;
  const at = new Date(input.value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

async function recover(form: HTMLFormElement): Promise<void> {
  const sinceInput = form.querySelector<HTMLInputElement>('[name="since"]');
  const untilInput = form.querySelector<HTMLInputElement>('[name="until"]');
  const since = isoFrom(sinceInput);
  const until = isoFrom(untilInput);
  if (since === null) {
    showFormError(form, 'Enter the start of the window.', sinceInput);
    return;
  }
  clearFormError(form);
  await whileBusy(form.querySelector('button[type="submit"]'), async () => {
    try {
      const { queued } = await callDashboard<{ queued: number }>(
        endpointPath(form.dataset.endpointId ?? '', '/recover'),
        { method: 'POST', body: until === null ? { since } : { since, until } },
      );
      announce(
        queued === 0
          ? 'No failed deliveries in that window.'
          : `${queued} failed ${queued === 1 ? 'delivery' : 'deliveries'} queued again.`,
      );
    } catch (err) {
      showFormError(
        form,
        describe(err, 'The deliveries could not be recovered.'),
        err instanceof DashboardApiError && err.field === 'until' ? untilInput : null,
      );
    }
  });
}

/** The recover window starts a day ago, in the browser's own time zone, unless already set. */
function fillRecoverWindow(): void {
  const since = document.querySelector<HTMLInputElement>('#recover-since');
  if (!since || since.value) return;
  const dayAgo = new Date(Date.now() - 86_400_000);
  const local = new Date(dayAgo.getTime() - dayAgo.getTimezoneOffset() * 60_000);
  since.value = local.toISOString().slice(0, 19);
}
